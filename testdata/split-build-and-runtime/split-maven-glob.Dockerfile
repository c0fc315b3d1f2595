# Maven, shell-form CMD with a jar glob: sh expands target/*.jar to the one jar the pom names
# (spring-boot-starter-parent sets no finalName → artifactId-version); the runtime gets that jar
# at the same path and the CMD moves unchanged.
FROM maven:3.9-eclipse-temurin-17
WORKDIR /app
COPY pom.xml .
RUN mvn -B dependency:go-offline
COPY src ./src
RUN mvn -B package -DskipTests
EXPOSE 8080
CMD java -jar target/*.jar
