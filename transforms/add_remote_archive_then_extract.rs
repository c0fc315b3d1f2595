//! DF004 `add-remote-archive-then-extract` · DisplayOnly · shipped stages · no hadolint rule
//!
//! **What it does.** Reports `ADD https://…/x.tar.gz D` when a later RUN of the stage extracts
//! that file, and suggests one RUN instead: `RUN curl -fsSL URL | tar -xz -C DIR`.
//!
//! **Why.** ADD never unpacks a remote file: the archive ships in ADD's layer, and the
//! extracted copy in the RUN's layer; a download piped into tar keeps only the extracted files.
//!
//! **Fix safety.** No fix (advice only): the image may lack curl or wget; ADD's `--checksum`
//! would be lost; ADD re-checks the remote file on every build while a RUN is cached by its
//! text, so the rewrite changes when the download is refreshed.

use crate::config::Settings;
use crate::document::{Document, Keyword};
use crate::fix::Finding;
use crate::shell_rules::later_extract;

const CODE: &str = "DF004";

/// File names ADD copies as is from a URL but a RUN can unpack.
const ARCHIVES: &[&str] = &[
    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".zip", ".gz",
];

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (index, add) in document.instructions.iter().enumerate() {
        let shipped = add.stage.is_some_and(|s| document.stages[s].shipped);
        if add.keyword != Keyword::Add || add.onbuild || !shipped {
            continue;
        }
        let words: Vec<&str> = add.args().split_ascii_whitespace().collect();
        let Some((destination, sources)) = words.split_last() else {
            continue;
        };
        if add.args().starts_with('[') {
            continue;
        }
        for url in sources.iter().filter(|s| s.contains("://")) {
            let name = url.rsplit('/').next().unwrap_or(url);
            if name.contains(['?', '#', '$']) || !ARCHIVES.iter().any(|ext| name.ends_with(ext)) {
                continue;
            }
            let file_name = if destination.ends_with('/') || sources.len() > 1 {
                name
            } else {
                destination.rsplit('/').next().unwrap_or(destination)
            };
            let Some((run, _)) = later_extract(document, index, file_name, false) else {
                continue;
            };
            let checksum = if add.flag("checksum").is_some() {
                " (its `--checksum` would need a `sha256sum -c` in the RUN)"
            } else {
                ""
            };
            findings.push(Finding::new(
                CODE,
                add.logical.range.clone(),
                format!(
                    "ADD does not unpack the remote archive `{name}` extracted at line {}: it ships twice; download and extract in one RUN, e.g. `RUN curl -fsSL {url} | tar -xz -C DIR`{checksum}",
                    document.instructions[run].logical.start_line
                ),
            ));
        }
    }
    findings
}
