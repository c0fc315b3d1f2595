# Next.js with `output: 'standalone'`: the runtime gets .next/standalone, .next/static inside it and public/, and runs `node server.js` on the port `next start -p` named.
FROM node:20-bookworm
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
ENV NODE_ENV=production
RUN npm run build
EXPOSE 8080
CMD ["npm", "start"]
