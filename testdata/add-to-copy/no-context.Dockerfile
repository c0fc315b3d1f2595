# Without the files at hand (absent from the context), names that end like an archive are
# refused and the others become COPY.
FROM debian:12
ADD missing.tgz /opt/
ADD missing.txt /opt/
ADD *.tar.xz /opt/
