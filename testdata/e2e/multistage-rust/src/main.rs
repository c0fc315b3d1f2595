use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;

/// Where TLS libraries (openssl-probe, rustls-native-certs) look for the trusted roots on Debian.
const CA_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

fn main() {
    let listener = TcpListener::bind("0.0.0.0:8080").expect("port 8080 is free");
    for mut stream in listener.incoming().flatten() {
        let mut request = [0u8; 1024];
        let _ = stream.read(&mut request);
        let roots = if Path::new(CA_BUNDLE).is_file() {
            "found"
        } else {
            "missing"
        };
        let body = format!("Hello from Rust. TLS roots {roots}.\n");
        let _ = write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
    }
}
