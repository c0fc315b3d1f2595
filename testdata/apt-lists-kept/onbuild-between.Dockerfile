# DF102 leaves a later cleanup-only RUN to DF002 only when DF002 can merge it: metadata between
# (the first pair) but not an ONBUILD instruction (DF002 stops there), so the second install gets
# its own cleanup.
FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends curl
LABEL purpose=demo
RUN rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y --no-install-recommends git
ONBUILD LABEL child=yes
RUN rm -rf /var/lib/apt/lists/*
