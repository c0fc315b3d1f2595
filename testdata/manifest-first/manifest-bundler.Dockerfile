# Bundler: Gemfile and Gemfile.lock first; `bundle config` may share the RUN.
FROM ruby:3.3
WORKDIR /app
COPY . .
RUN bundle config set --local without development && bundle install
