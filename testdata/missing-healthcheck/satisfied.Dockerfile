# Not reported: a HEALTHCHECK, or nothing exposed.
FROM nginx:1.27 AS web
EXPOSE 80
HEALTHCHECK CMD curl -f http://localhost/ || exit 1
FROM web
FROM debian:12 AS other
