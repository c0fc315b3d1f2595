# Advice or skips: the gem location is unknown, configured elsewhere, or the RUN cannot be edited.
FROM debian:12
RUN bundle install
FROM ruby:3.3
RUN bundle config set path vendor/bundle && bundle install
RUN bundle install --deployment
RUN if [ -f Gemfile ]; then bundle install; fi
RUN ["bundle", "install"]
COPY --from=0 /etc/hostname /stage0
