# Every accepted way of answering yes: nothing to do.
FROM debian:bookworm
RUN apt-get install -y a
RUN apt-get --yes install b && apt-get install --assume-yes c
RUN apt-get -qy install d && apt-get -yq install e
RUN apt-get -qq install f && apt-get -q -q install g && apt-get -q=2 install h
RUN apt-get --quiet=2 install i && apt-get -o quiet=2 install j
RUN apt-get -o APT::Get::Assume-Yes=true install k
RUN apt-get -oAPT::Get::Assume-Yes=1 install l && apt-get --option=apt::get::assume-yes=on install m
RUN yes | apt-get install n
RUN apt-get update && apt-get clean && apt-cache policy o
FROM debian:bookworm AS configured
RUN echo 'APT::Get::Assume-Yes "true";' > /etc/apt/apt.conf.d/90yes
RUN apt-get install p
