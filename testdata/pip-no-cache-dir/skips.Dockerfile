# Reported with --show-skipped, never edited.
FROM python:3.12
ARG NOCACHE
ENV PIP_NO_CACHE_DIR=$NOCACHE
RUN pip install flask
FROM python:3.12
RUN pip install --cache-dir /wheels-cache gunicorn
RUN ["pip", "install", "uvicorn"]
RUN pip $PIP_OPTS install requests
RUN echo "$(pip install six)"
