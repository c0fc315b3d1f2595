# Every npm install, ci or update gets `npm cache clean --force` appended, in the RUN's style,
# with the same command word (sudo, path, assignment prefixes).
FROM node:20-slim
WORKDIR /app
COPY package*.json ./
RUN npm ci
RUN NODE_ENV=production npm ci --omit=dev
RUN npm install -g yarn@1.22.22 \
    && yarn --version
RUN sudo /usr/local/bin/npm i -g pm2 && \
    pm2 --version
RUN set -e; \
    npm update; \
    npm ls
RUN npm --loglevel warn install # keep the comment
RUN <<EOF
npm install
EOF
