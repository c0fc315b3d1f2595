# Without CMD/ENTRYPOINT the USER goes at the end (distroless has the nonroot user); a file
# without a final newline gets one before it.
FROM golang:1.22 AS build
RUN go build -o /app .
FROM gcr.io/distroless/static-debian12
COPY --from=build --chown=nonroot /app /app