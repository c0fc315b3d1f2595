# Nothing to do: a LABEL already.
FROM debian:12
LABEL maintainer="Jane"
