# Skips with a reason: long chains (limits), a background job, a trailing comment, a RUN that
# replaces /bin/sh.
FROM debian:12
RUN a && b && c && d
RUN e
RUN server &
RUN f
RUN g # note
RUN h
RUN ln -sf /bin/bash /bin/sh
RUN source /etc/profile
