# The build RUN is the last line, without a final newline: the prune goes on a new line after it,
# before the runtime stage.
FROM node:20
WORKDIR /app
COPY . .
CMD ["node", "dist/index.js"]
RUN npm ci && npm run build