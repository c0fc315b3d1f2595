//! DF404 `buildkit-syntax-without-directive` · DisplayOnly · all stages · no hadolint rule
//!
//! **What it does.** Reports BuildKit-only syntax in a Dockerfile without a `# syntax=` line:
//! heredocs, `RUN --mount|--network|--security`, `COPY`/`ADD --link|--chmod|--parents|--exclude`,
//! `ADD --checksum|--keep-git-dir`, `ADD` of a Git URL. The advice names the feature and the
//! Dockerfile frontend that introduced it.
//!
//! **Why.** The classic builder rejects these instructions, and older BuildKit frontends lack
//! some (heredocs and `--link` need 1.4). A build that works on one machine fails on another.
//!
//! **Fix safety.** No fix (advice only): `# syntax=docker/dockerfile:1` would make BuildKit pull
//! the frontend image from a registry on every build — that fails offline, air-gapped or behind
//! mirrors without it, and the floating tag changes the frontend under the build; builders
//! without BuildKit frontends ignore the line anyway. Whether to add it is the user's call.

use crate::config::Settings;
use crate::document::{Document, Keyword};
use crate::fix::Finding;

const CODE: &str = "DF404";

/// Flags and the Dockerfile frontend release that added them (docker/docs "Dockerfile release
/// notes"; `--security` and `--parents`/`--exclude` first shipped in the labs channel).
const FLAGS: &[(Keyword, &str, &str)] = &[
    (Keyword::Run, "mount", "1.2"),
    (Keyword::Run, "network", "1.3"),
    (Keyword::Run, "security", "1.1-labs"),
    (Keyword::Copy, "link", "1.4"),
    (Keyword::Add, "link", "1.4"),
    (Keyword::Copy, "chmod", "1.3"),
    (Keyword::Add, "chmod", "1.3"),
    (Keyword::Copy, "parents", "1.7-labs"),
    (Keyword::Copy, "exclude", "1.7-labs"),
    (Keyword::Add, "exclude", "1.7-labs"),
    (Keyword::Add, "checksum", "1.6"),
    (Keyword::Add, "keep-git-dir", "1.6"),
];

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    if document.directives.syntax.is_some() {
        return Vec::new();
    }
    let mut findings = Vec::new();
    for instruction in &document.instructions {
        let keyword = instruction.logical.keyword_upper(document.text());
        let mut features: Vec<String> = FLAGS
            .iter()
            .filter(|(k, flag, _)| *k == instruction.keyword && instruction.flag(flag).is_some())
            .map(|(_, flag, version)| format!("`{keyword} --{flag}` (frontend {version})"))
            .collect();
        if !instruction.logical.heredocs.is_empty() {
            features.push("a heredoc (frontend 1.4)".to_string());
        }
        let git = |word: &str| {
            word.starts_with("git@")
                || (word.contains("://") && (word.contains(".git#") || word.ends_with(".git")))
        };
        if instruction.keyword == Keyword::Add
            && instruction.args().split_ascii_whitespace().any(git)
        {
            features.push("`ADD` of a Git repository (frontend 1.6)".to_string());
        }
        if features.is_empty() {
            continue;
        }
        findings.push(Finding::new(
            CODE,
            instruction.logical.range.clone(),
            format!(
                "BuildKit-only syntax without a `# syntax=` line: {}; the classic builder and older frontends reject it",
                features.join(", ")
            ),
        ));
    }
    findings
}
