//! DF142 `zypper-clean` · Safe · shipped stages · hadolint DL3036
//!
//! **What it does.** Appends `zypper clean -a` to a RUN whose `zypper` installs, updates or
//! refreshes (`install`/`in`, `update`/`up`, `dist-upgrade`/`dup`, `patch`, `refresh`/`ref`,
//! `source-install`/`si`) and does not clean up afterwards. The appended command uses the same
//! command word (`sudo`, a path, assignment prefixes kept): `zypper -n in git` → `zypper -n in
//! git && zypper clean -a`.
//!
//! **Why.** zypper keeps repository metadata and downloaded packages in `/var/cache/zypp`, dead
//! weight in the layer.
//!
//! **When it is already satisfied.** A later `zypper clean` / `zypper cc` (any options) or an
//! `rm` of `/var/cache/zypp` in the same RUN; a cache mount on `/var/cache/zypp`.
//!
//! **Fix safety.** Safe: the same packages are installed; `clean -a` deletes only caches,
//! which zypper fetches again when it needs them.
//!
//! **Skips** (shown with `--show-skipped`): a global option that moves the cache or the root
//! (`--cache-dir`/`-C`, `--pkg-cache-dir`, `--root`/`-R`, `--installroot`: a plain `zypper clean`
//! would clean another place); every zypper call inside `if`/`case`/loops or `$( )`; an
//! `xargs`/`exec` wrapper; `cannot-append`; the RULES.md §2 gates.

use crate::config::Settings;
use crate::document::Document;
use crate::fix::{Finding, Fix};
use crate::shell_rules::{
    append_cleanup, cache_covered, commands_by_run, first_operand, gated_finding, has_option,
    removes_dir, scan_runs, uncleaned_trigger, Operand, RunCommand, Scope,
};

const CODE: &str = "DF142";

/// zypper's global options that take their value as the next word.
pub(super) const OPTIONS_WITH_VALUE: &[&str] = &[
    "-c",
    "--config",
    "-R",
    "--root",
    "-D",
    "--reposd-dir",
    "-C",
    "--cache-dir",
    "--raw-cache-dir",
    "--solv-cache-dir",
    "--pkg-cache-dir",
    "--userdata",
    "--installroot",
];

/// Global options after which a plain `zypper clean` cleans another place.
const MOVES_CACHE: &[&str] = &[
    "-C",
    "--cache-dir",
    "--raw-cache-dir",
    "--pkg-cache-dir",
    "-R",
    "--root",
    "--installroot",
];

const CACHE_DIRS: &[&str] = &["/var/cache/zypp"];

const FILLS_CACHE: &[&str] = &[
    "install",
    "in",
    "update",
    "up",
    "dist-upgrade",
    "dup",
    "patch",
    "refresh",
    "ref",
    "source-install",
    "si",
];

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let scan = scan_runs(document, Scope::Shipped, |text| text.contains("zypper"));
    let mut findings: Vec<Finding> = scan
        .gated
        .iter()
        .filter(|(instruction, _)| {
            let text = &instruction.logical.text;
            !text.contains("zypper clean") && !text.contains("zypper cc")
        })
        .map(|(instruction, reason)| {
            gated_finding(CODE, instruction, reason, "zypper cache left in the layer")
        })
        .collect();
    for run_commands in commands_by_run(&scan.commands) {
        findings.extend(check_run(document, run_commands));
    }
    findings
}

/// The zypper subcommand and its index, if the command is a literal zypper call.
fn zypper_subcommand<'r>(run: &'r RunCommand) -> Option<(usize, &'r str)> {
    if run.command.basename() != Some("zypper") {
        return None;
    }
    match first_operand(&run.command.args, OPTIONS_WITH_VALUE) {
        Operand::At(i) => Some((i, run.command.args[i].as_str()?)),
        _ => None,
    }
}

fn fills_cache(run: &RunCommand) -> bool {
    zypper_subcommand(run).is_some_and(|(_, name)| FILLS_CACHE.contains(&name))
}

fn cleans_cache(run: &RunCommand) -> bool {
    matches!(zypper_subcommand(run), Some((_, "clean" | "cc")))
        || removes_dir(run.command, CACHE_DIRS)
}

fn check_run(document: &Document, run_commands: &[RunCommand]) -> Option<Finding> {
    let last = uncleaned_trigger(run_commands, fills_cache, cleans_cache)?;
    if cache_covered(last.instruction, CACHE_DIRS) {
        return None;
    }
    let triggers: Vec<&RunCommand> = run_commands.iter().filter(|r| fills_cache(r)).collect();
    let message = "`zypper` leaves its cache in the layer: no `zypper clean -a` after it";
    let skip = |reason, why: &str| {
        Some(Finding::skip(
            CODE,
            last.file_range(&last.command.range),
            reason,
            format!("{message}; {why}"),
        ))
    };
    // Global options come before the subcommand.
    let moves_cache = |run: &&RunCommand| {
        let global = zypper_subcommand(run).map_or(0, |(i, _)| i);
        MOVES_CACHE
            .iter()
            .any(|option| has_option(&run.command.args[..global], option))
    };
    if triggers.iter().any(moves_cache) {
        return skip(
            "cache-dir",
            "a global option moves the cache or the root: clean it with the same option",
        );
    }
    match append_cleanup(document, &triggers, last, &last.command.name, "clean -a") {
        Ok(edit) => Some(last.finding(CODE, message).with_fix(Fix::safe(vec![edit]))),
        Err((reason, why)) => skip(reason, why),
    }
}
