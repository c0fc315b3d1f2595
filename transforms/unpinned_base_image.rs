//! DF500 `unpinned-base-image` · DisplayOnly · all stages · hadolint DL3006, DL3007
//!
//! **What it does.** Reports a `FROM` image without a tag or digest, or tagged `latest`
//! (`FROM ubuntu`, `FROM node:latest`). Not reported: `scratch`, earlier stage names, images
//! built from a variable (`FROM $BASE`).
//!
//! **Why.** The image changes under the build whenever `latest` moves: builds stop being
//! reproducible and a new major version arrives unannounced.
//!
//! **Fix safety.** No fix (advice only): which version to pin is the user's decision.

use crate::config::Settings;
use crate::document::{Document, Keyword};
use crate::fix::Finding;

const CODE: &str = "DF500";

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let mut findings = Vec::new();
    for stage in &document.stages {
        let from = &document.instructions[stage.from];
        let image = stage.base.as_str();
        if from.keyword != Keyword::From
            || stage.parent.is_some()
            || image.is_empty()
            || image.contains('$')
            || image.eq_ignore_ascii_case("scratch")
            || image.contains('@')
        {
            continue;
        }
        let last = image.rsplit('/').next().unwrap_or(image);
        let message = match last.split_once(':') {
            None => format!("`{image}` has no tag: it means `latest`, which moves; pin a version"),
            Some((_, "latest")) => format!("`{image}`: `latest` moves; pin a version"),
            Some(_) => continue,
        };
        findings.push(Finding::new(CODE, from.logical.range.clone(), message));
    }
    findings
}
