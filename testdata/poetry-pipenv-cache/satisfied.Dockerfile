# Nothing to do: the cache is off, mounted or cleared, or the command does not cache.
FROM python:3.12
RUN poetry install --no-cache && poetry export -f requirements.txt && poetry config virtualenvs.create false
RUN --mount=type=cache,target=/root/.cache/pypoetry poetry install
RUN PIP_NO_CACHE_DIR=1 pipenv install && pipenv lock
RUN pipenv install --system && pipenv --clear
RUN --mount=type=cache,target=/root/.cache pipenv sync
