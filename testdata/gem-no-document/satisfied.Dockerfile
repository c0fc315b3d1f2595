# Nothing to do: documentation already off, explicitly chosen, or not an install.
FROM debian:12
RUN gem install --no-document bundler && gem install -N rake && gem install --no-doc puma
RUN gem install --no-ri --no-rdoc rails && gem install --document=ri rspec
RUN gem list && gem uninstall -x rake && gem build x.gemspec
FROM debian:12 AS configured
RUN echo 'gem: --no-document' > /etc/gemrc
RUN gem install bundler
FROM ruby:3.3-slim
# The official ruby images write `install: --no-document` to /usr/local/etc/gemrc.
COPY --from=configured /etc/gemrc /tmp/gemrc
RUN gem install bundler
COPY --from=0 /etc/hostname /stage0
