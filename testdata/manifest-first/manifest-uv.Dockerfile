# uv sync: `uv sync --no-install-project` first, the original after the copy.
FROM python:3.12
WORKDIR /app
COPY . /app
RUN uv sync --frozen
