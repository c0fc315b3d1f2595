# Nothing to do: the cache is already off, kept on purpose, or the command installs nothing.
FROM python:3.12 AS base
# pip disables the cache for every accepted value, "off" included.
ENV PIP_NO_CACHE_DIR=off
RUN pip install flask
FROM python:3.12
RUN pip install --no-cache-dir flask
RUN PIP_NO_CACHE_DIR=1 pip install gunicorn
RUN export PIP_NO_CACHE_DIR=1 && pip install uvicorn
RUN --mount=type=cache,target=/root/.cache/pip pip install requests
RUN pip download -d /wheels flask && pip uninstall -y six && pip freeze > /r.txt
RUN pip install --help
RUN pipx install black && pipenv install
# pip accepts unambiguous abbreviations of long options: --no-cache is --no-cache-dir.
RUN pip install --no-cache /wheels/*
