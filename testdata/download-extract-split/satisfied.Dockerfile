# Silent: download piped into tar; downloaded, extracted and deleted in one RUN; an archive a
# later instruction still uses.
FROM debian:12
RUN curl -fsSL https://example.com/a.tgz | tar -xz -C /opt
RUN wget -O /tmp/b.tgz https://example.com/b.tgz && tar xzf /tmp/b.tgz && rm /tmp/b.tgz
RUN curl -o /tmp/c.tgz https://example.com/c.tgz && tar xzf /tmp/c.tgz
COPY --chown=app /tmp/c.tgz /backup/
