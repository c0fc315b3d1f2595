# Nothing to do: the RUN already cleans up, the cache is mounted, or nothing fills the cache.
FROM fedora:40
RUN dnf install -y git && dnf clean all
RUN yum install -y git && rm -rf /var/cache/yum
RUN dnf install -y git && rm -rf /var/cache/{dnf,yum}
RUN microdnf install -y jq && yum clean all
RUN tdnf install -y tar; rm -rf /var/cache/*
RUN --mount=type=cache,target=/var/cache/dnf dnf install -y make
RUN dnf remove -y vim && dnf list installed && dnf search make
RUN dnf clean all && dnf repolist
FROM fedora:40 AS unused
# A stage that does not reach the final image is out of scope.
RUN dnf install -y gcc
FROM fedora:40
