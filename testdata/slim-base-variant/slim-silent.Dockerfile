# Silent: already slim or alpine, not a DF302 image, or not shipped.
FROM python:3.12 AS unused
FROM node:20-alpine
CMD ["node", "server.js"]
