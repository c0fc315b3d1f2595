# The flag goes right after `install`, on its own physical line, in every spelling of apt.
FROM debian:bookworm
RUN apt-get update && apt-get install -y jq
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get -q install -y \
       make \
       patch \
    && rm -rf /var/lib/apt/lists/*
RUN set -eux; \
    apt-get update; \
# comment lines inside a continuation are kept
    apt install -y --no-upgrade tzdata; \
    rm -rf /var/lib/apt/lists/*
RUN if [ -n "$X" ]; then sudo -E /usr/bin/apt-get install -y zip; fi
RUN sh -c 'apt-get install -y unzip'
