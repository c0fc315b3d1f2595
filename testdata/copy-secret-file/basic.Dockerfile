# Secret-looking files copied from the context are reported; templates and other stages are not.
FROM debian:12 AS build
COPY .env .env.production /app/
COPY certs/server.key id_rsa.pub /etc/ssl/
COPY .env.example /app/
FROM debian:12
COPY --from=build /app/.env /app/
