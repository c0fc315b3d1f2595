# package.json declares workspaces: skipped.
FROM node:20-slim
WORKDIR /app
COPY . .
RUN npm install
