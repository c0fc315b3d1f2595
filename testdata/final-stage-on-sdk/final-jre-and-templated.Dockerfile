# Silent: a JRE final stage and a templated SDK base (no version to name a runtime from).
FROM golang:${GO} AS tool
FROM openjdk:11-jre-slim AS app
CMD ["java", "-jar", "/app.jar"]
FROM golang:${GO}-alpine
COPY --from=app /app.jar /app.jar
