# Refused: npm start runs the prestart script first, which compiles with a devDependency.
FROM node:20
WORKDIR /app
COPY . .
RUN npm ci && npm run build
CMD ["npm", "start"]
