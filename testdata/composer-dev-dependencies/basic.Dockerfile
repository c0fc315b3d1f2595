# In a production image (APP_ENV), composer install gets --no-dev (unsafe).
FROM php:8.3-cli
ENV APP_ENV=prod
RUN composer install --optimize-autoloader
RUN APP_ENV=production composer i
