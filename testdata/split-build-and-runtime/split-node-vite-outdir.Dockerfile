# Vite with a literal `build.outDir: 'build/web'` in vite.config.ts: that folder goes to nginx.
FROM node:20-bookworm
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build
EXPOSE 3000
CMD ["npx", "serve", "-s", "build/web", "-l", "3000"]
