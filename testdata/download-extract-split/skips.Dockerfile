# Skips with a reason: an instruction between keeps the archive in a layer; a path that is not
# literal; RUNs with different flags.
FROM debian:12
RUN wget -O /tmp/x.tgz https://example.com/x.tgz
WORKDIR /opt
RUN tar xzf /tmp/x.tgz && rm /tmp/x.tgz
RUN curl -o /tmp/$V.tgz https://example.com/$V.tgz
RUN tar xzf /tmp/$V.tgz && rm /tmp/$V.tgz
RUN --network=host curl -o /tmp/n.tgz https://example.com/n.tgz
RUN tar xzf /tmp/n.tgz && rm /tmp/n.tgz
