# MAINTAINER becomes a maintainer LABEL, text kept verbatim (quotes, backslashes and $ escaped);
# lower-case keyword stays lower case.
FROM debian:12
MAINTAINER Jane Doe <jane@example.com>
FROM debian:12 AS b
maintainer "Bob $USER" \o/
