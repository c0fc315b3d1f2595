# Refused: golang:1.6's Debian release is not in the base-facts table.
FROM golang:1.6
WORKDIR /go/src/app
COPY . .
RUN go build -o /app .
CMD ["/app"]
