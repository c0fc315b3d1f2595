# Refused: VOLUME.
FROM golang:1.22
WORKDIR /app
COPY . .
RUN go build -o /app/server .
VOLUME /data
CMD ["/app/server"]
