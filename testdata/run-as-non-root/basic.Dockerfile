# A node base runs as root: USER node goes before the CMD (Unsafe).
FROM node:20-slim
WORKDIR /app
COPY --chown=node:node . .
CMD ["node", "server.js"]
