# yum on a dnf-based base gets the dnf options; yum 3 and unknown bases only tsflags=nodocs.
FROM rockylinux:9 AS rocky
RUN yum install -y git
FROM centos:7 AS centos
RUN yum install -y git
FROM $BASE AS unknown
RUN yum install -y git
FROM scratch
COPY --from=rocky /etc/os-release /rocky
COPY --from=centos /etc/os-release /centos
COPY --from=unknown /etc/os-release /unknown
