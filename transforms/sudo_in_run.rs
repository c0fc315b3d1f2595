//! DF502 `sudo-in-run` · DisplayOnly · all stages · hadolint DL3004
//!
//! **What it does.** Reports `sudo` as a command in RUN.
//!
//! **Why.** RUN already runs as the stage's USER; `sudo` needs a sudoers setup, may prompt or
//! fail without a TTY, and leaves a privilege-escalation tool in the image. Switch with
//! `USER root` … `USER app` instead.
//!
//! **Fix safety.** No fix (advice only): dropping `sudo` changes which user runs the command.

use crate::config::Settings;
use crate::document::Document;
use crate::fix::Finding;
use crate::shell_rules::{scan_runs, Scope};

const CODE: &str = "DF502";

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let scan = scan_runs(document, Scope::All, |text| text.contains("sudo"));
    scan.commands
        .iter()
        .filter(|run| {
            let is_sudo = |value: Option<&str>| {
                value.is_some_and(|v| v.rsplit('/').next() == Some("sudo"))
            };
            run.command.basename() == Some("sudo")
                || run.command.wrappers.iter().any(|word| is_sudo(word.as_str()))
        })
        .map(|run| {
            run.finding(
                CODE,
                "`sudo` in RUN: switch users with USER instead (sudo needs a TTY or sudoers setup and stays in the image)",
            )
        })
        .collect()
}
