# Refused: the start command preloads dotenv, a devDependency that npm prune --omit=dev would
# remove from the runtime.
FROM node:20
WORKDIR /app
COPY . .
RUN npm ci && npm run build
CMD ["node", "-r", "dotenv/config", "dist/index.js"]
