# Nothing to do: the cache is off in any spelling, mounted, or the command does not cache.
FROM python:3.12
RUN uv pip install --no-cache flask && uv sync -n && uv --no-cache-dir add x && uv sync -qn
RUN UV_NO_CACHE=1 uv sync && UV_NO_CACHE=Yes uv pip install x
RUN export UV_NO_CACHE=true && uv sync
RUN --mount=type=cache,target=/root/.cache/uv uv sync
RUN uv venv && uv pip list && uv lock && uv pip compile requirements.in
FROM python:3.12
ENV UV_CACHE_DIR=/uv-cache
RUN --mount=type=cache,target=/uv-cache uv sync
ENV UV_NO_CACHE=y
RUN uv sync
COPY --from=0 /etc/hostname /stage0
