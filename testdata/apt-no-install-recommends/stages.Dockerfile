# Scope "shipped": a stage the final image never copies from is left alone.
FROM debian:bookworm AS unused
RUN apt-get install -y jq
FROM debian:bookworm AS tools
RUN apt-get install -y make
FROM debian:bookworm
COPY --from=tools /usr/bin/make /usr/bin/make
RUN apt-get install -y patch
