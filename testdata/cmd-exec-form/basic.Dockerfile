# A plain CMD becomes exec form: quotes removed, escaped blanks and quotes kept, JSON-escaped.
FROM python:3.12-slim
CMD python "app.py" --greeting 'hello world' --name a\ b --say "\"hi\""
