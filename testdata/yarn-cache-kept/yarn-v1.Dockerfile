# Yarn 1 (the copied yarn.lock says `# yarn lockfile v1`): `yarn cache clean` is appended.
FROM node:20-slim
WORKDIR /app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
RUN yarn --production && \
    yarn run build
RUN yarn global add serve
RUN yarn add left-pad && yarn cache clean
RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install
RUN yarn build
