//! DF400 `add-to-copy` · Safe · all stages · hadolint DL3020
//!
//! **What it does.** Turns `ADD` into `COPY` when every source is a local path that ADD would
//! copy as is: `ADD --chown=app src/ /app/src/` → `COPY --chown=app src/ /app/src/`.
//!
//! **Why.** ADD also fetches URLs and unpacks archives; COPY says what the line does, and the
//! reader (and the next maintainer adding a `.tar.gz`) is not surprised.
//!
//! **How it knows.** ADD unpacks a local source *file* (never files inside a directory source)
//! whose content is a tar archive, plain or compressed. The source is read in the build
//! context: a file starting with a gzip, bzip2, xz or zstd signature, or holding a tar header
//! (`ustar` at byte 257, or a valid header checksum for old tars), is refused; globs are
//! expanded in the context. A source that cannot be read (no context, absent, an unmatched
//! glob) is refused when its name ends like an archive (`.tar .tgz .gz .bz2 .xz .zst …`).
//!
//! **Fix safety.** Safe: for a non-archive local source COPY does exactly what ADD does (same
//! flags `--chown --chmod --link --exclude`). Compressed files are refused even when they hold
//! no tar (ADD would copy those as is): telling needs decompression, and refusing is safe.
//!
//! **Skips** (shown with `--show-skipped`): `archive` (a source is, or may be, an archive ADD
//! unpacks); `add-only-flag` (`--checksum`, `--keep-git-dir`, `--unpack`); `dynamic-source` (a
//! source uses a variable); `onbuild`; `opaque`. URLs, `git@` and heredoc sources are not
//! reported (DF004 handles remote archives).

use std::io::Read;
use std::path::Path;

use globset::GlobBuilder;

use crate::config::Settings;
use crate::context::BuildContext;
use crate::document::{Document, Keyword};
use crate::fix::{Edit, Finding, Fix};
use crate::shell_rules::keyword_like;

const CODE: &str = "DF400";

/// Names ADD may unpack when the content cannot be read (RULES.md §10).
const ARCHIVE_SUFFIXES: &[&str] = &[
    ".tar", ".tgz", ".taz", ".tb2", ".tbz", ".tbz2", ".txz", ".tzst", ".gz", ".bz2", ".xz", ".zst",
    ".Z", ".lz", ".lzma",
];

const ADD_ONLY_FLAGS: &[&str] = &["checksum", "keep-git-dir", "unpack"];

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let mut findings = Vec::new();
    for add in document
        .instructions
        .iter()
        .filter(|i| i.keyword == Keyword::Add)
    {
        let range = add.logical.range.clone();
        let words: Vec<String> = if add.args().starts_with('[') {
            match serde_json::from_str(add.args().trim()) {
                Ok(words) => words,
                Err(_) => continue,
            }
        } else {
            add.args()
                .split_ascii_whitespace()
                .map(str::to_string)
                .collect()
        };
        let Some((_, sources)) = words.split_last() else {
            continue;
        };
        let remote = |s: &String| s.contains("://") || s.starts_with("git@") || s.starts_with("<<");
        if sources.is_empty() || sources.iter().any(remote) || !add.logical.heredocs.is_empty() {
            continue;
        }
        let message = "`ADD` of local files: `COPY` does the same and says so";
        let skip = |reason, detail: String| {
            Finding::skip(CODE, range.clone(), reason, format!("{message}; {detail}"))
        };
        if add.onbuild || add.opaque {
            let reason = if add.onbuild { "onbuild" } else { "opaque" };
            findings.push(skip(reason, "not edited here".to_string()));
            continue;
        }
        if let Some(flag) = add
            .flags
            .iter()
            .find(|f| ADD_ONLY_FLAGS.contains(&f.name.as_str()))
        {
            let detail = format!("`--{}` exists only for ADD", flag.name);
            findings.push(skip("add-only-flag", detail));
            continue;
        }
        if let Some(source) = sources.iter().find(|s| s.contains('$')) {
            let detail = format!("`{source}` is only known at build time");
            findings.push(skip("dynamic-source", detail));
            continue;
        }
        let context = document.context.as_deref();
        if let Some(source) = sources.iter().find(|s| may_unpack(context, s)) {
            let detail = format!("ADD unpacks `{source}` if it is a tar archive");
            findings.push(skip("archive", detail));
            continue;
        }
        let keyword = &document.text()[add.logical.keyword.clone()];
        let edit = Edit {
            range: add.logical.keyword.clone(),
            replacement: keyword_like(keyword, "COPY"),
        };
        // Verification sees an ADD replaced by a COPY.
        let mut fix = Fix::safe(vec![edit]).removing_instructions(1);
        fix.adds_instructions = 1;
        findings.push(Finding::new(CODE, range, message).with_fix(fix));
    }
    findings
}

/// ADD would unpack (or might: unreadable and named like an archive) this source.
fn may_unpack(context: Option<&BuildContext>, source: &str) -> bool {
    let named_like_archive = || {
        ARCHIVE_SUFFIXES
            .iter()
            .any(|suffix| source.ends_with(suffix))
    };
    let Some(context) = context else {
        return named_like_archive();
    };
    let pattern = source.trim_start_matches("./").trim_start_matches('/');
    if !pattern.contains(['*', '?', '[']) {
        let path = context.root().join(pattern);
        return match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => false,
            Ok(_) if !context.is_ignored(pattern) => is_archive(&path),
            _ => named_like_archive(),
        };
    }
    let Ok(glob) = GlobBuilder::new(pattern).literal_separator(true).build() else {
        return true;
    };
    let matcher = glob.compile_matcher();
    let mut matched = false;
    let walker = ignore::WalkBuilder::new(context.root())
        .standard_filters(false)
        .build();
    for entry in walker.flatten() {
        let Ok(relative) = entry.path().strip_prefix(context.root()) else {
            continue;
        };
        if !matcher.is_match(relative) || entry.file_type().is_some_and(|t| t.is_dir()) {
            continue;
        }
        matched = true;
        let name = relative.to_string_lossy();
        if !context.is_ignored(&name) && is_archive(entry.path()) {
            return true;
        }
    }
    !matched && named_like_archive()
}

/// The file starts like an archive ADD unpacks: a compressed stream (gzip, bzip2, xz, zstd)
/// or a tar header. Unreadable files count as archives.
fn is_archive(path: &Path) -> bool {
    let mut head = Vec::with_capacity(512);
    let read = std::fs::File::open(path).and_then(|file| file.take(512).read_to_end(&mut head));
    if read.is_err() {
        return true;
    }
    let compressed: &[&[u8]] = &[b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00", b"\x28\xb5\x2f\xfd"];
    if compressed.iter().any(|magic| head.starts_with(magic)) {
        return true;
    }
    head.len() == 512 && (&head[257..262] == b"ustar" || tar_checksum_ok(&head))
}

/// A tar header's checksum (bytes 148..156, octal) equals the sum of its bytes with the
/// checksum field read as blanks: old (v7) tars have no `ustar` magic.
fn tar_checksum_ok(header: &[u8]) -> bool {
    let field = String::from_utf8_lossy(&header[148..156]);
    let Ok(expected) = u32::from_str_radix(field.trim_matches(|c: char| c == '\0' || c == ' '), 8)
    else {
        return false;
    };
    let sum: u32 = header
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            if (148..156).contains(&i) {
                32
            } else {
                u32::from(b)
            }
        })
        .sum();
    sum == expected && header[0] != 0
}
