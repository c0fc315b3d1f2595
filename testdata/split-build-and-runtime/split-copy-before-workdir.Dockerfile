# Sources copied to /app before `WORKDIR /app`: the build runs in /app, so they are its sources, not files the app reads at run time.
FROM golang:1.22-bookworm
COPY . /app
WORKDIR /app
RUN go build -o /app/server .
EXPOSE 8080
CMD ["/app/server"]
