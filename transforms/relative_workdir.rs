//! DF509 `relative-workdir` · DisplayOnly · all stages · hadolint DL3000
//!
//! **What it does.** Reports a WORKDIR that does not start with `/`, a variable or a drive
//! letter (`WORKDIR app`).
//!
//! **Why.** A relative WORKDIR is resolved against the previous one, so its meaning depends on
//! the instructions (and base image) before it.
//!
//! **Fix safety.** No fix (advice only): the absolute path depends on the base image's
//! WORKDIR, which the Dockerfile does not show.

use crate::config::Settings;
use crate::document::{Document, Keyword};
use crate::fix::Finding;

const CODE: &str = "DF509";

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    document
        .instructions
        .iter()
        .filter(|i| i.keyword == Keyword::Workdir)
        .filter_map(|instruction| {
            let dir = instruction.args().trim().trim_matches(|c| c == '"' || c == '\'');
            let bytes = dir.as_bytes();
            let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
            let absolute = dir.is_empty() || dir.starts_with(['/', '$', '\\']) || drive;
            (!absolute).then(|| {
                Finding::new(
                    CODE,
                    instruction.logical.range.clone(),
                    format!("relative WORKDIR `{dir}` depends on the one before it: use an absolute path"),
                )
            })
        })
        .collect()
}
