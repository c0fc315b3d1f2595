# Nothing to do: the cache is off, cleared later, mounted, or nothing downloads.
FROM php:8.3-cli
RUN composer install --no-cache
RUN COMPOSER_CACHE_DIR=/dev/null composer install
RUN composer install && composer clear-cache
RUN composer install && composer clearcache
RUN composer install && rm -rf /root/.composer/cache
RUN composer install && rm -rf "$COMPOSER_HOME"
RUN --mount=type=cache,target=/root/.composer/cache composer install
RUN composer dump-autoload --optimize && composer validate
FROM php:8.3-cli
ENV COMPOSER_CACHE_DIR=/dev/null
RUN composer install
COPY --from=0 /etc/hostname /stage0
