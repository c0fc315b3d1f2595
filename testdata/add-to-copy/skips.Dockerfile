# Skips: ADD-only flags, a source from a variable, ONBUILD. Remote sources and heredocs are not
# this rule's business (no finding).
FROM debian:12
ARG FILE=x.txt
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d app.txt /app/
ADD ${FILE} /app/
ONBUILD ADD app.txt /app/
ADD https://example.com/app.txt /app/
ADD git@github.com:moby/buildkit.git /src
ADD <<EOT /app/hello.txt
hello
EOT
