# Nothing to do: COPY already.
FROM debian:12
COPY plain.txt /app/
