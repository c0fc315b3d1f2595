# The blank run after the key becomes `=`; a value with blanks is quoted; with quotes or
# backslashes, its unquoted blanks are escaped; LABEL too; CRLF kept.
FROM debian:12
ENV LANG C.UTF-8
ENV PATH   /opt/bin:$PATH
ENV OPTS -a  -b
ENV MIXED "a b" c 'd e'
ENV WIN C:\dir x
LABEL description A small image
