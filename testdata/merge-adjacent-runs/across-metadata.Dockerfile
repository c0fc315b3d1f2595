# merge-across-metadata = true (across-metadata.toml): RUNs with only LABEL, EXPOSE, MAINTAINER,
# STOPSIGNAL, HEALTHCHECK, CMD or ENTRYPOINT between them merge; those move below the merged
# RUN, verbatim and in order with the comment lines above them; a comment right above a later
# RUN goes into the continuation as usual. Three RUNs around two metadata blocks: one merge.
FROM debian:12 AS build
RUN mkdir -p /app
# the port the app listens on
EXPOSE 8080

LABEL org.opencontainers.image.title="app" \
      org.opencontainers.image.vendor="example"
# write the config
RUN echo hi > /app/config
STOPSIGNAL SIGTERM
RUN chmod 600 /app/config
HEALTHCHECK CMD test -f /app/config
CMD ["cat", "/app/config"]

# A RUN that changes the shell is isolated as usual; ENTRYPOINT and MAINTAINER move.
FROM debian:12 AS isolate
RUN cd /tmp && touch x
ENTRYPOINT ["/bin/sh"]
MAINTAINER someone
RUN ls

# Never across ENV, ARG, USER, WORKDIR, COPY, VOLUME (they change what the next RUN sees),
# ONBUILD, or a pragma between (it would change scope).
FROM debian:12 AS never
RUN echo a
ENV X=1
RUN echo b
ARG Y=2
RUN echo c
USER nobody
RUN echo d
LABEL a=b
VOLUME /data
RUN echo e
ONBUILD LABEL x=y
RUN echo f
# hadolint ignore=DL3048
LABEL c=d
RUN echo g

# Download, metadata, extract: DF003 only merges adjacent RUNs, so DF001 merges these.
FROM debian:12
RUN curl -fsSLo /tmp/x.tgz https://example.com/x.tgz
LABEL stage=final
RUN tar -xzf /tmp/x.tgz -C /opt
