# Nothing to do: exec form already.
FROM debian:12
CMD ["./run", "--flag"]
ENTRYPOINT ["tini", "--"]
