# pip: the requirement files (and those they include, relative to the including file) are
# copied first; the install RUN moves with its comment; the whole copy keeps its comment.
FROM python:3.12-slim
WORKDIR /app
# the application
COPY . .
# dependencies
RUN pip install --no-cache-dir -r requirements.txt
CMD ["gunicorn", "app:app"]
