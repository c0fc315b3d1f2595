# Not converted: a non-root USER, existing mounts, a later reader of the cache, a cleanup that
# is not a plain step, a nested shell; nothing to do without a package manager or when covered.
FROM python:3.12-slim AS reader
RUN pip install --no-cache-dir flask
RUN ls /root/.cache/pip
FROM python:3.12-slim AS mounted
RUN --mount=type=bind,source=r.txt,target=/r.txt pip install -r /r.txt
RUN --mount=type=cache,target=/root/.cache/pip pip install flask
FROM node:20-slim AS layout
RUN npm ci || npm cache clean --force
RUN echo $(pip install flask)
RUN echo hello
FROM node:20-slim
USER node
RUN npm ci
