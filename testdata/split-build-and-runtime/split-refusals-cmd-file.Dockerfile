# Refused: the CMD reads a config file copied into the builder only.
FROM golang:1.22
WORKDIR /webdav
COPY . .
RUN go install .
CMD ["webdav", "-c", "/webdav/config.yml"]
