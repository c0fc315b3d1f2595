# Whole-system upgrades are reported; installs and single-package updates are not.
FROM debian:12
RUN apt-get update && apt-get -y dist-upgrade && apt-get install -y curl
RUN apk upgrade --no-cache
RUN yum -y update && dnf update openssl
RUN zypper dup
