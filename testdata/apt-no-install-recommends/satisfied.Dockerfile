# Nothing to do: the flag or an equivalent setting is already there, or it is not an install.
FROM debian:bookworm
RUN apt-get install -y --no-install-recommends jq
RUN apt-get -o APT::Install-Recommends=false install -y make
RUN apt-get install -oAPT::Install-Recommends=0 -y patch
RUN apt-get --install-recommends install -y zip
RUN apt-get remove -y nano && apt-get purge -y vim
RUN apt-get update
FROM debian:bookworm AS configured
RUN echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/99norecommends
RUN apt-get install -y unzip
