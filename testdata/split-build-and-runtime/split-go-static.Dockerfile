# CGO_ENABLED=0 and exec-form CMD: distroless static; no -o, so the binary is named after go.mod's module (v2 suffix skipped); golang:1.21 is bookworm by the base-facts table.
FROM golang:1.21
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build
CMD ["./hello"]
