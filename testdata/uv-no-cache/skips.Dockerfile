# Reported with --show-skipped, never edited.
FROM python:3.12
RUN uv pip install --cache-dir /wheels flask
RUN uv $UV_OPTS sync
RUN UV_NO_CACHE=$NOCACHE uv sync
RUN echo "$(uv sync)"
RUN ["uv", "sync"]
