# Fires: a JDK final stage; the JRE of the same version is named.
FROM node:20 AS ui
RUN npm ci && npm run build
FROM eclipse-temurin:21-jdk
COPY --from=ui /dist /static
CMD ["java", "-jar", "/app.jar"]
