# Without a build context nothing is known about the lockfile: skipped.
FROM node:20-slim
COPY package*.json ./
RUN npm install
