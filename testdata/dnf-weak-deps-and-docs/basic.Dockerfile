# dnf, microdnf and dnf5 get the weak-dependency and docs options (only what is missing).
FROM fedora:40
RUN dnf install -y git
RUN microdnf install -y jq
RUN dnf5 install -y curl
RUN dnf install --setopt=install_weak_deps=False -y make
RUN dnf --nodocs install -y tar
RUN sudo dnf -q install -y zip
