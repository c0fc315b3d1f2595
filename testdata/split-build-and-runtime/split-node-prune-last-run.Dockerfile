# Node server built and tested as the node user: the prune goes after the last RUN (the tests
# still have their devDependencies) and runs as node, who installed node_modules.
FROM node:20
USER node
WORKDIR /home/node/app
COPY --chown=node:node package.json package-lock.json ./
RUN npm ci
COPY --chown=node:node . .
RUN npm run build
RUN npm test
EXPOSE 8080
CMD ["node", "dist/index.js"]
