# What `python:3.11-bookworm` (the full image, on buildpack-deps) gives the fixtures: python, pip
# and venv from Debian's packages (bookworm has CPython 3.11) with the headers and a C toolchain
# to compile extensions, git and curl as buildpack-deps has them, and pip configured as in
# python.Dockerfile (not "externally managed", wheels from the harness's index on loopback).
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 python3-pip python3-venv python3-dev \
        python-is-python3 build-essential git curl ca-certificates \
    && rm -rf /var/lib/apt/lists/* /usr/lib/python3.11/EXTERNALLY-MANAGED
RUN printf '[global]\nindex-url = http://127.0.0.1:3141/simple/\ntrusted-host = 127.0.0.1:3141\ndisable-pip-version-check = true\n' > /etc/pip.conf
CMD ["python3"]
