# Maven: `mvn dependency:go-offline` is inserted before the whole copy (unsafe), with the
# wrapper, its .mvn folder and the same profile.
FROM eclipse-temurin:21-jdk AS build
WORKDIR /app
COPY . .
RUN ./mvnw -B package -P prod -DskipTests
FROM eclipse-temurin:21-jre
COPY --from=build /app/target/app.jar /app.jar
