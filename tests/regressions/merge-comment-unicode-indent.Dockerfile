FROM debian:12
RUN echo a
# note
 # nbsp
RUN echo b
