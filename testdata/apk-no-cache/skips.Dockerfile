# Skips: --cache-dir, dynamic options, nested shells, gates; an update kept because a later
# command reads the index it cached; a persistent cache set up earlier.
FROM alpine:3.20 AS base
RUN apk add --cache-dir /tmp/c curl
RUN apk $APK_OPTS add git
RUN echo "$(apk add jq)"
RUN ["apk", "add", "zip"]
RUN apk update && apk add --no-cache curl && apk search -v bash
FROM base
RUN ln -s /var/cache/apk /etc/apk/cache
RUN apk add wget
