from http.server import BaseHTTPRequestHandler, HTTPServer

import greeting


class Hello(BaseHTTPRequestHandler):
    def do_GET(self):
        body = (greeting.hello() + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    HTTPServer(("0.0.0.0", 8000), Hello).serve_forever()
