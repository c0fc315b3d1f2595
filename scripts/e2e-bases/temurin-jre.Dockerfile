# What `eclipse-temurin:17-jre` gives the fixtures: a Java 17 runtime without compiler, here
# Debian's openjdk-17-jre-headless (the official image is Temurin's build of the same JRE).
FROM debian:bookworm-slim
# The JDK's postinst links its man pages: the slim image has no /usr/share/man/man1.
RUN mkdir -p /usr/share/man/man1 \
    && apt-get update \
    && apt-get install -y --no-install-recommends openjdk-17-jre-headless \
    && rm -rf /var/lib/apt/lists/*
ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
