# golang:1.18 is not in the base-facts table and no default-codename is set: DF301 still fires
# but cannot name the Debian release (final-sdk-default-codename sets it).
FROM golang:1.18 AS base
WORKDIR /app
FROM base
COPY . .
RUN go build -o /app/server .
CMD ["/app/server"]
