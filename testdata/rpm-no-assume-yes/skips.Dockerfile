# Reported with --show-skipped, never edited.
FROM fedora:40
RUN dnf $DNF_OPTS install git
RUN zypper $ZYPPER_OPTS install git
RUN echo "$(dnf install make)"
RUN ["dnf", "install", "git"]
