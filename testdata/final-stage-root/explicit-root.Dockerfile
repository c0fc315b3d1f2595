# The last USER is root: reported.
FROM debian:12
USER app
RUN true
USER 0:0
