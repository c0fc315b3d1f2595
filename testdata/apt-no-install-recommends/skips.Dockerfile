# The gates of RULES.md §2: never edited, reported only with --show-skipped.
FROM debian:bookworm
RUN ["apt-get", "install", "-y", "jq"]
ONBUILD RUN apt-get install -y make
RUN echo "$(apt-get install -y patch)"
RUN apt-get $APT_OPTS install -y zip
SHELL ["/bin/fish", "-c"]
RUN apt-get install -y unzip
