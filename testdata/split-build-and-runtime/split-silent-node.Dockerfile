# Silent: a full node image without a build step (DF302's business, not DF300's).
FROM node:20
WORKDIR /app
COPY . .
RUN npm ci
CMD ["node", "server.js"]
