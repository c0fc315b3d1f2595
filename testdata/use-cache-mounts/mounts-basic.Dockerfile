# apt, pip and npm RUNs get cache mounts; the no-cache flags and cleanups go; the first apt RUN
# of the stage turns docker-clean off, before its first statement (not inside a `$( )`).
FROM python:3.12-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y git && apt-get clean && rm -rf /var/lib/apt/lists/* /tmp/*
RUN pip install --no-cache-dir -r requirements.txt
RUN python -m pip install \
    --no-cache-dir \
    flask
RUN npm ci && npm cache clean --force
RUN pip install uv; pip install --no-cache-dir ruff
FROM debian:12
RUN dpkgArch="$(dpkg --print-architecture)" && apt-get update && apt-get install -y curl \
    && sudo rm -rf /var/lib/apt/lists/*
