# Silent: one RUN per stage, or RUNs separated by instructions that change their environment.
FROM debian:12 AS build
RUN make
FROM debian:12
COPY --from=build /out /out
RUN /out/setup
USER app
RUN /out/check
