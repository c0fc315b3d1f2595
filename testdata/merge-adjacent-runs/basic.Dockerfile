# Fires and fixes: short consecutive RUNs merge into one RUN per sequence, in the file's
# continuation style; comments between move inside the continuation; blank lines go.
FROM debian:12
RUN mkdir -p /app
# make the config
RUN echo hi > /app/config

RUN chmod 600 /app/config
WORKDIR /app
RUN true
RUN false || true
