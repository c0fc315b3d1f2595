# Gradle: `./gradlew dependencies` is inserted before the whole copy (unsafe) with the build
# scripts and the wrapper.
FROM eclipse-temurin:21-jdk
WORKDIR /app
COPY . .
RUN ./gradlew build --no-daemon
