//! DF104 `apt-in-scripts` · Safe / Unsafe / DisplayOnly · all stages · hadolint DL3027
//!
//! **What it does.** Replaces `apt` by `apt-get` (a path prefix is kept: `/usr/bin/apt` →
//! `/usr/bin/apt-get`).
//!
//! **Why.** `apt` is the interactive front end: its command line is not stable and it warns
//! "apt does not have a stable CLI interface. Use with caution in scripts." `apt-get` is
//! meant for scripts.
//!
//! **Fix safety.** The two differ only in `Binary::apt::*` defaults (`apt-config dump`). The
//! one that changes an image is `Binary::apt::APT::Keep-Downloaded-Packages "0"`: `apt`
//! deletes the .debs it downloaded, `apt-get` keeps them in `/var/cache/apt/archives`.
//! - `update`, `remove`, `purge`, `autoremove`, `clean`, `autoclean` download no package:
//!   Safe.
//! - `install` (and a `remove pkg+`, which installs): Safe when the base image deletes
//!   downloaded packages anyway (official Debian/Ubuntu images and those built on them have
//!   `/etc/apt/apt.conf.d/docker-clean`) or the RUN cleans `/var/cache/apt/archives`
//!   (`apt-get clean`, `rm -rf /var/cache/apt/*`); otherwise Unsafe: the .debs would stay in
//!   the layer.
//! - `upgrade`, `full-upgrade`: advice only. `apt upgrade` installs new dependencies
//!   (`Upgrade-Allow-New`), `apt-get upgrade` holds those packages back; the equivalent is
//!   `apt-get upgrade --with-new-pkgs`.
//! - `search`, `show`, `list`, `policy` and other subcommands: advice only (`apt-cache`,
//!   `dpkg -l` are the script-friendly tools).
//!
//! **Skips** (shown with `--show-skipped`): a subcommand hidden in a variable, commands inside
//! `$( )`/`eval`, and the RULES.md §2 gates.

use crate::config::Settings;
use crate::document::Document;
use crate::fix::{Edit, Finding, Fix};
use crate::shell::Nesting;
use crate::shell_rules::{
    apt_subcommand, gated_finding, removes_path, scan_runs, Operand, RunCommand, Scope,
};

const CODE: &str = "DF104";

/// Subcommands that never download a package.
const NO_DOWNLOAD: &[&str] = &[
    "update",
    "remove",
    "purge",
    "autoremove",
    "clean",
    "autoclean",
];

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let scan = scan_runs(document, Scope::All, mentions_apt);
    let mut findings: Vec<Finding> = scan
        .gated
        .iter()
        .filter(|(instruction, _)| mentions_apt(&instruction.logical.text))
        .map(|(instruction, reason)| gated_finding(CODE, instruction, reason, "`apt` in a script"))
        .collect();
    for run in &scan.commands {
        findings.extend(check_command(document, run));
    }
    findings
}

/// Cheap text test: a word `apt` or `…/apt` (also in exec form or `$( )`).
fn mentions_apt(text: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || "-_./".contains(c)))
        .any(|word| word == "apt" || word.ends_with("/apt"))
}

fn check_command(document: &Document, run: &RunCommand) -> Option<Finding> {
    let command = &run.command;
    if command.basename() != Some("apt") {
        return None;
    }
    let sub = match apt_subcommand(command)? {
        Operand::At(i) => command.args[i].value.clone()?,
        Operand::Dynamic => {
            return Some(skip(
                run,
                "dynamic-flags",
                "the subcommand may come from a variable",
            ))
        }
        Operand::Missing => return None,
    };
    if command.nesting == Nesting::Substitution {
        return Some(skip(
            run,
            "nested-shell",
            "the command runs in a nested shell",
        ));
    }
    let message = format!("`apt {sub}` in a script: use `apt-get {sub}`");
    let installs = sub == "install"
        || (NO_DOWNLOAD.contains(&sub.as_str())
            && command
                .args
                .iter()
                .any(|w| w.value.as_deref().is_some_and(|v| v.ends_with('+'))));
    let fix = if installs {
        let edits = vec![rename(run)?];
        if run
            .instruction
            .stage
            .is_some_and(|stage| document.base_fact(stage, "apt-docker-clean"))
            || cleans_archives(run)
        {
            Fix::safe(edits)
        } else {
            Fix::unsafe_because(
                edits,
                "apt-get keeps the downloaded .debs in /var/cache/apt/archives (apt deletes \
                 them): clean them in the same RUN",
            )
        }
    } else if NO_DOWNLOAD.contains(&sub.as_str()) {
        Fix::safe(vec![rename(run)?])
    } else if sub == "upgrade" || sub == "full-upgrade" {
        return Some(run.finding(
            CODE,
            format!(
                "`apt {sub}` in a script: `apt-get {}` holds back upgrades that need new \
                 packages; `apt-get upgrade --with-new-pkgs` is the equivalent",
                if sub == "upgrade" {
                    "upgrade"
                } else {
                    "dist-upgrade"
                }
            ),
        ));
    } else {
        return Some(run.finding(
            CODE,
            format!("`apt {sub}` in a script: use apt-cache, apt-get or dpkg-query"),
        ));
    };
    // The rename replaces the command `apt` by `apt-get`: declared, so verification accepts it.
    Some(
        run.finding(CODE, message)
            .with_fix(fix.dropping_commands(&["apt"])),
    )
}

fn skip(run: &RunCommand, reason: &'static str, message: &str) -> Finding {
    Finding::skip(CODE, run.file_range(&run.command.range), reason, message)
}

/// Replace the last path segment `apt` of the command name by `apt-get`, if it is written
/// plainly (not quoted or escaped).
fn rename(run: &RunCommand) -> Option<Edit> {
    let name = &run.command.name;
    let text = &run.body.script.text()[name.range.clone()];
    if !text.ends_with("apt") {
        return None;
    }
    let range = run.file_range(&(name.range.end - 3..name.range.end));
    (range.len() == 3).then(|| Edit {
        range,
        replacement: "apt-get".to_string(),
    })
}

/// The RUN deletes downloaded packages itself: `apt(-get) clean` or an `rm` of the archives.
fn cleans_archives(run: &RunCommand) -> bool {
    run.body.script.commands().iter().any(|command| {
        let cleans = matches!(
            apt_subcommand(command),
            Some(Operand::At(i)) if command.args[i].value.as_deref() == Some("clean")
        );
        cleans || removes_path(command, &["/var/cache/apt/archives"])
    })
}
