# Cargo without dependencies: nothing to fetch, so no stub-crate step (as Go without `require`).
FROM rust:1.80
WORKDIR /app
COPY . .
RUN cargo build --release
CMD ["/app/target/release/x"]
