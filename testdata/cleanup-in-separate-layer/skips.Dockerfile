# Skips with a reason: an instruction between (ENV, another RUN), paths not literal absolute,
# different flags.
FROM debian:12
RUN apt-get install -y curl
ENV A=1
RUN apt-get clean
RUN yum install -y x
RUN echo other
RUN yum clean all
RUN pip install x
RUN rm -rf ~/.cache/pip
RUN --mount=type=cache,target=/var/cache/apt apt-get install -y y
RUN apt-get clean
