# `apt` becomes `apt-get` (path kept). Subcommands that download no package are Safe anywhere;
# on an official Debian image docker-clean deletes downloaded .debs, so install is Safe too.
FROM debian:bookworm
RUN apt update && apt install -y --no-install-recommends curl
RUN /usr/bin/apt remove -y nano && apt purge -y vim && apt autoremove -y && apt clean
RUN sudo apt-get update && DEBIAN_FRONTEND=noninteractive apt install -y zip
