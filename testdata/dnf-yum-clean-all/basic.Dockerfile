# Every member of the dnf family gets its own `clean all` appended, in the RUN's style.
FROM registry.access.redhat.com/ubi9/ubi-minimal:9.5
RUN microdnf install -y jq
RUN sudo /usr/bin/dnf install -y git \
    && git --version
RUN yum -y update && \
    yum -y groupinstall "Development Tools"
RUN set -e; \
    tdnf makecache; \
    tdnf install -y tar
RUN dnf5 --setopt=install_weak_deps=False install -y curl # trailing comment
RUN dnf group install -y "Server" && dnf clean packages
RUN dnf $DNF_OPTS install -y make
RUN if true; then echo yes; fi && dnf install -y which
RUN <<EOF
dnf install -y vim
EOF
