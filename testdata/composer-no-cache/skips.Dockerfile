# Reported with --show-skipped, never edited.
FROM php:8.3-cli
RUN composer $COMPOSER_OPTS install
RUN if [ -f composer.json ]; then composer install; fi
RUN echo "$(composer install)"
RUN composer install && exit 0
RUN ["composer", "install"]
