# Silent: the cleanup is already in the creating RUN; a cleanup with no earlier RUN using the
# tool; a cleanup in a stage that does not ship.
FROM debian:12 AS unused
RUN apt-get install -y gcc
RUN apt-get clean
FROM debian:12
RUN apt-get install -y curl && apt-get clean
RUN yum clean all
