# Secret-like ARG/ENV names are reported; *_FILE and *_PATH, and values, are not.
FROM debian:12
ARG NPM_TOKEN
ARG GITHUB_TOKEN=x API_KEY_FILE=/run/secrets/key
ENV DB_PASSWORD secret
ENV A="x TOKEN=y" SSH_PRIVATE_KEY_PATH=/k
