# Refused: files copied as root, which the program may need to write.
FROM node:20
COPY . /app
CMD ["node", "/app/s.js"]
