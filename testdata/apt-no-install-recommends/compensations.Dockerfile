# Packages useless without what they only recommend get it back explicitly.
FROM debian:bookworm
# curl needs ca-certificates for HTTPS; gcc needs libc6-dev to link anything.
RUN apt-get update && apt-get install -y curl gcc \
    && rm -rf /var/lib/apt/lists/*
# gnupg fetching keys from a keyserver needs dirmngr.
RUN apt-get install -y gnupg && gpg --keyserver hkps://keys.openpgp.org --recv-keys ABCDEF
