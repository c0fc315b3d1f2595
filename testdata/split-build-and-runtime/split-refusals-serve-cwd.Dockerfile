# Refused: `serve -l 3000` names no folder, so it serves WORKDIR (sources and all), not build/.
FROM node:18-bookworm
WORKDIR /app
COPY . .
RUN npm install && npm run build
EXPOSE 3000
CMD ["npx", "serve", "-l", "3000"]
