#!/usr/bin/env python3
"""Helpers of scripts/e2e.sh, standard library only.

  e2e.py serve DIR PORT          serve the wheels in DIR as a PEP 503 index on 127.0.0.1:PORT
  e2e.py inventory OUT.json      read `docker export` from stdin: every path with its size, and
                                 the files each dpkg package owns
  e2e.py compare BEFORE AFTER    print the difference of two inventories as JSON
  e2e.py report DIR OUT.md       the report table of every case's result.json under DIR
"""

import hashlib
import html
import http.server
import json
import os
import re
import sys
import tarfile

# Cache and index directories: what the fixes are meant to remove, set aside before comparing.
CACHE_DIRS = (
    "var/lib/apt/lists/",
    "var/cache/",
    "root/.cache/",
    "root/.npm/",
)
# Files the engine writes into every container, and the dpkg database itself (it differs
# whenever the package set does, which the package comparison reports).
# Files that maintainer scripts write when a package is installed (not in its dpkg file list):
# alternatives, user database backups from adduser, and per-package extras. Counted as package
# files only when the package sets of the two images differ.
SCRIPT_FILES = re.compile(
    r"^(etc/alternatives/.*|var/lib/dpkg/alternatives/.*|var/log/alternatives\.log"
    r"|etc/(passwd|group|shadow|gshadow)-|run/adduser"
    r"|etc/networks)$"  # netbase's postinst
)
NOISE = re.compile(r"^(\.dockerenv|etc/(hostname|hosts|resolv\.conf|mtab)|proc/.*|sys/.*|dev/.*)$")


def normalize(name):
    """Strip what `docker export` puts before paths; directories end with `/`."""
    while name.startswith("./"):
        name = name[2:]
    return name.lstrip("/")


