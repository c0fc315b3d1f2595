# No .dockerignore: one is proposed (unsafe) with the Node entries; node_modules and dist
# because the image installs and builds them; .env commented out (the app uses dotenv);
# `dist/server.js`, which CMD names, and `target/app.jar`, which COPY names, stay.
FROM node:20
WORKDIR /app
COPY . .
RUN npm ci && npm run build
COPY target/app.jar /opt/app.jar
CMD ["node", "dist/server.js"]
