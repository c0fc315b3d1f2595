# Fixes: a version-only ruby tag.
FROM ruby:3.3
COPY app.rb .
CMD ["ruby", "app.rb"]
