# Refused: the USER is created by a RUN.
FROM golang:1.22
RUN useradd -m app
WORKDIR /app
COPY . .
RUN go build -o /app/server .
USER app
CMD ["/app/server"]
