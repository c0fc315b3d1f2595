// Bundles src/ into one file, dist/server.js: every module becomes a function in a table and
// `require("./name")` is resolved from that table (the standard library only).
const fs = require("fs");
const path = require("path");

const src = path.join(__dirname, "..", "src");
const dist = path.join(__dirname, "..", "dist");
const modules = fs
  .readdirSync(src)
  .filter((name) => name.endsWith(".js"))
  .sort()
  .map((name) => {
    const body = fs.readFileSync(path.join(src, name), "utf8");
    return `  ${JSON.stringify("./" + name.replace(/\.js$/, ""))}: function (module, exports, require) {\n${body}\n  },`;
  });
const bundle = `"use strict";
// Built by scripts/build.js; do not edit.
const table = {
${modules.join("\n")}
};
const cache = {};
function load(name) {
  if (!(name in table)) return require(name);
  if (!cache[name]) {
    const module = { exports: {} };
    cache[name] = module;
    table[name](module, module.exports, load);
  }
  return cache[name].exports;
}
load("./server");
`;
fs.mkdirSync(dist, { recursive: true });
fs.writeFileSync(path.join(dist, "server.js"), bundle);
console.log(`dist/server.js: ${modules.length} modules, ${bundle.length} bytes`);
