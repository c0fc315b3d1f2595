# A heredoc script run by the default shell is shell text too; other heredocs are skipped.
FROM debian:bookworm
RUN <<EOF
set -e
apt-get update
apt-get install -y jq
EOF
RUN python3 <<EOF
print("apt-get install -y make")
EOF
RUN bash <<'SCRIPT'
apt-get install -y patch
SCRIPT
RUN echo done
