# Every accepted removal of the lists, and cache mounts: nothing to do.
FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends a && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y --no-install-recommends b && rm -rf /var/lib/apt/lists
RUN apt-get update && apt-get install -y --no-install-recommends c && rm -fr /tmp/* /var/lib/apt/*
RUN apt-get update && apt-get install -y --no-install-recommends d && rm -Rf /var/lib/apt
RUN apt-get update && apt-get install -y --no-install-recommends e && rm -rf /var/lib/apt/lists/*_*
RUN apt-get update && apt-get install -y --no-install-recommends f \
    && find /var/lib/apt/lists -type f -delete
RUN apt-get update && apt-get install -y --no-install-recommends g && apt-get distclean
RUN --mount=type=cache,target=/var/lib/apt,sharing=locked \
    apt-get update && apt-get install -y --no-install-recommends h
RUN apt-get install -y --no-install-recommends i
