# Refused: without a build context the files the binary reads cannot be told.
FROM golang:1.22
WORKDIR /app
COPY . .
RUN go build -o /app/server .
CMD ["/app/server"]
