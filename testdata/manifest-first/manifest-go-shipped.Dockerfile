# Go in the stage that ships: unsafe (go mod download may fetch modules the build never uses).
FROM golang:1.22
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/app .
CMD ["app"]
