# npm: package.json, the lock and .npmrc go first, with the whole copy's --chown and
# destination.
FROM node:20-slim
WORKDIR /home/node/app
COPY --chown=node:node . /home/node/app
RUN npm ci --omit=dev && npm cache clean --force
CMD ["node", "s.js"]
