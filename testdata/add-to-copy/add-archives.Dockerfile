# Local sources are read in the build context: plain files, directories and a file named like
# an archive that is not one become COPY; tars (ustar or old v7 headers) and compressed files,
# also behind a glob, are refused; keyword case is kept.
FROM debian:12
ADD plain.txt /app/
ADD --chown=app src/ /app/src/
add notes.tar.gz /app/notes
Add conf/*.conf /etc/app/
ADD ["plain.txt", "/app/with space/"]
ADD data.tar /opt/
ADD old.bin /opt/
ADD blob.gz /opt/
ADD dist/* /opt/dist/
