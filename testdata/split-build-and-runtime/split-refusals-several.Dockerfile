# Refused: two binaries.
FROM golang:1.22
WORKDIR /app
COPY . .
RUN go build -o /bin/a ./cmd/a && go build -o /bin/b ./cmd/b
CMD ["/bin/a"]
