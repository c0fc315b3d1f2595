# Skips: a later RUN (here or in a stage built on this one) installs from these lists; the next
# RUN is a lists cleanup DF002 merges; the script ends with exec or a background job; gates.
FROM debian:bookworm AS base
RUN apt-get update
RUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y --no-install-recommends wget
LABEL x=y
RUN rm -rf /var/lib/apt/lists/* /tmp/*
RUN apt-get update && exec apt-get install -y --no-install-recommends zip
RUN apt-get update && apt-get install -y --no-install-recommends unzip &
ONBUILD RUN apt-get update && apt-get install -y --no-install-recommends git
RUN apt-get update -qq
FROM base
RUN apt-cache policy jq
