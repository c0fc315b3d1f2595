# Gates and dynamic subcommands are skipped with a reason.
FROM debian:bookworm
RUN ["apt", "install", "-y", "jq"]
RUN apt $CMD -y x
RUN echo "$(apt install -y x)"
FROM debian:bookworm AS parent
FROM parent
# The base fact follows the parent stage to its image.
RUN apt install -y --no-install-recommends curl
