# `*` already excludes .git: nothing to do.
FROM node:20
COPY . .
