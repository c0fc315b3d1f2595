# Nothing to do: cleaned already (any spelling), mounted, or nothing fills the cache.
FROM opensuse/leap:15.6
RUN zypper -n in git && zypper clean -a
RUN zypper -n in git && zypper cc -a
RUN zypper -n in git && zypper clean
RUN zypper -n in git && rm -rf /var/cache/zypp/*
RUN --mount=type=cache,target=/var/cache/zypp zypper -n in git
RUN zypper -n rm vim && zypper se make
RUN zypper -n in tar && zypper -n clean --all
