# ENTRYPOINT in shell form: Unsafe fix; the CMD after it is skipped (the ENTRYPOINT is there).
FROM alpine:3.20
ENTRYPOINT /usr/bin/app --serve
cmd --port 80
