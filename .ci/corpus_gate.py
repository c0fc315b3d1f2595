#!/usr/bin/env python3
"""Corpus gate: run dockfix over every Dockerfile of the real-world corpus and check it is safe.

Usage:
    python .ci/corpus_gate.py --dockfix target/release/dockfix --corpus ../shared/corpus

Checks, for every corpus Dockerfile (dockfix runs once per tree, not once per file):
  crash       dockfix exits 0/1 (never 2 or a signal), no "internal error", no DF900 line
  noop        with every pass disabled (--ignore ALL), --diff prints nothing and --write
              leaves every file byte-identical
  patch       `dockfix --diff .` applied with `patch -p1` to a pristine copy gives exactly
              the bytes --write gives, and `git apply --check` accepts the same patch
  check-list  --check lists exactly the files --write changes; --diff exits 1 iff it changed
  idempotent  --write on the written files changes nothing; --diff on them prints nothing
  buildkit    for files BuildKit parses (MANIFEST `buildkit_parses`), the written file still
              parses, with the same instructions in the same order, and each instruction
              keeps the original's words as a subsequence (see `instruction_preserved`)

The corpus is never modified: everything happens on copies in a temporary directory, laid out
as <tmp>/<copy>/<id>/<file name>. Exit status: 0 all checks pass (or the corpus is absent),
1 a check failed, 2 the gate itself could not run.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict, Counter
from dataclasses import dataclass, field
from pathlib import Path

try:
    import dockerfile  # BuildKit's parser (PyPI `dockerfile`)
except ImportError:  # reported when the check runs
    dockerfile = None

CHECKS = ["crash", "noop", "patch", "check-list", "idempotent", "buildkit"]
MAX_SHOWN = 15  # failing files shown per check
DIFF_LINES = 12  # lines of difference shown per failing file


@dataclass
class Entry:
    id: str
    name: str  # the Dockerfile's file name
    buildkit_parses: bool

    @property
    def rel(self) -> str:
        """Path inside a copy: <id>/<file name>."""
        return f"{self.id}/{self.name}"


@dataclass
class Report:
    failures: dict = field(default_factory=lambda: defaultdict(dict))  # check -> id -> detail
    notes: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)

    def fail(self, check: str, file_id: str, detail: str) -> None:
        # Keep the first problem per file and check; the rest are usually consequences.
        self.failures[check].setdefault(file_id, detail)


@dataclass
class Run:
    args: list
    cwd: Path
    status: int
    stdout: str
    stderr: str
    seconds: float


# --- running dockfix --------------------------------------------------------------------------


def run_dockfix(dockfix: str, args: list, cwd: Path, env: dict | None = None) -> Run:
    start = time.monotonic()
    proc = subprocess.run(
        [dockfix, *args],
        cwd=cwd,
        capture_output=True,
        env=env,
    )
    return Run(
        args=args,
        cwd=cwd,
        status=proc.returncode,
        # Bytes → text without ever failing: the output is compared and shown, not re-parsed.
        stdout=proc.stdout.decode("utf-8", "surrogateescape"),
        stderr=proc.stderr.decode("utf-8", "replace"),
        seconds=time.monotonic() - start,
    )


ERROR_LINE = re.compile(r"^(?P<path>[^\n]*?): error: (?P<message>.*)$", re.M)
FINDING_LINE = re.compile(r"^(?P<path>[^\n:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>DF\d+) (?P<message>.*)$", re.M)


def id_of(path: str, by_rel: dict) -> str:
    """The corpus id of a path printed by dockfix (relative to a copy's root)."""
    path = path[2:] if path.startswith("./") else path
    entry = by_rel.get(path)
    return entry.id if entry else path


def check_run(run: Run, label: str, by_rel: dict, report: Report, expect_status=(0, 1)) -> None:
    """Check 1 (crash) on one dockfix run: exit status, internal errors, DF900 reports."""
    command = f"dockfix {' '.join(run.args[:6])}{' …' if len(run.args) > 6 else ''}"
    for stream in (run.stdout, run.stderr):
        for match in FINDING_LINE.finditer(stream):
            if match["code"] == "DF900":
                report.fail("crash", id_of(match["path"], by_rel), f"{label}: {match.group(0)}")
    attributed = False
    for match in ERROR_LINE.finditer(run.stderr):
        if match["path"] == "dockfix":
            continue
        report.fail("crash", id_of(match["path"], by_rel), f"{label}: {match.group(0)}")
        attributed = True
    if "internal error" in run.stderr and not attributed:
        report.fail("crash", f"<run: {label}>", first_lines(run.stderr))
    if run.status not in expect_status:
        if run.status < 0:
            what = f"killed by signal {-run.status}"
        else:
            what = f"exit status {run.status}"
        if not attributed or run.status not in (0, 1, 2):
            report.fail(
                "crash",
                f"<run: {label}>",
                f"`{command}` in {run.cwd.name}/: {what} (expected {expect_status})\n"
                + first_lines(run.stderr),
            )


def first_lines(text: str, n: int = DIFF_LINES) -> str:
    lines = text.splitlines()
    shown = "\n".join(lines[:n])
    if len(lines) > n:
        shown += f"\n… ({len(lines) - n} more lines)"
    return shown


def byte_diff(expected: bytes, actual: bytes, a: str, b: str) -> str:
    """The first lines of a diff between two byte strings (line endings made visible)."""
    if expected == actual:
        return ""

    def lines(data: bytes) -> list:
        return [
            repr(line)[2:-1] for line in data.splitlines(keepends=True)
        ]  # repr keeps \r, \t and a missing final newline visible

    diff = list(difflib.unified_diff(lines(expected), lines(actual), a, b, lineterm="", n=1))
    if not diff:
        return f"the bytes differ ({len(expected)} vs {len(actual)} bytes)"
    return first_lines("\n".join(diff))


# --- the tree of copies -----------------------------------------------------------------------


def read_manifest(corpus: Path) -> list:
    entries = []
    with open(corpus / "MANIFEST.tsv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            entries.append(
                Entry(
                    id=row["id"],
                    name=row["path"].rsplit("/", 1)[-1],
                    buildkit_parses=row.get("buildkit_parses", "").strip() == "yes",
                )
            )
    return entries


def make_copy(root: Path, entries: list, originals: dict, corpus: Path) -> None:
    """Lay out every Dockerfile with its build context: the entry's stored manifests
    (`context/`) and its own ignore file beside it, so dockfix's default context (the
    Dockerfile's directory) is the entry's context."""
    for entry in entries:
        target = root / entry.rel
        target.parent.mkdir(parents=True, exist_ok=True)
        source_dir = corpus / "files" / f"{entry.id}.d"
        context = source_dir / "context"
        if context.is_dir():
            shutil.copytree(context, target.parent, dirs_exist_ok=True)
        ignore = source_dir / f"{entry.name}.dockerignore"
        if ignore.is_file():
            shutil.copyfile(ignore, target.parent / ignore.name)
        target.write_bytes(originals[entry.id])
        for path in target.parent.rglob("*"):
            if path.is_file():
                path.chmod(0o644)


def snapshot(root: Path, entries: list) -> dict:
    return {entry.id: (root / entry.rel).read_bytes() for entry in entries}


def discover_targets(dockfix: str, tmp: Path, entries: list, by_rel: dict, report: Report) -> list:
    """The arguments that make dockfix process exactly the corpus files: `.` plus any file its
    directory discovery does not find by name.

    Discovery is probed on a tree of the same names whose files are all binary: dockfix then
    prints one `path: error:` line per file it found."""
    probe = tmp / "probe"
    for entry in entries:
        target = probe / entry.rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"FROM x\0\n")
    run = run_dockfix(dockfix, ["--ignore", "ALL", "."], probe)
    found = {m["path"].removeprefix("./") for m in ERROR_LINE.finditer(run.stderr)}
    shutil.rmtree(probe)
    expected = set(by_rel)
    missing = sorted(expected - found)
    extra = sorted(found - expected)
    if not found:
        report.notes.append(
            "discovery probe: dockfix reported no binary file (did it stop rejecting NUL "
            "bytes?); passing every corpus path explicitly"
        )
        return sorted(expected)
    if extra:
        report.fail("crash", "<discovery>", "found files that are not corpus Dockerfiles:\n" + first_lines("\n".join(extra)))
    report.counts["discovered"] = len(found & expected)
    if missing:
        report.notes.append(
            f"directory discovery misses {len(missing)} corpus file(s) by name; they are passed "
            f"explicitly: " + ", ".join(sorted({by_rel[m].name for m in missing}))
        )
    return ["."] + missing


