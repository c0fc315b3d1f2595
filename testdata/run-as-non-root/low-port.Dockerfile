# Refused: a port below 1024 cannot be bound by an unprivileged user where unprivileged ports
# are not lowered (e.g. Kubernetes).
FROM node:20
EXPOSE 80
CMD ["node", "s.js"]
