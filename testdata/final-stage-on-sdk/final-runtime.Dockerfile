# Silent: the final stage is a runtime image; single-stage files are DF300's.
FROM maven:3-jdk-11 AS build
RUN mvn package
FROM eclipse-temurin:11-jre
COPY --from=build /target/app.jar /app.jar
CMD ["java", "-jar", "/app.jar"]
