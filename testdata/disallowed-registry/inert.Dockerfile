# Without allowed-registries the rule reports nothing (as hadolint's DL3026 without
# trustedRegistries).
FROM ghcr.io/org/tool:1
COPY --from=quay.io/org/thing:2 /thing /thing
