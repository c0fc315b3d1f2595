# The stage already has a maintainer label: the MAINTAINER line is deleted.
FROM debian:12
LABEL org.opencontainers.image.title=app maintainer="Jane <j@x.io>"
MAINTAINER Jane <j@x.io>
RUN true
