# Reported with --show-skipped, never edited.
FROM opensuse/leap:15.6
RUN zypper --root /rootfs -n in bash
RUN zypper -C /tmp/cache -n in bash
RUN if [ -x /usr/bin/zypper ]; then zypper -n in git; fi
RUN ["zypper", "-n", "in", "git"]
RUN zypper -n in git || exit 1
