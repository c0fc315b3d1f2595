# A lone `RUN apk update` goes once every later apk command fetches its own index.
FROM alpine:3.20
RUN apk update
COPY . /app
RUN apk add make
RUN apk --no-cache add zip
