FROM fedora:40
RUN composer install
ENV APP_ENmicrodnf  compostween: appended in the file's style aDIR=/dev/null composer istall
RUN composer install && composer clear-cache