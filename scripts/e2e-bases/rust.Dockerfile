# What `rust:1.63-bookworm` gives the fixtures: cargo and rustc 1.63 from Debian's packages (what
# bookworm ships; the official images install rustup's toolchain instead), CARGO_HOME and PATH as
# in the official image, and ca-certificates as buildpack-deps, its base, has them. crates.io is
# not reachable here: the fixtures use the standard library only.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends cargo rustc ca-certificates \
    && rm -rf /var/lib/apt/lists/*
ENV CARGO_HOME=/usr/local/cargo PATH=/usr/local/cargo/bin:$PATH
