# Yarn Berry with `nodeLinker: node-modules` (.yarnrc.yml beside the lockfile): `yarn cache clean
# --all` is an unsafe fix (it also empties the project's .yarn/cache).
FROM node:20-slim
WORKDIR /app
COPY package.json yarn.lock .yarnrc.yml ./
RUN corepack enable && yarn install --immutable
