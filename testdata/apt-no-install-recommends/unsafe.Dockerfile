# Unsafe: what these packages only recommend is unknown or likely needed later.
FROM debian:bookworm
ARG PKGS="curl git"
RUN apt-get install -y $PKGS
RUN apt-get install -y python3-pip && pip3 install --no-cache-dir cython
RUN apt-get install -y texlive-latex-extra
