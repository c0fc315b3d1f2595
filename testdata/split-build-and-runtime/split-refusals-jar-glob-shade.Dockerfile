# Refused: maven-shade-plugin also leaves original-<name>.jar in target/, so the glob expands
# to two jars.
FROM maven:3.9-eclipse-temurin-17
WORKDIR /app
COPY . .
RUN mvn -B package
CMD java -jar target/*.jar
