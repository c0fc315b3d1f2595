# Reported with --show-skipped, never edited.
FROM fedora:40 AS configured
RUN echo keepcache=1 >> /etc/dnf/dnf.conf
RUN dnf install -y git
FROM fedora:40
COPY --from=configured /etc/os-release /tmp/
RUN dnf --setopt=keepcache=True install -y gcc
RUN dnf install -y --installroot /rootfs bash
RUN if command -v dnf; then dnf install -y git; else apt-get install -y git; fi
RUN echo "$(dnf install -y make)"
RUN dnf install -y curl &
RUN dnf install -y tar && exec sleep 1
RUN echo dnf | xargs -I{} dnf install -y {}
RUN ["dnf", "install", "-y", "zip"]
ONBUILD RUN dnf install -y unzip
