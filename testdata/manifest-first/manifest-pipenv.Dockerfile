# Pipenv: Pipfile and Pipfile.lock first.
FROM python:3.12
WORKDIR /app
COPY . .
RUN pip install pipenv && pipenv install --system --deploy