# --- the BuildKit check -----------------------------------------------------------------------


def buildkit_parse(text: str):
    """The BuildKit instructions of a text, or an error message."""
    try:
        return dockerfile.parse_string(text), None
    except dockerfile.GoParseError as err:
        return None, str(err)
    except Exception as err:  # noqa: BLE001 - any parser failure is a finding, not a gate crash
        return None, f"{type(err).__name__}: {err}"


# Words a rule may remove from RUN text: `apt` → `apt-get` (DF104), `apk update &&` (DF110),
# a lone `apt-get update` folded into the next RUN keeps its words (DF100).
REMOVABLE_WORDS = {"apt", "apk", "update", "&&", ";"}
# DF160 (opt-in, unsafe) drops the no-cache flags and cache cleanups a cache mount makes useless:
# allowed only in a file where it added cache mounts.
CACHE_MOUNT_DROPPABLE = {
    "--no-cache-dir", "npm", "yarn", "cache", "clean", "clear", "--force", "apt-get", "autoclean", "-y", "--yes", "--recursive", "--verbose", "-v", "sudo",
    "rm", "-rf", "-fr", "-Rf", "-r", "-f", "/var/lib/apt/lists/*", "/var/lib/apt/lists",
    "/var/lib/apt/lists/", "/var/cache/apt", "/var/cache/apt/*", "/var/cache/apt/archives",
    "/var/cache/apt/archives/*",
}
# Instructions fixes add (a manifest COPY and a dependency-only RUN, DF200) or merge (RUN).
ADDED_OR_MERGED = {"copy", "run"}


