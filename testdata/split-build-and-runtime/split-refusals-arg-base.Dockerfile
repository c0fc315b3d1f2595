# Refused: the base is a build argument.
ARG GO=1.22
FROM golang:${GO}
WORKDIR /app
COPY . .
RUN go build -o /app/server .
CMD ["/app/server"]
