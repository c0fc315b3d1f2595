# Yarn 1 (from the copied lockfile) gets its cache mounted and its cleanup removed; a second apt
# RUN does not turn docker-clean off again.
FROM node:20-slim
RUN rm -f /etc/apt/apt.conf.d/docker-clean && echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' > /etc/apt/apt.conf.d/keep-cache
RUN apt-get update && apt-get install -y make
WORKDIR /app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile && yarn cache clean
