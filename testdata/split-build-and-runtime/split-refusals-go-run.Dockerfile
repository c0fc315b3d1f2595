# Refused: the CMD runs the toolchain.
FROM golang:1.22
WORKDIR /app
COPY . .
CMD ["go", "run", "."]
