# Fixes in the trailing `&& \` style of the file, with tab indentation and CRLF kept.
FROM debian:12
RUN apt-get update && \
	apt-get install -y curl
RUN echo a
RUN echo b;
FROM debian:12
RUN echo a

# note
RUN echo b
