# ENV in a parent stage applies to its children; an empty value is ignored by pip.
FROM python:3.12 AS base
ENV PIP_NO_CACHE_DIR=1
FROM base
RUN pip install flask
FROM python:3.12
ENV PIP_NO_CACHE_DIR=
COPY --from=1 /usr/local /usr/local
RUN pip install gunicorn
