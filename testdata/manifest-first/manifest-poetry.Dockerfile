# Poetry without --no-root installs the project too: a dependency-only install is inserted
# before the copy and the original stays (it then only installs the project).
FROM python:3.12
WORKDIR /app
COPY . .
RUN poetry install --only main
