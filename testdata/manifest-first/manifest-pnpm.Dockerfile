# pnpm: package.json and pnpm-lock.yaml first.
FROM node:20
WORKDIR /app
COPY . .
RUN corepack enable && pnpm install --frozen-lockfile
