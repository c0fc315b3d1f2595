# Refused: angular.json's production configuration overrides `outputPath`, so the folder depends on the configuration the build picks.
FROM node:20-bookworm
WORKDIR /app
COPY . .
RUN npm install && npm run build
CMD ["npx", "serve", "-s", "dist/shop/browser"]
