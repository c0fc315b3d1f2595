# Modules already downloaded before the whole copy: silent, even with a RUN in between.
FROM golang:1.22
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN echo building
RUN go build -o /app .
