# node_modules installed as root, but the last RUN runs as node: npm prune there could not
# write node_modules, so the WORKDIR is copied with its devDependencies (said in the finding).
FROM node:20
WORKDIR /app
COPY . .
RUN npm ci && npm run build
USER node
RUN node dist/check.js
CMD ["node", "dist/index.js"]
