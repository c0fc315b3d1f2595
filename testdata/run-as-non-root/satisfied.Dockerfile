# Nothing to do: a USER already, a nonroot distroless base, or an unknown base user.
FROM node:20
USER node
CMD ["node", "s.js"]
FROM gcr.io/distroless/base-debian12:nonroot
FROM debian:12
