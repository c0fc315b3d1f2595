# Nothing to do: both set explicitly (any value), configured earlier, or not an install.
FROM fedora:40
RUN dnf install --setopt=install_weak_deps=True --setopt=tsflags=nodocs -y git
RUN dnf install --setopt install_weak_deps=0 --no-docs -y git
RUN dnf remove -y vim && dnf upgrade -y
RUN echo "install_weak_deps=False" >> /etc/dnf/dnf.conf && echo tsflags=nodocs >> /etc/dnf/dnf.conf
RUN dnf install -y make
FROM centos:7
RUN yum install --setopt=tsflags=nodocs -y git
