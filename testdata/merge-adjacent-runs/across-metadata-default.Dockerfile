# merge-across-metadata is off by default: an EXPOSE between two RUNs keeps them two layers.
FROM debian:12
RUN echo a
EXPOSE 80
RUN echo b
