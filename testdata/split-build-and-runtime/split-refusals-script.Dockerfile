# Refused: an entrypoint script may call SDK tools.
FROM golang:1.22
WORKDIR /app
COPY . .
RUN go build -o /app/server .
ENTRYPOINT ["./docker-entrypoint.sh"]
