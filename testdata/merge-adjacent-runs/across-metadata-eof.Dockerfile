# The merged RUN ends the file without a final newline: the moved LABEL ends it the same way.
FROM debian:12
RUN echo a
LABEL x=y
RUN echo b