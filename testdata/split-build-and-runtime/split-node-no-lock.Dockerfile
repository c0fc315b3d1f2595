# Node server installed by npm without a package-lock.json: npm prune would resolve the tree
# again, so the WORKDIR is copied with its devDependencies (said in the finding).
FROM node:22
WORKDIR /app
COPY package.json ./
RUN npm install
COPY . .
RUN npm run build
CMD ["node", "build/server.js"]
