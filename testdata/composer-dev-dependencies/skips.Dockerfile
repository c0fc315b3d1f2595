# Reported with --show-skipped, never edited.
FROM php:8.3-cli
ENV APP_ENV=prod
RUN composer $OPTS install
RUN echo "$(composer install)"
RUN ["composer", "install"]
