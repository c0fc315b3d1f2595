# CRLF line endings are kept.
FROM debian:12
ENV A b c
