# Nothing to do: the cache is removed already, mounted, or nothing is installed.
FROM ruby:3.3
RUN bundle install && rm -rf ~/.bundle/cache "$GEM_HOME"/cache
RUN bundle install && rm -rf /usr/local/bundle/cache/*.gem /usr/local/bundle/cache/
RUN --mount=type=cache,target=/usr/local/bundle/cache bundle install
RUN bundle exec rake assets:precompile && bundle check
