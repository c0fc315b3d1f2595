# Reported with --show-skipped, never edited.
FROM python:3.12
RUN pip install poetry==1.8.3
RUN poetry $OPTS install
RUN echo "$(poetry install)"
RUN ["poetry", "install"]
