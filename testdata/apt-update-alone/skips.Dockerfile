# Skips: sources or user change between, a script between, different flags, a pragma, an
# install that is not at the head of an && chain, an update with other options.
FROM debian:bookworm AS a
RUN apt-get update
COPY docker.list /etc/apt/sources.list.d/docker.list
RUN apt-get install -y --no-install-recommends docker-ce
FROM debian:bookworm AS b
RUN apt-get update
ENV http_proxy=http://proxy:3128
RUN apt-get install -y --no-install-recommends curl
FROM debian:bookworm AS c
RUN apt-get update
USER app
RUN sudo apt-get install -y --no-install-recommends curl
FROM debian:bookworm AS d
RUN apt-get update
RUN ./install-deps.sh
RUN apt-get install -y --no-install-recommends curl
FROM debian:bookworm AS e
RUN apt-get update
RUN --network=host apt-get install -y --no-install-recommends curl
FROM debian:bookworm AS f
# hadolint ignore=DL3009
RUN apt-get update
RUN apt-get install -y --no-install-recommends curl
FROM debian:bookworm AS g
RUN apt-get update
RUN echo hi; apt-get install -y --no-install-recommends curl
FROM debian:bookworm AS h
RUN apt-get update -o Acquire::Check-Valid-Until=false
RUN apt-get update && apt-get install -y --no-install-recommends curl
FROM debian:bookworm AS i
RUN apt-get update
RUN echo 'deb http://x y z' > /etc/apt/sources.list.d/x.list && apt-get install -y --no-install-recommends curl
