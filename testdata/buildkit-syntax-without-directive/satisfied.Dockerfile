# syntax=docker/dockerfile:1
# Nothing to report: the syntax line is there.
FROM debian:12
RUN --mount=type=cache,target=/root/.cache true
