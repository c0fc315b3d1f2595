# The RULES.md §2 gates and commands we cannot read: never edited, reported with --show-skipped.
FROM debian:bookworm
RUN ["apt-get", "install", "jq"]
ONBUILD RUN apt-get install make
RUN echo "$(apt-get install patch)"
RUN apt-get $APT_OPTS install zip
# A single -q is quiet level 1: it does not imply -y.
RUN apt-get -q install unzip
