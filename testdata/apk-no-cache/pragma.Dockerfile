# A lone update carrying its own pragma is not deleted: the pragma would move to the next
# instruction.
FROM alpine:3.20
# hadolint ignore=DL3018
RUN apk update
RUN apk add --no-cache make
