#!/usr/bin/env node
// `vite build`: index.html to dist/, every file of src/ to dist/assets/ under a name with its
// content hash, and the references in index.html rewritten to match.
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

if (process.argv[2] !== "build") {
  console.error("this stand-in only knows `vite build`");
  process.exit(2);
}
const root = process.cwd();
const dist = path.join(root, "dist");
fs.rmSync(dist, { recursive: true, force: true });
fs.mkdirSync(path.join(dist, "assets"), { recursive: true });
let html = fs.readFileSync(path.join(root, "index.html"), "utf8");
for (const name of fs.readdirSync(path.join(root, "src")).sort()) {
  const body = fs.readFileSync(path.join(root, "src", name));
  const hash = crypto.createHash("sha256").update(body).digest("hex").slice(0, 8);
  const extension = path.extname(name);
  const built = `${path.basename(name, extension)}-${hash}${extension}`;
  fs.writeFileSync(path.join(dist, "assets", built), body);
  html = html.split(`/src/${name}`).join(`/assets/${built}`);
  console.log(`dist/assets/${built}  ${body.length} B`);
}
fs.writeFileSync(path.join(dist, "index.html"), html);
console.log(`dist/index.html  ${html.length} B`);
