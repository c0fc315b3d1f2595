# Refused: the context has templates/ the binary may read at run time.
FROM golang:1.22
WORKDIR /app
COPY . .
RUN go build -o server .
CMD ["./server"]
