# Silent: multi-stage already (DF301's), a node image without build step, python that does not compile are not DF300's.
FROM golang:1.22 AS build
WORKDIR /app
COPY . .
RUN go build -o /app/server .
FROM debian:bookworm-slim
COPY --from=build /app/server /app/server
CMD ["/app/server"]