def serve(wheels, port):
    files = sorted(f for f in os.listdir(wheels) if f.endswith((".whl", ".tar.gz")))
    projects = {}
    for name in files:
        project = re.sub(r"[-_.]+", "-", re.split(r"-\d", name, maxsplit=1)[0]).lower()
        projects.setdefault(project, []).append(name)
    digests = {}
    for name in files:
        with open(os.path.join(wheels, name), "rb") as f:
            digests[name] = hashlib.sha256(f.read()).hexdigest()

    class Index(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            parts = [p for p in self.path.split("?")[0].split("/") if p]
            body, kind = None, "text/html"
            if parts == ["simple"]:
                links = "".join(f'<a href="{p}/">{p}</a>\n' for p in sorted(projects))
                body = f"<html><body>\n{links}</body></html>\n".encode()
            elif len(parts) == 2 and parts[0] == "simple" and parts[1] in projects:
                links = "".join(
                    f'<a href="/files/{html.escape(n)}#sha256={digests[n]}">{html.escape(n)}</a>\n'
                    for n in projects[parts[1]]
                )
                body = f"<html><body>\n{links}</body></html>\n".encode()
            elif len(parts) == 2 and parts[0] == "files" and parts[1] in digests:
                with open(os.path.join(wheels, parts[1]), "rb") as f:
                    body, kind = f.read(), "application/octet-stream"
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            # As PyPI sends for files: pip keeps cacheable downloads in ~/.cache/pip.
            self.send_header("Cache-Control", "max-age=365000000, immutable, public")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    http.server.ThreadingHTTPServer(("127.0.0.1", int(port)), Index).serve_forever()


def inventory(out):
    files, lists, status = {}, {}, []
    with tarfile.open(fileobj=sys.stdin.buffer, mode="r|") as tar:
        for member in tar:
            name = normalize(member.name)
            if not name or NOISE.match(name):
                continue
            if member.isdir():
                name += "/"
            files[name] = member.size if member.isfile() else 0
            if member.isfile() and name.startswith("var/lib/dpkg/info/") and name.endswith(".list"):
                package = name[len("var/lib/dpkg/info/") : -len(".list")].split(":")[0]
                text = tar.extractfile(member).read().decode("utf-8", "replace")
                lists[package] = [p.lstrip("/") for p in text.splitlines() if p.strip() not in ("", "/.")]
            elif name == "var/lib/dpkg/status":
                status = tar.extractfile(member).read().decode("utf-8", "replace")
    installed = []
    for block in status.split("\n\n"):
        fields = dict(re.findall(r"^([\w-]+): (.*)$", block, re.M))
        if "Package" in fields and fields.get("Status", "").endswith(" installed"):
            installed.append(fields["Package"])
    with open(out, "w") as f:
        json.dump({"files": files, "packages": sorted(installed), "lists": lists}, f)


def compare(before_path, after_path):
    with open(before_path) as f:
        before = json.load(f)
    with open(after_path) as f:
        after = json.load(f)
    result = {}
    for side, mine, other in (("before", before, after), ("after", after, before)):
        packages = sorted(set(mine["packages"]) - set(other["packages"]))
        owned = set()
        for package in packages:
            for path in mine["lists"].get(package, []):
                owned.add(path)
                owned.add(path + "/")
        only = sorted(set(mine["files"]) - set(other["files"]))
        cache = [p for p in only if p.startswith(CACHE_DIRS)]
        changed = set(before["packages"]) != set(after["packages"])
        dpkg = [
            p
            for p in only
            if p not in cache
            and (p in owned or p.startswith("var/lib/dpkg/info/") or (changed and SCRIPT_FILES.match(p)))
        ]
        scripts = [p for p in dpkg if p not in owned and not p.startswith("var/lib/dpkg/info/")]
        other_files = [p for p in only if p not in cache and p not in dpkg]
        result[side] = {
            "packages": packages,
            "cache_files": len(cache),
            "cache_bytes": sum(mine["files"][p] for p in cache),
            "package_files": len(dpkg),
            "script_files": scripts,
            "other": other_files,
        }
    json.dump(result, sys.stdout, indent=1)
    print()


def megabytes(n):
    return n / 1e6


def report(root, out):
    rows = []
    for case in sorted(os.listdir(root)):
        path = os.path.join(root, case, "result.json")
        if os.path.exists(path):
            with open(path) as f:
                rows.append(json.load(f))
    lines = [
        "# dockfix end-to-end report",
        "",
        "Each fixture under `testdata/e2e/` built as written (before) and after `dockfix --write`"
        " (`--unsafe-fixes` where the fixture says so). Files are compared with the cache and"
        " index directories set aside (" + ", ".join("/" + d for d in CACHE_DIRS) + ");"
        " files of packages installed on one side only are counted as package files.",
        "",
        "| fixture | fixes | size before | size after | saved MB | saved % | rebuild s before | rebuild s after "
        "| cached steps before | cached steps after | only in before (cache / pkg / other) "
        "| only in after (cache / pkg / other) | smoke |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|",
    ]
    for r in rows:
        b, a = r["size_before"], r["size_after"]
        d = r["diff"]
        saved = b - a
        percent = round(100 * saved / b, 1) + 0.0  # + 0.0: no "-0.0" for a few bytes more
        lines.append(
            f"| {r['case']} | {r['applied']} | {megabytes(b):.1f} MB | {megabytes(a):.1f} MB | {round(megabytes(saved), 1) + 0.0:.1f} "
            f"| {percent:.1f} | {r['rebuild_before']:.1f} | {r['rebuild_after']:.1f} "
            f"| {r['cached_before']} | {r['cached_after']} "
            f"| {d['before']['cache_files']} / {d['before']['package_files']} / {len(d['before']['other'])} "
            f"| {d['after']['cache_files']} / {d['after']['package_files']} / {len(d['after']['other'])} "
            f"| {r['smoke']} |"
        )
    for r in rows:
        lines += ["", f"## {r['case']}", "", r["proves"], ""]
        for side in ("before", "after"):
            d = r["diff"][side]
            if d["packages"]:
                lines.append(f"- packages only {side}: {' '.join(d['packages'])}")
            lines.append(
                f"- only {side}: {d['cache_files']} cache/index files ({megabytes(d['cache_bytes']):.1f} MB),"
                f" {d['package_files']} package files, {len(d['other'])} other files"
            )
            if d["script_files"]:
                lines.append(
                    "  - of the package files, written by maintainer scripts: "
                    + ", ".join(f"`/{p}`" for p in d["script_files"])
                )
            for p in d["other"][:40]:
                lines.append(f"  - `/{p}`")
            if len(d["other"]) > 40:
                lines.append(f"  - … {len(d['other']) - 40} more")
        if r.get("expected_other"):
            lines.append(f"- expected other differences: {r['expected_other']}")
        lines += ["", "```diff", r["dockerfile_diff"].rstrip("\n"), "```"]
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines[:6 + len(rows)]))


def main():
    command, args = sys.argv[1], sys.argv[2:]
    {"serve": serve, "inventory": inventory, "compare": compare, "report": report}[command](*args)


if __name__ == "__main__":
    main()
