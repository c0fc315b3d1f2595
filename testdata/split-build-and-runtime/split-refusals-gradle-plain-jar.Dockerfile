# Refused: Spring Boot's Gradle plugin writes the boot jar and a -plain.jar beside it; the glob
# would expand to both (the plain one first).
FROM gradle:8.7-jdk21
WORKDIR /home/gradle/src
COPY . .
RUN gradle build --no-daemon
CMD java -jar build/libs/*.jar