def base_value(command):
    """An instruction's value, a FROM's image without the `-slim` DF302 inserts."""
    if command.cmd.lower() != "from" or not command.value:
        return command.value
    image = command.value[0]
    if image.startswith("debian:stable-slim"):
        image = "debian"  # DF302's slim variant of `debian:latest`
    image = re.sub(r"(?<=[:\-])slim-|-slim\b|:slim$", "", image)
    return (image,) + tuple(command.value[1:])


def froms(commands):
    return [c for c in commands if c.cmd.lower() == "from"]


def is_split(before, after) -> bool:
    """DF300 turned a one-stage file into a builder and an appended runtime stage."""
    return len(froms(before)) == 1 and len(froms(after)) == 2


def split_problem(before, after) -> str | None:
    """A DF300 split keeps what the original does: the builder's FROM only gains `AS builder`,
    every other original instruction is still there (moved ones live in the runtime stage,
    copied ones twice); RUN/COPY words are checked as for any file. None when it does, else
    why not."""
    if froms(after)[0].value[: len(froms(before)[0].value)] != froms(before)[0].value:
        return "split: the builder's FROM changed"
    def counted(commands):
        return Counter(
            (c.cmd.lower(), c.value)
            for c in commands
            if c.cmd.lower() != "from" and c.cmd.lower() not in ADDED_OR_MERGED
        )

    lost = counted(before) - counted(after)
    if lost:
        return "split: instructions lost: " + ", ".join(f"{c} {v}" for (c, v) in list(lost)[:5])
    return None


