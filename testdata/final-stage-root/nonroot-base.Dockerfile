# Not reported: distroless nonroot tags run as uid 65532.
FROM gcr.io/distroless/static-debian12:nonroot
