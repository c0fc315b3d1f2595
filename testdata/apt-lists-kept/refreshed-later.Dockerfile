# A later RUN that updates before installing does not need these lists; apt-get remove and
# purge never read them.
FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends curl
RUN apt-get purge -y nano && apt-get autoremove -y
RUN apt-get update && apt-get install -y --no-install-recommends wget && rm -rf /var/lib/apt/lists/*
