# What `node:18-bookworm-slim` gives the fixtures: Node.js 18 and npm from Debian's packages
# (npm's registry is not reachable here: the fixtures need no packages from it), and the
# official image's `node` user (uid 1000).
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
CMD ["node"]
