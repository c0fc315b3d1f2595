# A final stage with EXPOSE and no HEALTHCHECK is reported.
FROM nginx:1.27
EXPOSE 80
