# Reported with --show-skipped, never edited.
FROM node:20-slim
RUN npm ci --cache /tmp/npm-cache
RUN if [ -f package-lock.json ]; then npm ci; fi
RUN echo $(npm install)
RUN npm ci && exec node server.js
RUN ["npm", "ci"]
RUN find . -name package.json | xargs npm install
