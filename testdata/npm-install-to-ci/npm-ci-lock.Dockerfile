# package.json and package-lock.json were copied from the build context into the working
# directory: `npm install` becomes `npm ci` (unsafe), flags kept; also after a literal `cd`.
FROM node:20-slim
WORKDIR /app
COPY package*.json ./
RUN npm install
RUN npm i --omit=dev --loglevel warn
COPY web /srv/web
RUN cd /srv/web && npm install --no-audit
RUN npm install express
RUN npm install -g nodemon
RUN npm ci
