# Yarn Berry Plug'n'Play (lockfile with `__metadata:`, no nodeLinker): the cache is the install,
# so nothing is cleaned (skip plug-n-play).
FROM node:20-slim
WORKDIR /app
COPY . .
RUN yarn install --immutable
