# Refused: next.config.js sets `output` only under a condition, which only running it would tell.
FROM node:20-bookworm
WORKDIR /app
COPY . .
RUN npm install && npm run build
CMD ["npx", "serve", "out"]
