# No build context: the Yarn version is unknown (skip), except `yarn global`, which only Yarn 1
# has. Other skips: --cache-folder, a conditional install.
FROM node:20-slim
RUN yarn
RUN yarn global add nodemon
RUN yarn global add pm2 --cache-folder /tmp/yc
RUN if [ -f yarn.lock ]; then yarn global add serve; fi
