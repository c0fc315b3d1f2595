# Fires (advice only): a remote archive ADDed then extracted ships twice. Silent for a remote
# file that is not extracted and for a local archive (DF005's case).
FROM debian:12
ADD https://example.com/tool-1.2.tar.gz /tmp/
RUN tar xzf /tmp/tool-1.2.tar.gz -C /opt && rm /tmp/tool-1.2.tar.gz
ADD --checksum=sha256:abc https://example.com/b.zip /tmp/b.zip
RUN unzip /tmp/b.zip -d /opt
ADD https://example.com/script.sh /usr/local/bin/
ADD local.tar.gz /opt/
