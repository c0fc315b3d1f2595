# Earlier CMDs and ENTRYPOINTs of a stage are reported; one per stage is fine.
FROM debian:12 AS a
CMD ["a"]
ENTRYPOINT ["x"]
CMD ["b"]
ENTRYPOINT ["y"]
FROM debian:12
CMD ["c"]
