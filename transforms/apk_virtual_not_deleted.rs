//! DF111 `apk-virtual-not-deleted` · DisplayOnly · shipped stages · no hadolint rule
//!
//! **What it does.** Reports `apk add --virtual NAME` (`-t NAME`, `--virtual=NAME`) with no
//! `apk del NAME` later in the same RUN.
//!
//! **Why.** A virtual package groups build dependencies so that one `apk del` removes them
//! all. Deleted in a later RUN (the message names it), they still ship in this RUN's layer;
//! never deleted, they ship outright.
//!
//! **Fix safety.** No fix (advice): whether the packages are needed at run time, and where the
//! deletion belongs, is the author's call.
//!
//! **Not reported.** A virtual name from a variable, or an `apk del` whose names come from a
//! variable (it may match); a name that says it holds runtime dependencies (`.rundeps`,
//! `.run-deps`: the docker-library images keep those on purpose).

use crate::config::Settings;
use crate::document::{Document, Keyword};
use crate::fix::Finding;
use crate::shell::Command;
use crate::shell_rules::{scan_runs, Scope};

const CODE: &str = "DF111";

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let scan = scan_runs(document, Scope::Shipped, |text| {
        text.contains("--virtual") || text.contains("-t")
    });
    let mut findings = Vec::new();
    for commands in scan.commands.chunk_by(|a, b| a.index == b.index) {
        for (i, run) in commands.iter().enumerate() {
            let Some(name) = virtual_name(run.command) else {
                continue;
            };
            if name.contains("run") {
                // `.python-rundeps`: runtime dependencies grouped on purpose, to be kept.
                continue;
            }
            let deleted_here = commands[i + 1..]
                .iter()
                .any(|later| deletes(later.command, &name));
            if deleted_here {
                continue;
            }
            let message = match later_deletion(document, run.index, &name) {
                Some(line) => format!(
                    "virtual package `{name}` is deleted only by the RUN at line {line}: its \
                     packages still ship in this layer; delete it in this RUN"
                ),
                None => format!(
                    "virtual package `{name}` is never deleted: delete it with `apk del {name}` \
                     at the end of this RUN if it only holds build dependencies"
                ),
            };
            findings.push(run.finding(CODE, message));
        }
    }
    findings
}

/// The literal name given by `--virtual NAME`, `--virtual=NAME`, `-t NAME` on `apk add`.
fn virtual_name(command: &Command) -> Option<String> {
    if command.basename() != Some("apk") {
        return None;
    }
    let values: Vec<Option<&str>> = command.arg_values().collect();
    if !values.contains(&Some("add")) {
        return None;
    }
    values
        .iter()
        .enumerate()
        .find_map(|(i, value)| match *value {
            Some("--virtual" | "-t") => values.get(i + 1).copied().flatten().map(str::to_string),
            Some(other) => other.strip_prefix("--virtual=").map(str::to_string),
            None => None,
        })
}

/// `apk del … NAME …`, or an `apk del` with names from a variable (it may be NAME).
fn deletes(command: &Command, name: &str) -> bool {
    if command.basename() != Some("apk") {
        return false;
    }
    let values: Vec<Option<&str>> = command.arg_values().collect();
    values.contains(&Some("del")) && values.iter().any(|v| v.is_none_or(|v| v == name))
}

/// `apk del … NAME …` with the name written literally.
fn deletes_by_name(command: &Command, name: &str) -> bool {
    deletes(command, name) && command.arg_values().any(|v| v == Some(name))
}

/// The line of a later RUN of the stage that deletes the virtual package.
fn later_deletion(document: &Document, index: usize, name: &str) -> Option<usize> {
    let stage = document.instructions[index].stage;
    document.instructions[index + 1..]
        .iter()
        .take_while(|i| i.stage == stage)
        .filter(|i| i.keyword == Keyword::Run)
        .find(|i| {
            i.editable_shell(document.text()).is_ok_and(|body| {
                body.script
                    .commands()
                    .iter()
                    .any(|c| deletes_by_name(c, name))
            })
        })
        .map(|i| i.logical.start_line)
}
