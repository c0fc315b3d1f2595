# Nothing to do: no production APP_ENV, or the choice is explicit.
FROM php:8.3-cli
RUN composer install
ENV APP_ENV=dev
RUN composer install
FROM php:8.3-cli
ENV APP_ENV=prod
RUN composer install --no-dev && composer install --dev && composer update
RUN COMPOSER_NO_DEV=1 composer install
COPY --from=0 /etc/hostname /stage0
