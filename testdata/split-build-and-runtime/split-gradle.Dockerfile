# Gradle: build/libs jar run directly; JDK 17 from the tag.
FROM gradle:8.5-jdk17
WORKDIR /home/gradle/project
COPY . .
RUN gradle bootJar --no-daemon
CMD ["java", "-jar", "build/libs/app.jar"]
