# Refused: ONBUILD instructions would run as the user in every child build.
FROM node:20
ONBUILD COPY . /app
CMD ["node", "s.js"]
