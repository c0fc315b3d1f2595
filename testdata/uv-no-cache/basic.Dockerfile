# Every caching uv command gets --no-cache after its last subcommand word.
FROM python:3.12
RUN uv pip install --system -r requirements.txt
RUN uv sync --locked && uv run python -m app.migrate
RUN uv --directory /app add httpx && uv tool install ruff
RUN uv pip sync requirements.txt
FROM python:3.12
# 0/false/no keep uv's cache (clap's BoolishValueParser), unlike pip.
ENV UV_NO_CACHE=0
RUN uv sync
RUN UV_NO_CACHE=off uv sync --frozen
COPY --from=0 /etc/hostname /stage0
