# Next.js with `output: 'export'` in next.config.mjs: `out/` goes to nginx.
FROM node:20-bookworm
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build
CMD ["npx", "serve", "out"]
