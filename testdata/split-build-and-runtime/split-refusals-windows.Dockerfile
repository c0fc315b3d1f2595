# Refused: Windows image.
FROM golang:1.22-windowsservercore
WORKDIR C:/app
COPY . .
RUN go build -o server.exe .
CMD ["server.exe"]
