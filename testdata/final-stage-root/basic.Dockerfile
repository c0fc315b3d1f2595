# The final stage has no USER (the build stage's USER does not count): reported at its FROM.
FROM debian:12 AS build
USER app
FROM debian:12
CMD ["./app"]
