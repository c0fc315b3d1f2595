# Nothing to do: no later apt RUN in the stage (a child stage's install keeps the update),
# or the update RUN does more than update.
FROM debian:bookworm AS base
RUN apt-get update
FROM base
RUN apt-get install -y --no-install-recommends curl
RUN apt-get update || true
RUN apt-get install -y --no-install-recommends wget
RUN apt-get update && apt-get upgrade -y
RUN apt-get install -y --no-install-recommends zip
