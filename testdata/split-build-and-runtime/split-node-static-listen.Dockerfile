# Vite site served by `serve -s dist -l 3000`: the port after -l is no folder; dist/ goes to nginx.
FROM node:18-bookworm
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build
EXPOSE 3000
CMD ["npx", "serve", "-s", "dist", "-l", "3000"]
