#!/usr/bin/env node
// `serve [-s] [-l PORT] FOLDER`: the files of FOLDER over HTTP; with -s, index.html for paths
// that name no file (a single-page app).
const fs = require("fs");
const http = require("http");
const path = require("path");

const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };
let single = false;
let port = 3000;
let folder = ".";
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] === "-s" || args[i] === "--single") single = true;
  else if (args[i] === "-l" || args[i] === "--listen") port = Number(args[++i]);
  else folder = args[i];
}
const root = path.resolve(folder);
http
  .createServer((req, res) => {
    let file = path.join(root, path.normalize(decodeURIComponent(req.url.split("?")[0])));
    if (file.startsWith(root) && fs.existsSync(file) && fs.statSync(file).isDirectory()) {
      file = path.join(file, "index.html");
    }
    if (!file.startsWith(root) || !fs.existsSync(file)) {
      if (!single) {
        res.writeHead(404);
        res.end("not found\n");
        return;
      }
      file = path.join(root, "index.html");
    }
    res.writeHead(200, { "Content-Type": types[path.extname(file)] || "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  })
  .listen(port, () => console.log(`serving ${folder} on ${port}`));
