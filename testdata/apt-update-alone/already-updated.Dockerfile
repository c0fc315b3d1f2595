# The next apt RUN updates first: the lone update is only deleted (two lone updates in a row
# both go).
FROM debian:bookworm
RUN apt-get update
RUN apt-get update
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
