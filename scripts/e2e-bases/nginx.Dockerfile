# What `nginx:stable-bookworm` gives the fixtures: nginx from Debian's package, configured as the
# official image is: the site in /usr/share/nginx/html served on port 80 by
# /etc/nginx/conf.d/default.conf, logs to the container's output, nginx in the foreground.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends nginx \
    && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/default \
    && ln -sf /dev/stdout /var/log/nginx/access.log \
    && ln -sf /dev/stderr /var/log/nginx/error.log
RUN printf '%s\n' \
        'server {' \
        '    listen 80;' \
        '    server_name localhost;' \
        '    location / {' \
        '        root /usr/share/nginx/html;' \
        '        index index.html index.htm;' \
        '    }' \
        '}' > /etc/nginx/conf.d/default.conf
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
