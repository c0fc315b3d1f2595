# Composer (unsafe): the install moves before the copy without scripts and autoloader; the
# autoloader (with the original's -o) and post-install-cmd run after the copy.
FROM php:8.3-cli
WORKDIR /app
COPY . .
RUN composer install --no-dev -o
CMD ["php", "app.php"]
