# Poetry pinned at 1.2.1 or later gets --no-cache after the subcommand.
FROM python:3.12 AS base
RUN pip install "poetry==1.8.3"
FROM base
RUN poetry install --no-root
RUN poetry -C /app add httpx && poetry update
FROM python:3.12
ENV POETRY_VERSION=1.7.1
RUN curl -sSL https://install.python-poetry.org | python3 - && poetry install
FROM python:3.12
RUN pipx install poetry==1.2.1 && poetry sync
COPY --from=1 /etc/hostname /stage1
COPY --from=2 /etc/hostname /stage2
