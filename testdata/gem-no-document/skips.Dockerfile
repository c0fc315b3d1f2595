# Reported with --show-skipped, never edited.
FROM debian:12
ENV GEMRC=/app/gemrc
RUN gem install bundler
FROM debian:12
RUN gem $GEM_OPTS install rake
RUN echo "$(gem install puma)"
RUN ["gem", "install", "rails"]
COPY --from=0 /etc/hostname /stage0
