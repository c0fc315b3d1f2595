# A later RUN installs from the cache alone: cleaning it after makecache would break that RUN.
FROM fedora:40
RUN dnf makecache
RUN dnf -C install -y patch && dnf clean all
