# Maven, shell-form ENTRYPOINT with JVM options and a jar glob: finalName `${project.artifactId}-${tier}`
# resolves from the pom's own properties (the command line sets other -D properties only).
FROM maven:3-eclipse-temurin-21
WORKDIR /build
COPY . .
RUN mvn -B -Dmaven.test.skip=true package
ENTRYPOINT java -Xmx256m -jar target/billing-*.jar
