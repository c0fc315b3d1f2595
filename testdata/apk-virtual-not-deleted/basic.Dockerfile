# A virtual package not deleted in its own RUN: advice, naming the later RUN that deletes it;
# runtime-dependency groups (`.python-rundeps`) are kept on purpose and not reported.
FROM alpine:3.20
RUN apk add --no-cache --virtual .build-deps gcc musl-dev && make && apk del .build-deps
RUN apk add --no-cache -t .fetch-deps curl && curl -O https://example.com/x
RUN apk del .fetch-deps
RUN apk add --no-cache --virtual=.keep bash
RUN apk add --no-cache --virtual .dyn gcc && apk del $DEPS
RUN apk add --no-cache --no-network --virtual .python-rundeps so:libc.so
