# CRLF line endings and continuations are kept byte for byte.
FROM debian:bookworm
RUN apt-get update \
    && apt-get install -y \
        zip \
    && rm -rf /var/lib/apt/lists/*
RUN apt-get install -y unzip