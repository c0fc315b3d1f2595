# allowed-registries = ["docker.io", "*.corp.example", "registry.example.com:5000"] (basic.toml):
# Docker Hub images (any spelling), *.corp.example hosts and registry.example.com:5000 pass;
# ghcr.io, quay.io, gcr.io, another port and localhost are reported, in FROM, COPY --from and
# RUN --mount from=. Earlier stages, stage numbers, scratch and a variable registry are not;
# `# hadolint ignore=DL3026` suppresses the finding.
ARG REGISTRY=ghcr.io
FROM ubuntu:22.04 AS hub
FROM docker.io/library/debian:12 AS hub2
FROM zemanlx/ubuntu:18.04 AS hub3
FROM mirror.corp.example/python:3.12 AS mirrored
FROM registry.example.com:5000/app:1 AS internal
FROM ghcr.io/org/tool:1 AS tool
FROM registry.example.com/app:1 AS other-port
FROM localhost/app AS local
FROM $REGISTRY/app:1 AS templated
# hadolint ignore=DL3026
FROM quay.io/org/suppressed:1 AS suppressed
FROM scratch AS empty
FROM hub
COPY --from=tool /bin/tool /bin/tool
COPY --from=quay.io/org/thing:2 /thing /thing
COPY --from=0 /etc/os-release /os-release
RUN --mount=type=bind,from=gcr.io/distroless/static,source=/etc,target=/mnt true
RUN --mount=type=cache,target=/root/.cache,from=mirrored true
