# Every refusal is a skip with its reason (--show-skipped); nothing is edited.
FROM python:3.12 AS installs-the-project
COPY . .
RUN pip install .
FROM python:3.12 AS local-requirement-inside
COPY . .
RUN pip install -r requirements-local.txt
FROM python:3.12 AS ignored-manifest
COPY . .
RUN pip install -r dev.txt
FROM python:3.12 AS generated-manifest
COPY . .
RUN pip install -r requirements.lock
FROM python:3.12 AS other-commands
COPY . .
RUN apt-get update && pip install -r requirements.txt
FROM python:3.12 AS run-between
COPY . .
RUN python manage.py collectstatic
RUN pip install -r requirements.txt
FROM python:3.12 AS env-between
COPY . .
ENV PIP_INDEX_URL=https://mirror.example/simple
RUN pip install -r requirements.txt
FROM python:3.12 AS several-copies
COPY . .
RUN pip install -r requirements.txt
COPY . /srv
FROM node:20 AS lifecycle-scripts
COPY . .
RUN npm install
FROM node:20 AS scripts-off-is-fine
COPY . .
RUN npm ci --ignore-scripts
FROM python:3.12 AS workdir-between
COPY . /app
WORKDIR /app
RUN pip install -r requirements.txt
FROM python:3.12 AS already-fixed
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY . .
