# Refused: the entrypoint switches users itself, so it must start as root.
FROM node:20
ENTRYPOINT ["gosu", "node", "node"]
