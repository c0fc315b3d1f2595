# Refused: vite.config.mjs computes `build.outDir` from an environment variable, which only running it would tell.
FROM node:20-bookworm
WORKDIR /app
COPY . .
RUN npm install && npm run build
CMD ["npx", "serve", "-s", "dist"]
