# Create React App served by `serve -s build`: the build folder goes to nginx; the original CMD stays in the builder.
FROM node:18-bookworm
WORKDIR /app
COPY . .
RUN npm install && npm run build
EXPOSE 3000
CMD ["npx", "serve", "-s", "build"]
