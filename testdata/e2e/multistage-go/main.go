package main

import (
	"crypto/x509"
	"fmt"
	"net/http"
)

func main() {
	// The roots every TLS call of the app verifies servers against.
	roots := "missing"
	if pool, err := x509.SystemCertPool(); err == nil && len(pool.Subjects()) > 0 {
		roots = "found"
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "Hello from Go. TLS roots %s.\n", roots)
	})
	if err := http.ListenAndServe(":8080", nil); err != nil {
		panic(err)
	}
}
