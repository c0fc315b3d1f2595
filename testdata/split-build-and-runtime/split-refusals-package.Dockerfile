# Refused: cron is neither a known build tool nor a known runtime need.
FROM rust:1.75
RUN apt update && apt install -y cron
WORKDIR /app
COPY . .
RUN cargo build --release
CMD ["./target/release/app"]
