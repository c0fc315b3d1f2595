# Fires and fixes: download, extract and delete split over consecutive RUNs merge into one
# (Safe); an archive never deleted gets `rm -f` after its extraction (Unsafe), also when
# download and extraction already share a RUN.
FROM debian:12
RUN wget -O /tmp/x.tgz https://example.com/x.tgz
RUN tar xzf /tmp/x.tgz -C /opt
RUN rm /tmp/x.tgz
WORKDIR /
RUN curl -fsSLo /tmp/y.zip https://example.com/y.zip
# unpack
RUN unzip /tmp/y.zip -d /opt
WORKDIR /
RUN curl -fsSLO https://example.com/z.tar.gz && tar -xzf z.tar.gz
