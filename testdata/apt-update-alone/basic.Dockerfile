# A lone update moves before the first apt command of the next RUN that uses the lists;
# comments and unrelated instructions stay where they are.
FROM debian:bookworm
# refresh the package index
RUN apt-get update
COPY app /app
RUN apt-get purge -y nano
RUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
FROM debian:bookworm AS second
RUN DEBIAN_FRONTEND=noninteractive apt-get update -qq > /dev/null
RUN set -eux; \
    echo start; \
    apt-get install -y --no-install-recommends make; \
    rm -rf /var/lib/apt/lists/*
FROM debian:bookworm AS third
  RUN apt-get update
RUN mkdir /x && apt-cache policy curl
