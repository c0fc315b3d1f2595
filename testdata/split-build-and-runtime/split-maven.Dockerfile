# Maven: the jar copied out of target/ is what java -jar runs → eclipse-temurin JRE of the same JDK.
FROM maven:3-jdk-11
WORKDIR /usr/src/app
COPY . .
RUN mvn -B package -DskipTests && cp target/demo-*.jar app.jar
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "app.jar"]
