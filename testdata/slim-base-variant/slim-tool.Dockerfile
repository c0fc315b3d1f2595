# Skips: the build runs git, which only the full image has.
FROM node:20
RUN git clone https://example.com/x.git /x
CMD ["node", "/x/server.js"]
