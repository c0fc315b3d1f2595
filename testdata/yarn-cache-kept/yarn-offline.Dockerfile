# A later RUN installs --offline from the cache: the first install keeps it (skip).
FROM node:20-slim
RUN yarn global add serve
RUN yarn global add pm2 --offline
