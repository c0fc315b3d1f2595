# The lists removal is appended in the file's own style after the last command.
FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends curl
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       make
RUN apt-get update && \
    apt-get install -y --no-install-recommends zip
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends jq
RUN apt-get update && apt-get install -y --no-install-recommends git # keep a note
RUN <<EOF
set -e
apt-get update
apt-get install -y --no-install-recommends patch
EOF
# A removal before the last apt command does not count.
RUN apt-get update && rm -rf /var/lib/apt/lists/* && apt-get install -y --no-install-recommends gcc
