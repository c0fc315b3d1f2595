# Not reported: a non-root USER inherited from the parent stage; a nonroot base.
FROM debian:12 AS base
USER app
FROM base
CMD ["./app"]
