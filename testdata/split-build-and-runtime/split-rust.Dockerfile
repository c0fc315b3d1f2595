# Rust: cargo build --release twice (dependency cache trick) → one artifact named by Cargo.toml's [[bin]].
FROM rust:1.75
WORKDIR /app
COPY Cargo.toml Cargo.lock ./
RUN mkdir src && echo 'fn main() {}' > src/main.rs && cargo build --release
COPY . .
RUN cargo build --release
CMD ["/app/target/release/tail"]
