# What `golang:1.19-bookworm` gives the fixtures: Go 1.19 from Debian's packages, GOPATH as in
# the official image, and no module proxy (the fixtures use the standard library only).
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends golang-go ca-certificates git \
    && rm -rf /var/lib/apt/lists/*
ENV GOPATH=/go PATH=/go/bin:/usr/lib/go/bin:$PATH GOPROXY=off
WORKDIR /go
