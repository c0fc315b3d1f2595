# What `maven:3.8-eclipse-temurin-17` gives the fixtures: Maven 3.8 on a JDK 17, from Debian's
# packages (openjdk-17-jdk-headless, maven). Maven Central is not reachable here: Debian's
# packaged Maven plugins (the jar lifecycle's compiler, resources, surefire, jar, install,
# clean) fill /usr/share/maven-repo, and the global settings make that folder the mirror of
# every remote repository, so `mvn package` downloads from it into ~/.m2 as it would from
# Central (checksums not checked: Debian's repository has none). The fixtures pin those
# plugins' Debian versions in their pom.xml.
FROM debian:bookworm-slim
# The JDK's postinst links its man pages: the slim image has no /usr/share/man/man1.
RUN mkdir -p /usr/share/man/man1 \
    && apt-get update \
    && apt-get install -y --no-install-recommends openjdk-17-jdk-headless maven \
        libmaven-compiler-plugin-java libmaven-resources-plugin-java libsurefire-java \
        libmaven-jar-plugin-java libmaven-install-plugin-java libmaven-clean-plugin-java \
    && rm -rf /var/lib/apt/lists/*
RUN printf '%s\n' \
        '<settings>' \
        '  <mirrors>' \
        '    <mirror>' \
        '      <id>debian</id>' \
        '      <mirrorOf>*</mirrorOf>' \
        '      <url>file:///usr/share/maven-repo</url>' \
        '    </mirror>' \
        '  </mirrors>' \
        '  <profiles>' \
        '    <profile>' \
        '      <id>debian</id>' \
        '      <repositories>' \
        '        <repository>' \
        '          <id>central</id>' \
        '          <url>https://repo.maven.apache.org/maven2</url>' \
        '          <releases><checksumPolicy>ignore</checksumPolicy></releases>' \
        '          <snapshots><enabled>false</enabled></snapshots>' \
        '        </repository>' \
        '      </repositories>' \
        '      <pluginRepositories>' \
        '        <pluginRepository>' \
        '          <id>central</id>' \
        '          <url>https://repo.maven.apache.org/maven2</url>' \
        '          <releases><checksumPolicy>ignore</checksumPolicy></releases>' \
        '          <snapshots><enabled>false</enabled></snapshots>' \
        '        </pluginRepository>' \
        '      </pluginRepositories>' \
        '    </profile>' \
        '  </profiles>' \
        '  <activeProfiles>' \
        '    <activeProfile>debian</activeProfile>' \
        '  </activeProfiles>' \
        '</settings>' \
        > /usr/share/maven/conf/settings.xml
ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 MAVEN_HOME=/usr/share/maven MAVEN_CONFIG=/root/.m2
CMD ["mvn"]
