# Inline suppression with the default rules: an attached `# dockfix: ignore=` (codes or names,
# a reason after a second #), a hadolint pragma mapped by RULES.md §13, a global ignore; a
# merge is suppressed when either RUN suppresses DF001; unused codes are DF590.
# dockfix: global ignore=DF500
FROM ubuntu
# dockfix: ignore=DF101,apt-no-assume-yes # we want recommends here
RUN apt-get update && apt-get install curl && rm -rf /var/lib/apt/lists/*
# hadolint ignore=DL3015
RUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*
# hadolint ignore=DL3008,SC2086
RUN apt-get update && apt-get install -y jq && rm -rf /var/lib/apt/lists/*
RUN echo a
# dockfix: ignore=DF001
RUN echo b
# dockfix: ignore=DF120,NOPE

RUN echo c
USER app
