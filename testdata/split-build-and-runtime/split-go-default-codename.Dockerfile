# golang:1.18 is not in the base-facts table; the fixture's dockfix.toml sets `default-codename = "bullseye"` (the release golang:1.18 was built on), so the runtime is debian:bullseye-slim instead of a version-unknown refusal.
FROM golang:1.18
WORKDIR /app
COPY . .
RUN go build -o /app/server .
CMD ["/app/server"]
