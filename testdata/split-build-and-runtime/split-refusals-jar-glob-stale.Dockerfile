# Refused: the build context's target/ holds an older jar that COPY . . brings along, and the
# glob would expand to it too.
FROM maven:3.9-eclipse-temurin-17
WORKDIR /app
COPY . .
RUN mvn -B package
CMD java -jar target/*.jar
