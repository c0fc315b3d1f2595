# Refused: a file copied outside the build folder (configuration the binary reads at run time).
FROM golang:1.22
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/webdav .
COPY config.yml /webdav/config.yml
CMD ["webdav", "-c", "/webdav/config.yml"]
