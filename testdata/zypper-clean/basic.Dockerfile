# zypper installs, updates and refreshes get `zypper clean -a` appended, global options kept.
FROM opensuse/leap:15.6
RUN zypper -n in git
RUN zypper --non-interactive refresh && \
    zypper --non-interactive install -y curl
RUN sudo zypper -n dup
RUN zypper --gpg-auto-import-keys -n ref && zypper -n install --no-recommends tar
