# Refused: `next start` without `output: 'standalone'` serves .next with the whole node_modules; no smaller artifact to copy.
FROM node:20-bookworm
WORKDIR /app
COPY . .
RUN npm install && npm run build
CMD ["npx", "next", "start"]
