# What `python:3.11-slim` gives the fixtures: python, pip and venv from Debian's packages
# (bookworm has CPython 3.11), pip not "externally managed" (the official image's pip installs
# into the system), and an index on loopback: builds run with `--network host` and the harness
# serves pre-downloaded wheels there (the real index is not reachable from builds here). The host
# is trusted because pip caches downloads only over HTTPS or from trusted hosts, and the cache
# in ~/.cache/pip is what DF120 is about.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 python3-pip python3-venv python-is-python3 \
    && rm -rf /var/lib/apt/lists/* /usr/lib/python3.11/EXTERNALLY-MANAGED
RUN printf '[global]\nindex-url = http://127.0.0.1:3141/simple/\ntrusted-host = 127.0.0.1:3141\ndisable-pip-version-check = true\n' > /etc/pip.conf
CMD ["python3"]
