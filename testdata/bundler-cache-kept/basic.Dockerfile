# With GEM_HOME or BUNDLE_PATH known, the gem cache is removed after bundle install (unsafe).
FROM ruby:3.3
RUN bundle install
RUN bundle config set without development && \
    bundle
FROM debian:12
ENV BUNDLE_PATH=/gems
RUN bundle install --jobs 4
COPY --from=0 /etc/hostname /stage0
