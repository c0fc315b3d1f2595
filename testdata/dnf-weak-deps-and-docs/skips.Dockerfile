# Reported with --show-skipped, never edited.
FROM fedora:40
RUN dnf $DNF_OPTS install -y git
RUN echo "$(dnf install -y make)"
RUN ["dnf", "install", "-y", "git"]
