# Refused: a RUN after the CMD would run as the user.
FROM node:20
CMD ["node", "s.js"]
RUN npm install
