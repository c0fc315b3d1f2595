# Fires: the final stage runs on golang (via a parent stage); names debian:bookworm-slim.
FROM golang:1.22 AS base
WORKDIR /app
FROM base
COPY . .
RUN go build -o /app/server .
CMD ["/app/server"]
