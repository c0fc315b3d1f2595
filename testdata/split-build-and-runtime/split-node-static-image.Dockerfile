# Create React App served by `serve -s build`; the fixture's dockfix.toml sets `static-runtime-image = "nginx:stable-alpine"`, which replaces the default nginx:stable-bookworm.
FROM node:18-bookworm
WORKDIR /app
COPY . .
RUN npm install && npm run build
EXPOSE 3000
CMD ["npx", "serve", "-s", "build"]
