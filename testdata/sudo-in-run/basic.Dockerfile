# sudo as a command or a wrapper is reported; the word elsewhere is not.
FROM debian:12
RUN sudo apt-get install -y curl
RUN /usr/bin/sudo -u app make && echo sudo
RUN apt-get install -y sudo