# Sources ADD may unpack (RULES.md DF400): an ADD of these must stay an ADD.
ARCHIVE_SUFFIXES = (".tar", ".tgz", ".taz", ".tb2", ".tbz", ".tbz2", ".txz", ".tzst", ".gz",
                    ".bz2", ".xz", ".zst", ".Z", ".lz", ".lzma")
# A shell-form command line with any of these needs the shell (RULES.md DF401).
SHELL_FEATURES = set("$`*?[~<>|&;()#{}\\")


def unquote(word: str) -> str:
    """BuildKit's quote removal for ENV/LABEL words (no expansion): the legacy and the `k=v`
    forms of the same value compare equal."""
    out, quote, chars = [], None, iter(word)
    for c in chars:
        if quote == "'":
            quote = None if c == "'" else quote
            if quote:
                out.append(c)
        elif c == "\\":
            nxt = next(chars, "")
            if quote == '"' and nxt not in ('"', "$", "\\"):
                out.append(c)
            out.append(nxt)
        elif quote == '"' and c == '"':
            quote = None
        elif quote is None and c in "'\"":
            quote = c
        else:
            out.append(c)
    return "".join(out)


def semantic(command) -> tuple:
    """An instruction as the image sees it, so that DF400–DF403's rewrites compare equal to
    their originals: ADD of local non-archive sources is a COPY; MAINTAINER X is
    LABEL maintainer=X; ENV/LABEL values after quote removal; a shell-form CMD/ENTRYPOINT
    without shell features is its words."""
    cmd, value = command.cmd.lower(), tuple(command.value)
    if cmd == "from":
        return (cmd, tuple(base_value(command)))
    if cmd == "add" and not any("://" in v or v.startswith("git@") or v.endswith(ARCHIVE_SUFFIXES)
                                for v in value[:-1]):
        return ("copy", value)
    if cmd == "maintainer":
        return ("label", ("maintainer", " ".join(value)))
    if cmd in ("env", "label"):
        return (cmd, tuple(unquote(v) for v in value))
    if cmd in ("cmd", "entrypoint") and not command.json and value \
            and not SHELL_FEATURES & set(value[0].replace("\\ ", "").replace('\\"', "")) \
            and "=" not in value[0].split(maxsplit=1)[0]:
        try:
            return (cmd, tuple(shlex.split(value[0])))
        except ValueError:
            return (cmd, value)
    return (cmd, value)


