# Angular 17 with the application builder: `outputPath` dist/shop plus `/browser` goes to nginx.
FROM node:20-bookworm
WORKDIR /usr/src/app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build
EXPOSE 8080
CMD ["npx", "http-server", "dist/shop/browser", "-p", "8080"]
