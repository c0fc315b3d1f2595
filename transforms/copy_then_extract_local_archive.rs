//! DF005 `copy-then-extract-local-archive` · DisplayOnly · off · shipped stages · hadolint DL3010
//!
//! **What it does.** Reports `COPY x.tar.gz D` when a later RUN of the stage extracts that file
//! with tar and deletes it, and suggests `ADD x.tar.gz D`, which unpacks a local tar archive in
//! one layer.
//!
//! **Why.** The COPY layer keeps the archive even though the RUN deletes it: the image carries
//! it packed and unpacked.
//!
//! **Fix safety.** No fix (advice only): ADD has no `--strip-components` or path filters, and
//! the files' ownership and modes come from the tar, not from the RUN's tar options. Off by
//! default, as the rewrite needs a person to check those.

use crate::config::Settings;
use crate::document::{Document, Keyword};
use crate::fix::Finding;
use crate::shell_rules::later_extract;

const CODE: &str = "DF005";

/// Local archives ADD unpacks.
const TARS: &[&str] = &[
    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz",
];

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (index, copy) in document.instructions.iter().enumerate() {
        let shipped = copy.stage.is_some_and(|s| document.stages[s].shipped);
        if copy.keyword != Keyword::Copy || copy.onbuild || !shipped || copy.flag("from").is_some()
        {
            continue;
        }
        if copy.args().starts_with('[') {
            continue;
        }
        let words: Vec<&str> = copy.args().split_ascii_whitespace().collect();
        let Some((destination, sources)) = words.split_last() else {
            continue;
        };
        for source in sources {
            let name = source.rsplit('/').next().unwrap_or(source);
            if name.contains(['*', '?', '$']) || !TARS.iter().any(|ext| name.ends_with(ext)) {
                continue;
            }
            let file_name = if destination.ends_with('/') || sources.len() > 1 {
                name
            } else {
                destination.rsplit('/').next().unwrap_or(destination)
            };
            if let Some((run, true)) = later_extract(document, index, file_name, true) {
                findings.push(Finding::new(
                    CODE,
                    copy.logical.range.clone(),
                    format!(
                        "`{name}` is copied, then extracted and deleted at line {}: the COPY layer still ships it; `ADD {source} …` unpacks it in one layer",
                        document.instructions[run].logical.start_line
                    ),
                ));
            }
        }
    }
    findings
}