def instructions_preserved(before, after) -> str | None:
    """Whether the written file keeps what the original does: None when it does, else why not.
    Instructions are compared by what they mean ([`semantic`]), and a USER DF410 inserts is
    allowed.

    Fixes add flags and words, move instructions, insert COPY/RUN instructions (DF200) and merge
    RUNs (DF001), so: every other instruction stays, in order, with the same value; RUN and
    COPY counts change only as those fixes do; and no word of the original's RUN/COPY values is
    lost (as a multiset), except the few a rule replaces."""
    def others(commands):
        return [semantic(c) for c in commands if semantic(c)[0] not in ADDED_OR_MERGED]

    def without_added_users(old, new):
        # DF410 (Unsafe) inserts `USER <user>`: a USER the original lacks is the fix's.
        added = Counter(c for c in new if c[0] == "user") - Counter(c for c in old if c[0] == "user")
        kept = []
        for c in new:
            if added[c] > 0:
                added[c] -= 1
            else:
                kept.append(c)
        return kept

    if is_split(before, after):
        problem = split_problem(before, after)
        if problem:
            return problem
    elif others(before) != without_added_users(others(before), others(after)):
        diff = difflib.unified_diff(
            [f"{c} {v}" for c, v in others(before)],
            [f"{c} {v}" for c, v in others(after)],
            "original", "written", lineterm="", n=1,
        )
        return "instructions other than RUN/COPY changed:\n" + first_lines("\n".join(diff))
    old_copies = sum(semantic(c)[0] == "copy" for c in before)
    new_copies = sum(semantic(c)[0] == "copy" for c in after)
    if new_copies < old_copies:
        return f"COPY instructions lost ({old_copies} → {new_copies})"

    def words(commands):
        return Counter(
            # `;` is an operator, not part of a word: appends turn `x` into `x; …` (RULES.md §3).
            w
            for c in commands
            if semantic(c)[0] in ADDED_OR_MERGED
            for v in c.value
            for w in v.replace(";", " ; ").split()
        )

    old_words, new_words = words(before), words(after)
    lost = old_words - new_words
    lost = {w: n for w, n in lost.items() if w not in REMOVABLE_WORDS}
    # DF130 (unsafe) turns `npm install`/`npm i` into `npm ci`.
    renamed = new_words["ci"] - old_words["ci"]
    for word in ("install", "i"):
        taken = min(renamed, lost.get(word, 0))
        renamed -= taken
        if taken:
            lost[word] -= taken
    def mounts(commands):
        return sum(f.startswith("--mount=type=cache") for c in commands for f in c.flags)

    if mounts(after) > mounts(before):
        lost = {w: n for w, n in lost.items() if w not in CACHE_MOUNT_DROPPABLE}
    lost = {w: n for w, n in lost.items() if n > 0}
    if lost:
        return "words of RUN/COPY lost: " + ", ".join(f"{w!r}×{n}" for w, n in sorted(lost.items())[:10])
    return None


def check_buildkit(entry: Entry, original: bytes, written: bytes, report: Report) -> bool:
    """Check 5 on one changed file; returns whether it was checked (original parses)."""
    if not entry.buildkit_parses:
        return False
    old_text = original.decode("utf-8", "surrogateescape")
    new_text = written.decode("utf-8", "surrogateescape")
    before, error = buildkit_parse(old_text)
    if before is None:
        report.notes.append(f"{entry.id}: MANIFEST says BuildKit parses it, but here: {error}")
        return False
    after, error = buildkit_parse(new_text)
    if after is None:
        report.fail("buildkit", entry.id, f"the written file no longer parses: {error}")
        return True
    problem = instructions_preserved(before, after)
    if problem:
        report.fail("buildkit", entry.id, problem)
    return True


# --- patches ----------------------------------------------------------------------------------


PATCH_HEADER = re.compile(r"^--- a/(?P<path>\S+)", re.M)


def split_patch(patch: str) -> dict:
    """The per-file parts of a patch dockfix printed, by path."""
    parts = {}
    starts = [m for m in PATCH_HEADER.finditer(patch)]
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(patch)
        parts[match["path"]] = patch[match.start() : end]
    return parts


def check_git_apply(patch_file: Path, patch: str, root: Path, by_rel: dict, report: Report) -> None:
    proc = subprocess.run(
        ["git", "apply", "--check", "-p1", str(patch_file)], cwd=root, capture_output=True, text=True
    )
    if proc.returncode == 0:
        return
    # Find the culprits file by file (only on failure: it is one git process per file).
    blamed = False
    for path, part in split_patch(patch).items():
        one = patch_file.with_suffix(".one")
        one.write_text(part, encoding="utf-8", errors="surrogateescape", newline="")
        single = subprocess.run(["git", "apply", "--check", "-p1", str(one)], cwd=root, capture_output=True, text=True)
        if single.returncode != 0:
            report.fail("patch", id_of(path, by_rel), "git apply --check rejects the diff:\n" + first_lines(single.stderr))
            blamed = True
    if not blamed:
        report.fail("patch", "<whole patch>", "git apply --check rejects the diff:\n" + first_lines(proc.stderr))


# --- the gate ---------------------------------------------------------------------------------


