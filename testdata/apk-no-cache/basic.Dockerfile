# --no-cache goes right after `add`; then the `apk update && ` before it is deleted (next round).
FROM alpine:3.20
RUN apk update && apk add curl
RUN apk update \
    && apk add --virtual .build-deps gcc \
    && apk del .build-deps
RUN apk -U add git && rm -rf /var/cache/apk/*
RUN apk update && apk add --no-cache jq
