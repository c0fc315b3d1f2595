//! DF503 `secret-in-arg-env` · DisplayOnly · all stages · hadolint DL3064
//!
//! **What it does.** Reports ARG and ENV names that look like secrets: containing `PASSWORD`,
//! `SECRET`, `TOKEN`, `API_KEY`, `ACCESS_KEY` or `PRIVATE_KEY` (any case), except names ending
//! `_FILE` or `_PATH` (they point at a secret, they do not hold it).
//!
//! **Why.** ENV values ship in the image's config; ARG values are recorded in the image
//! history (`docker history`) of every layer that uses them. Anyone who can pull the image can
//! read them. `RUN --mount=type=secret,id=…` passes a secret to one RUN without storing it.
//!
//! **Fix safety.** No fix (advice only): the build has to be changed to pass the secret
//! differently.

use crate::config::Settings;
use crate::document::{Document, Keyword};
use crate::fix::Finding;

const CODE: &str = "DF503";

const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "ACCESS_KEY",
    "PRIVATE_KEY",
];

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let mut findings = Vec::new();
    for instruction in &document.instructions {
        let keyword = match instruction.keyword {
            Keyword::Env => "ENV",
            Keyword::Arg => "ARG",
            _ => continue,
        };
        for name in instruction.declared_names() {
            let upper = name.to_ascii_uppercase();
            if upper.ends_with("_FILE") || upper.ends_with("_PATH") {
                continue;
            }
            if SECRET_WORDS.iter().any(|word| upper.contains(word)) {
                findings.push(Finding::new(
                    CODE,
                    instruction.logical.range.clone(),
                    format!("{keyword} `{name}` looks like a secret: its value is readable in the image; use `RUN --mount=type=secret`"),
                ));
            }
        }
    }
    findings
}
