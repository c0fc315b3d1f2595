# Gradle, shell-form CMD with a jar glob: Spring Boot with the plain jar disabled writes only
# build/libs/<rootProject.name>-<version>.jar, which the glob expands to.
FROM gradle:8.7-jdk21
WORKDIR /home/gradle/src
COPY --chown=gradle:gradle . .
RUN gradle build --no-daemon -x test
CMD java -jar build/libs/*.jar
