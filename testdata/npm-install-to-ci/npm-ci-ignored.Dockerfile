# .dockerignore keeps package-lock.json out of the context: COPY . . brings no lockfile.
FROM node:20-slim
WORKDIR /app
COPY . .
RUN npm install
