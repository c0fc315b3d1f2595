# Angular 16 (browser builder): `outputPath` dist/admin is the site itself, no `/browser`.
FROM node:18-bookworm
WORKDIR /app
COPY . .
RUN npm install && npm run build
CMD ["npx", "serve", "-s", "dist/admin"]
