# golang:1.18 is not in the base-facts table: with DF300's default-codename = "bullseye" (the
# fixture's .toml), DF301 names debian:bullseye-slim; the same file without the setting says the
# table lacks the version (final-sdk-unknown-version).
FROM golang:1.18 AS base
WORKDIR /app
FROM base
COPY . .
RUN go build -o /app/server .
CMD ["/app/server"]
