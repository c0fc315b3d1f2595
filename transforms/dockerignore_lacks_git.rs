//! DF202 `dockerignore-lacks-git` · Safe · all stages · no hadolint rule
//!
//! **What it does.** When the Dockerfile copies the whole build context and the ignore file in
//! effect (`<Dockerfile>.dockerignore`, else the context's `.dockerignore`) does not exclude
//! `.git`, appends a `.git` line to it, in the file's own line ending (a missing final newline
//! is added first).
//!
//! **Why.** The repository's history is sent to the builder and copied into the image by
//! `COPY . .`: often the largest directory of the context, and every commit invalidates the
//! copy layer.
//!
//! **Fix safety.** Safe: nothing in the build reads `.git`. When something does (a RUN running
//! `git`, a Go build stamping VCS data, setuptools-scm and the other version plugins), the rule
//! skips and names the reader: excluding `.git` would break or change that build.

use crate::config::Settings;
use crate::document::Document;
use crate::fix::{Applicability, FileChange, Finding, Fix};

const CODE: &str = "DF202";

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let Some(context) = document.context.as_deref() else {
        return Vec::new();
    };
    let Some(ignore) = context.ignore_file() else {
        return Vec::new();
    };
    if context.is_ignored(".git") {
        return Vec::new();
    }
    let Some(copy) = document
        .instructions
        .iter()
        .find(|i| !i.opaque && i.whole_context_destination().is_some())
    else {
        return Vec::new();
    };
    let range = copy.logical.range.clone();
    let message = format!("{} does not exclude .git", ignore.path.display());
    let readers = document.git_readers();
    if !readers.is_empty() {
        let reason = format!("{message}, but {} reads it", readers.join(", "));
        return vec![Finding::skip(CODE, range, "git-reader", reason)];
    }
    let eol = if ignore.text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let mut new = ignore.text.clone();
    if !new.is_empty() && !new.ends_with('\n') {
        new.push_str(eol);
    }
    new.push_str(".git");
    new.push_str(eol);
    let change = FileChange {
        path: context.root().join(&ignore.path),
        old: Some(ignore.text.clone()),
        new,
    };
    let note = "the repository's history stays out of the build context".to_string();
    vec![Finding::new(CODE, range, message).with_fix(Fix::of_files(
        vec![change],
        Applicability::Safe,
        note,
    ))]
}
