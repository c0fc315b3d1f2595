# Cargo (unsafe): a stub crate fetches the dependencies before the whole copy.
FROM rust:1.80
WORKDIR /app
COPY . .
RUN cargo build --release
CMD ["/app/target/release/x"]
