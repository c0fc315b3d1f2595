# What `node:18-bookworm` gives the fixtures: the official image is Node.js on
# `buildpack-deps:bookworm` (compilers, make, git, curl, Python and development headers for
# native modules). Here: Node.js 18 and npm from Debian's packages (npm's registry is not
# reachable: the fixtures need no packages from it), the core of buildpack-deps' package list,
# and the official image's `node` user (uid 1000).
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
        build-essential git python3 curl wget ca-certificates gnupg openssh-client procps \
        libssl-dev zlib1g-dev libffi-dev libbz2-dev libreadline-dev libsqlite3-dev \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
CMD ["node"]
