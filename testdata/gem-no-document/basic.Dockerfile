# gem install and gem update get --no-document right after the subcommand.
FROM debian:12
RUN apt-get install -y ruby && gem install bundler -v 2.5.3
RUN gem update --system && \
    sudo /usr/bin/gem install rails
RUN gem --config-file /etc/gemrc.local install rake
RUN <<EOF
gem install puma
EOF
