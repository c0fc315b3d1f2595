# Each BuildKit-only feature is named with the frontend that introduced it; no fix.
FROM debian:12
RUN --mount=type=cache,target=/var/cache/apt apt-get update
COPY --link --chmod=755 run.sh /usr/local/bin/
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/a /a
ADD https://github.com/moby/buildkit.git#v0.10.1 /src
RUN <<EOT
echo hi
EOT
