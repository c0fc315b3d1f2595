# Skips: pinned by digest (no digest of the slim variant offline).
FROM debian:bookworm@sha256:0000000000000000000000000000000000000000000000000000000000000000
CMD ["bash"]
