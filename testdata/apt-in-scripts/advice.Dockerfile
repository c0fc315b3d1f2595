# upgrade/full-upgrade and query subcommands: advice only, no fix.
FROM ubuntu:24.04
RUN apt upgrade -y && apt full-upgrade -y
RUN apt search curl && apt show curl && apt list --installed && apt policy curl
RUN apt --version
