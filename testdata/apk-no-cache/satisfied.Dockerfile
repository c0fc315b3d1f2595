# Nothing to do: --no-cache in either position, --no-network, a cache mount.
FROM alpine:3.20
RUN apk add --no-cache curl
RUN apk --no-cache add git
RUN apk add --no-network --virtual .rundeps so:libc.so
RUN --mount=type=cache,target=/var/cache/apk apk add make
RUN apk del curl
