# setuptools-scm reads .git: it is not excluded, and the file says why.
FROM python:3.12
WORKDIR /app
COPY . .
RUN pip install . && git rev-parse HEAD > /version
