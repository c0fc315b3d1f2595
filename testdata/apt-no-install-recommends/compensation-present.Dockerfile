# ca-certificates installed earlier in the stage (or its parent stage), or in the same
# command: nothing added.
FROM debian:bookworm AS base
RUN apt-get install -y --no-install-recommends ca-certificates
FROM base
RUN apt-get install -y wget=1.21.3-1+b2
RUN apt-get install -y git ca-certificates
