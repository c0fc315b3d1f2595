# Node server installed by yarn: npm prune cannot prune yarn's node_modules, so the WORKDIR is
# copied with its devDependencies (said in the finding).
FROM node:20-bookworm
WORKDIR /srv
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
COPY . .
RUN yarn build
CMD ["node", "dist/main.js"]
