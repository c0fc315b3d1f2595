# Composer from the official image (≥ 1.9) gets the global --no-cache after the subcommand.
FROM php:8.3-cli
COPY --from=composer:2 /usr/bin/composer /usr/bin/composer
RUN composer install --no-interaction
RUN COMPOSER_ALLOW_SUPERUSER=1 composer --working-dir=/app require monolog/monolog \
    && composer update
FROM php:8.3-cli
COPY --from=composer /usr/bin/composer /usr/bin/composer
RUN if [ -f composer.json ]; then composer install; fi
FROM php:8.3-cli
RUN curl -sS https://getcomposer.org/installer | php -- --install-dir=/usr/local/bin --filename=composer --version=2.7.1
RUN composer create-project laravel/laravel app
COPY --from=0 /etc/hostname /stage0
COPY --from=1 /etc/hostname /stage1
