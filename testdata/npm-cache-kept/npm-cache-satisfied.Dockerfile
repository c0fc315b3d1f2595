# Nothing to do: the cache is cleaned or mounted, the command downloads nothing, or the stage
# does not ship.
FROM node:20 AS build
RUN npm ci && npm run build
FROM node:20-slim
RUN npm ci && npm cache clean --force
RUN npm install -g pnpm && rm -rf /root/.npm
RUN npm i && rm -rf ~/.npm/_cacache
RUN --mount=type=cache,target=/root/.npm npm ci
RUN npm run build && npm test
RUN npm cache clean --force
RUN npm i && npm cache clear
RUN --mount=type=cache,target=/root/.npm/_cacache npm ci
