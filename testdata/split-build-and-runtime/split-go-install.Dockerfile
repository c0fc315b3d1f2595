# go install writes /go/bin/NAME; the bare CMD name is copied onto the runtime's PATH. Alpine builder → alpine runtime.
FROM golang:1.22-alpine3.19
WORKDIR /src
COPY . .
RUN go install ./cmd/api
ENTRYPOINT ["api"]
