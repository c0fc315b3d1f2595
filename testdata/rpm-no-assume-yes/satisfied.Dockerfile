# Nothing to do: the answer is given in one of its spellings, or nothing asks.
FROM fedora:40
RUN dnf install -y git && dnf -qy install tar && dnf --assumeyes install make
RUN yum install --assumeno git && yum --setopt=assumeyes=1 install curl
RUN yes | yum install vim && echo y | dnf remove vim
RUN dnf makecache && dnf clean all && dnf list && dnf search make
RUN microdnf install jq
RUN dnf install --assumey zip
FROM fedora:40
RUN echo assumeyes=1 >> /etc/dnf/dnf.conf
RUN dnf install unzip
FROM opensuse/leap:15.6
RUN zypper -n install git && zypper --non-interactive rm vim && zypper -qn dup
RUN zypper install -y git && zypper patch --no-confirm
RUN zypper refresh && zypper search git
