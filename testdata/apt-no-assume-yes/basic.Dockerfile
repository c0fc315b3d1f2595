# Every prompting subcommand gets -y right after it, through wrappers and on its own line.
FROM debian:bookworm
RUN apt-get update && apt-get install --no-install-recommends curl
RUN apt-get remove nano && apt-get purge vim && apt-get autoremove
RUN apt-get upgrade && apt-get dist-upgrade && apt full-upgrade
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive sudo -E apt-get -q install \
       --no-install-recommends make
RUN apt-get --force-yes install --no-install-recommends zip
RUN if true; then apt-get install --no-install-recommends jq; fi
