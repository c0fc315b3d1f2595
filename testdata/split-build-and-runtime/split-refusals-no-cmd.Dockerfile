# Refused: no CMD says what runs.
FROM rust:1.75
WORKDIR /app
COPY . .
RUN cargo build --release
