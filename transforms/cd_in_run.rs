//! DF508 `cd-in-run` · DisplayOnly · all stages · hadolint DL3003
//!
//! **What it does.** Reports a RUN whose first command is `cd DIR` (a literal directory) and
//! which has more commands after it, all of them running in DIR: `RUN cd /app && make`.
//!
//! **Why.** `WORKDIR /app` says it once, creates the directory, and carries over to the next
//! RUN, COPY and CMD; a `cd` only lasts for its RUN and hides the layout.
//!
//! **Fix safety.** No fix (advice only): WORKDIR also changes where later instructions run.
//! RUNs that `cd` back or `cd` several times are not reported.

use crate::config::Settings;
use crate::document::Document;
use crate::fix::Finding;
use crate::shell::Nesting;
use crate::shell_rules::{commands_by_run, scan_runs, RunCommand, Scope};

const CODE: &str = "DF508";

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let scan = scan_runs(document, Scope::All, |text| text.contains("cd "));
    let mut findings = Vec::new();
    for commands in commands_by_run(&scan.commands) {
        let top: Vec<_> = commands
            .iter()
            .filter(|run| run.command.nesting == Nesting::TopLevel)
            .collect();
        let Some((first, rest)) = top.split_first() else {
            continue;
        };
        let is_cd = |run: &RunCommand| run.command.basename() == Some("cd");
        if !is_cd(first)
            || rest.is_empty()
            || rest.iter().any(|run| is_cd(run))
            || first.command.in_pipeline
        {
            continue;
        }
        let dir = match first.command.arg_values().collect::<Vec<_>>().as_slice() {
            [Some(dir)] if !dir.starts_with('-') => dir.to_string(),
            _ => continue,
        };
        findings.push(first.finding(
            CODE,
            format!("`cd {dir}` for the whole RUN: `WORKDIR {dir}` says it once and creates the directory"),
        ));
    }
    findings
}
