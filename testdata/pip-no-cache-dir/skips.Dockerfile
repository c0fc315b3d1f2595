# Reported with --show-skipped, never edited.
FROM python:3.12
RUN pip install --cache-dir /wheels-cache gunicorn
RUN ["pip", "install", "uvicorn"]
RUN pip $PIP_OPTS install requests
RUN echo "$(pip install six)"
