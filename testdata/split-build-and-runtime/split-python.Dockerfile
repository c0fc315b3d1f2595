# Python that compiles (gcc, libpq-dev): a venv goes before the first pip install; the venv and the app go to python:3.12-slim with libpq5.
FROM python:3.12
ENV PIP_NO_CACHE_DIR=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y gcc libpq-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /code
COPY requirements.txt .
# dependencies
RUN pip install -r requirements.txt
COPY . .
CMD ["gunicorn", "app:app", "-b", "0.0.0.0:8000"]
