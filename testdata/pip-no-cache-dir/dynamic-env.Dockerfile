# PIP_NO_CACHE_DIR from a build argument: its value is unknown, so the install is left alone.
FROM python:3.12
ARG NOCACHE
ENV PIP_NO_CACHE_DIR=$NOCACHE
RUN pip install flask
