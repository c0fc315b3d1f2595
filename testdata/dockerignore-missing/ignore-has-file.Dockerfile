# An existing .dockerignore is never replaced: DF201 is silent.
FROM node:20
COPY . .
