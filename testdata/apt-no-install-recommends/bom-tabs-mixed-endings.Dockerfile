# syntax=docker/dockerfile:1
# BOM, tabs, mixed line endings and a COPY heredoc around the edit stay byte for byte.
FROM debian:bookworm
COPY <<EOF /etc/motd
	RUN apt-get install -y not-an-instruction
EOF
RUN	apt-get update \
	&&	apt-get install	-y	jq \
	# a comment line inside the continuation
	&&	rm -rf /var/lib/apt/lists/*
