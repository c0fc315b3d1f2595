# No lockfile reaches the image, or the install asks for none: skipped (`npm ci` would fail).
FROM node:20-slim AS deps
WORKDIR /app
COPY package.json ./
RUN npm install
RUN npm install --no-package-lock
RUN npm --prefix sub install
FROM node:20-slim
WORKDIR /app
COPY --from=deps /app/package.json ./
RUN npm install
RUN cd "$APP" && npm install
