# Refused: the exec-form CMD hands `target/*.jar` to java unexpanded (no shell), so the image as
# written cannot start; DF300 does not guess what was meant.
FROM maven:3.9-eclipse-temurin-17
WORKDIR /app
COPY . .
RUN mvn -B package
CMD ["java", "-jar", "target/*.jar"]
