# Refused: digest-pinned base (no runtime digest offline).
FROM golang:1.22-bookworm@sha256:0000000000000000000000000000000000000000000000000000000000000000
WORKDIR /app
COPY . .
RUN go build -o /app/server .
CMD ["/app/server"]
