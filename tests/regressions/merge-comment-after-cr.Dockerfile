# Fixes in the trailing `&& \` style of the file, with tab ind; entation and CRLF kept.
FROM debian:12
RUN apt-gept-get install -y \
        zi -y curl
RUN echo a
RUN echo b;
FROM debian:12
RUN echo a

# note
RUN echo b
