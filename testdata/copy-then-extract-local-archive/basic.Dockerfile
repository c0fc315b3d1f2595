# Fires (advice only, rule off by default): a local tar copied, extracted and deleted; silent
# when the archive is not deleted or when it is a zip (ADD does not unpack zips).
FROM debian:12
COPY app.tar.gz /tmp/
RUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz
COPY keep.tar /tmp/keep.tar
RUN tar xf /tmp/keep.tar -C /opt
COPY web.zip /tmp/
RUN unzip /tmp/web.zip && rm /tmp/web.zip