def gate(dockfix: str, corpus: Path, tmp: Path, threads: str | None, extra: list) -> int:
    report = Report()
    t0 = time.monotonic()
    entries = read_manifest(corpus)
    by_rel = {entry.rel: entry for entry in entries}
    originals = {}
    for entry in entries:
        originals[entry.id] = (corpus / "files" / f"{entry.id}.d" / entry.name).read_bytes()
    print(f"corpus: {len(entries)} Dockerfiles from {corpus}" + (f"; dockfix flags: {' '.join(extra)}" if extra else ""))

    targets = discover_targets(dockfix, tmp, entries, by_rel, report)
    dirs = {name: tmp / name for name in ("N", "A", "B")}
    for root in dirs.values():
        make_copy(root, entries, originals, corpus)
    env = dict(os.environ)
    if threads:
        env["RAYON_NUM_THREADS"] = threads
    runs = []

    def dockfix_in(copy: str, *args: str, label: str, expect=(0, 1)) -> Run:
        # The fixing runs get the extra flags (e.g. --unsafe-fixes); the no-op runs do not.
        flags = [] if copy == "N" else extra
        run = run_dockfix(dockfix, [*flags, *args, *targets], dirs[copy], env)
        runs.append((label, run))
        check_run(run, label, by_rel, report, expect)
        return run

    # 2. Every pass disabled: nothing to print, nothing to write.
    run = dockfix_in("N", "--ignore", "ALL", "--diff", label="--ignore ALL --diff")
    if run.stdout:
        for path, part in split_patch(run.stdout).items() or {"?": run.stdout}.items():
            report.fail("noop", id_of(path, by_rel), "--ignore ALL --diff printed:\n" + first_lines(part))
    if run.status != 0:
        report.fail("noop", "<run>", f"--ignore ALL --diff exited {run.status}, expected 0")
    dockfix_in("N", "--ignore", "ALL", "--write", label="--ignore ALL --write")
    for entry in entries:
        after = (dirs["N"] / entry.rel).read_bytes()
        if after != originals[entry.id]:
            report.fail("noop", entry.id, "--ignore ALL --write changed the file:\n" + byte_diff(originals[entry.id], after, "original", "written"))

    # 1 + statistics: report mode over the pristine copy.
    stats_report = dockfix_in("A", "--statistics", label="report --statistics")

    # 3. The diff, applied as a user would.
    diff_run = dockfix_in("A", "--diff", label="--diff")
    patch = diff_run.stdout
    patch_file = tmp / "dockfix.patch"
    patch_file.write_text(patch, encoding="utf-8", errors="surrogateescape", newline="")
    check_run_ = dockfix_in("A", "--check", label="--check")
    write_run = dockfix_in("A", "--write", "--statistics", label="--write --statistics")
    written = snapshot(dirs["A"], entries)
    changed = [e for e in entries if written[e.id] != originals[e.id]]
    changed_ids = {e.id for e in changed}

    if patch:
        check_git_apply(patch_file, patch, dirs["B"], by_rel, report)
        proc = subprocess.run(
            ["patch", "-p1", "--batch", "--forward", "--no-backup-if-mismatch", "--reject-file=-", "-i", str(patch_file)],
            cwd=dirs["B"],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            report.notes.append("patch -p1 exited %d:\n%s" % (proc.returncode, first_lines(proc.stdout + proc.stderr)))
    for entry in entries:
        patched = (dirs["B"] / entry.rel).read_bytes()
        if patched != written[entry.id]:
            report.fail(
                "patch",
                entry.id,
                "patch -p1 of --diff differs from --write:\n" + byte_diff(written[entry.id], patched, "--write", "patch -p1"),
            )
    # Other files of the build contexts (.dockerignore, DF201/DF202): --write created or
    # changed them exactly as patch -p1 of the diff does.
    def ignore_files(root: Path) -> dict:
        return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*.dockerignore")} | {
            str(p.relative_to(root)): p.read_bytes() for p in root.rglob(".dockerignore")
        }

    before_context = ignore_files(dirs["N"])
    after_context = ignore_files(dirs["A"])
    changed_context = {path for path, data in after_context.items() if before_context.get(path) != data}
    patched_context = ignore_files(dirs["B"])
    for path in sorted(changed_context):
        if patched_context.get(path) != after_context[path]:
            report.fail("patch", path, "patch -p1 of --diff does not give the .dockerignore --write wrote")
    report.counts["context files"] = len(changed_context)

    patched_paths = set(split_patch(patch))
    for path in patched_paths - set(by_rel) - changed_context:
        report.fail("patch", path, "--diff names a path that is not a corpus file (bad header?)")

    # --check and the exit statuses agree with what --write did.
    listed = {line.strip().removeprefix("./") for line in check_run_.stdout.splitlines() if line.strip()}
    for path in sorted(listed & changed_context ^ changed_context):
        report.fail("check-list", path, "--write changed this context file but --check does not list it")
    listed -= changed_context
    listed_ids = {id_of(p, by_rel) for p in listed}
    for file_id in sorted(listed_ids - changed_ids):
        report.fail("check-list", file_id, "--check lists it but --write does not change it")
    for file_id in sorted(changed_ids - listed_ids):
        report.fail("check-list", file_id, "--write changes it but --check does not list it")
    diffed_ids = {id_of(p, by_rel) for p in patched_paths - changed_context}
    for file_id in sorted(diffed_ids ^ changed_ids):
        report.fail("check-list", file_id, "--diff and --write disagree on whether it changes")
    for label, run, expected in (
        ("--diff", diff_run, 1 if changed else 0),
        ("--check", check_run_, 1 if changed else 0),
    ):
        if run.status in (0, 1) and run.status != expected:
            report.fail("check-list", f"<run: {label}>", f"exit status {run.status}, expected {expected} ({len(changed)} files change)")

    # 4. Idempotence: nothing more to do on the written files.
    again = dockfix_in("A", "--diff", label="--diff after --write")
    for path, part in split_patch(again.stdout).items():
        report.fail("idempotent", id_of(path, by_rel), "--diff after --write still changes it:\n" + first_lines(part))
    if again.stdout and not split_patch(again.stdout):
        report.fail("idempotent", "<run>", "--diff after --write printed:\n" + first_lines(again.stdout))
    dockfix_in("A", "--write", label="second --write")
    for entry in entries:
        after = (dirs["A"] / entry.rel).read_bytes()
        if after != written[entry.id]:
            report.fail("idempotent", entry.id, "a second --write changed it again:\n" + byte_diff(written[entry.id], after, "first --write", "second --write"))

    # 5. BuildKit still reads the written files the same way.
    buildkit_checked = 0
    if dockerfile is None:
        report.fail("buildkit", "<setup>", "the Python package `dockerfile` is not installed (pip install dockerfile==3.4.0)")
    else:
        for entry in changed:
            buildkit_checked += check_buildkit(entry, originals[entry.id], written[entry.id], report)
    skipped_bk = sum(1 for e in changed if not e.buildkit_parses)

    # --- summary ------------------------------------------------------------------------------
    elapsed = time.monotonic() - t0
    print(f"dockfix runs ({len(targets)} path argument(s) each, cwd = a copy of the corpus):")
    for label, run in runs:
        print(f"  {label:<26} exit {run.status}  {run.seconds:6.2f}s")
    print()
    print("--statistics (report mode, original files):")
    print(indent(statistics_of(stats_report.stdout)))
    print("--statistics (--write):")
    print(indent(statistics_of(write_run.stdout)))
    print()
    applied = defaultdict(int)
    for match in re.finditer(r"^(DF\d+)\s+\S+\s+found\s+\d+\s+fixed\s+(\d+)", write_run.stdout, re.M):
        applied[match[1]] += int(match[2])
    print(f"files: {len(entries)} (found by directory discovery: {report.counts.get('discovered', '?')})")
    print(f"files changed by --write: {len(changed)}" + (f" (fixes: {', '.join(f'{c} {n}' for c, n in sorted(applied.items()))})" if applied else ""))
    print(f"diff size: {len(patch.splitlines())} lines")
    print(f"buildkit-checked changed files: {buildkit_checked}" + (f" ({skipped_bk} changed files skipped: original does not parse)" if skipped_bk else ""))
    for note in report.notes:
        print(f"note: {note}")
    print()
    failed = 0
    for check in CHECKS:
        failures = report.failures.get(check, {})
        status = "ok" if not failures else f"FAILED for {len(failures)} file(s)"
        print(f"check {check:<11} {status}")
        failed += len(failures)
    for check in CHECKS:
        failures = report.failures.get(check, {})
        if not failures:
            continue
        print()
        print(f"== {check}: {len(failures)} failure(s) ==")
        for file_id, detail in list(sorted(failures.items()))[:MAX_SHOWN]:
            print(f"-- {file_id}")
            print(indent(detail))
        if len(failures) > MAX_SHOWN:
            print(f"… and {len(failures) - MAX_SHOWN} more: " + " ".join(sorted(failures)[MAX_SHOWN:]))
    print()
    if failed:
        print(f"corpus gate: FAILED ({failed} failure(s)) in {elapsed:.1f}s")
        return 1
    print(f"corpus gate: ok ({len(entries)} files, {len(changed)} changed) in {elapsed:.1f}s")
    return 0


