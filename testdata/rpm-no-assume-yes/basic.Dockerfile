# Every confirming subcommand gets ` -y` right after it, in every stage.
FROM centos:7 AS build
RUN yum install git
RUN yum --enablerepo epel install jq && yum remove vim
RUN dnf group install "Development Tools"
RUN sudo dnf \
      upgrade
RUN tdnf erase vim
FROM opensuse/leap:15.6
RUN zypper install git && zypper --quiet rm vim
RUN zypper dup
RUN zypper in -n git
