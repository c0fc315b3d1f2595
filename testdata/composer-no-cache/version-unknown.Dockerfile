# Composer of unknown version: `clear-cache` is appended with the same command word.
FROM php:8.3-cli
RUN curl -sS https://getcomposer.org/installer | php -- --install-dir=/usr/local/bin --filename=composer
RUN composer install --no-dev
RUN php -d memory_limit=-1 composer.phar install && \
    php composer.phar dump-autoload
RUN COMPOSER_HOME=/composer composer i
FROM php:7.2-cli
COPY --from=composer:1.8 /usr/bin/composer /usr/bin/composer
RUN composer update
COPY --from=0 /etc/hostname /stage0