def statistics_of(stdout: str) -> str:
    """The --statistics block at the end of dockfix's stdout."""
    lines = stdout.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("files: ")]
    if not starts:
        return "(no statistics printed)"
    return "\n".join(lines[starts[-1] :])


def indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


def main() -> int:
    here = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dockfix", default=str(here / "target/release/dockfix"), help="the dockfix binary")
    parser.add_argument("--corpus", default=str(here.parent / "shared/corpus"), help="the corpus folder (with MANIFEST.tsv)")
    parser.add_argument("--unsafe-fixes", action="store_true", help="also apply unsafe fixes")
    parser.add_argument("--select", help="rules to run (dockfix --select), default: the default rules")
    parser.add_argument("--threads", help="RAYON_NUM_THREADS for the dockfix runs")
    parser.add_argument("--tmp", help="where to put the copies (default: $TMPDIR, else /dev/shm, else /tmp)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copies and print where they are")
    args = parser.parse_args()

    corpus = Path(args.corpus)
    if not (corpus / "MANIFEST.tsv").is_file():
        print(f"corpus gate: skipped ({corpus} has no MANIFEST.tsv)")
        return 0
    dockfix_bin = Path(args.dockfix).resolve()
    if not dockfix_bin.is_file() or not os.access(dockfix_bin, os.X_OK):
        print(f"corpus gate: error: {args.dockfix} is not an executable (run cargo build --release)", file=sys.stderr)
        return 2
    for tool in ("patch", "git"):
        if shutil.which(tool) is None:
            print(f"corpus gate: error: `{tool}` is not installed", file=sys.stderr)
            return 2
    # Four copies of the corpus are written and deleted: on tmpfs that is much faster.
    base = args.tmp or os.environ.get("TMPDIR")
    if base is None and os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
        base = "/dev/shm"
    tmp = Path(tempfile.mkdtemp(prefix="dockfix-corpus-gate-", dir=base))
    try:
        extra = ["--unsafe-fixes"] if args.unsafe_fixes else []
        if args.select:
            extra += ["--select", args.select]
        return gate(str(dockfix_bin), corpus.resolve(), tmp, args.threads, extra)
    finally:
        if args.keep:
            print(f"copies kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
