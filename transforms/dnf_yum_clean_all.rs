//! DF140 `dnf-yum-clean-all` · Safe · shipped stages · hadolint DL3032, DL3040
//!
//! **What it does.** Appends `<tool> clean all` to a RUN whose `dnf`, `yum`, `microdnf`, `dnf5`
//! or `tdnf` installs, updates or refreshes metadata (`install`, `groupinstall`, `reinstall`,
//! `update`, `upgrade`, `makecache`, `distro-sync`, `swap` and their aliases) and does not
//! clean up afterwards. The appended command uses the same command word (`sudo`, a path,
//! assignment prefixes kept): `RUN microdnf install -y jq` → `… -y jq && microdnf clean all`.
//!
//! **Why.** These tools keep repository metadata and downloaded packages under `/var/cache`
//! (`dnf`, `yum`, `libdnf5`, `tdnf`): often 100 MB or more in the layer, never used again.
//!
//! **When it is already satisfied.** A later `clean all` of any of these tools in the same RUN,
//! or an `rm` of the cache directories (`rm -rf /var/cache/{dnf,yum}`, `/var/cache/*`, …); a
//! cache mount on a cache directory (the cache is meant to persist).
//!
//! **Fix safety.** Safe: the same packages are installed; `clean all` deletes only caches,
//! which a later RUN fetches again when it needs them.
//!
//! **Skips** (shown with `--show-skipped`): `keepcache` turned on (by `--setopt` or an earlier
//! RUN writing it to the configuration: the cache is kept on purpose); a later RUN of the stage
//! installing from the cache only (`-C`, `--cacheonly`); `--installroot` (the
//! cache lives under the install root); every install inside `if`/`case`/loops (the tool may be
//! absent where the cleanup would run) or `$( )`; an `xargs`/`exec` wrapper; a RUN that ends
//! in the background or with `exit`/`exec` (`cannot-append`); the RULES.md §2 gates.

use crate::config::Settings;
use crate::document::Document;
use crate::fix::{Finding, Fix};
use crate::shell::Word;
use crate::shell_rules::{
    append_cleanup, cache_covered, commands_by_run, first_operand, gated_finding, has_option,
    removes_dir, scan_runs, uncleaned_trigger, Operand, RunCommand, Scope,
};

const CODE: &str = "DF140";

/// The dnf family: commands that share dnf's (or yum's) command line and caches.
pub(super) const TOOLS: &[&str] = &["dnf", "yum", "microdnf", "dnf5", "tdnf", "dnf-3"];

/// Options of the dnf family that take their value as the next word (dnf's argparse accepts
/// `--opt value` as well as `--opt=value`).
pub(super) const OPTIONS_WITH_VALUE: &[&str] = &[
    "-c",
    "--config",
    "--installroot",
    "--releasever",
    "--repo",
    "--repoid",
    "--enablerepo",
    "--disablerepo",
    "-x",
    "--exclude",
    "--excludepkgs",
    "--disableplugin",
    "--enableplugin",
    "-d",
    "--debuglevel",
    "-e",
    "--errorlevel",
    "--rpmverbosity",
    "--forcearch",
    "--setopt",
    "--downloaddir",
    "--destdir",
    "--color",
    "-R",
    "--randomwait",
    "--comment",
    "--advisory",
    "--bz",
    "--cve",
    "--sec-severity",
];

/// Cache directories of the dnf family.
const CACHE_DIRS: &[&str] = &[
    "/var/cache/dnf",
    "/var/cache/yum",
    "/var/cache/libdnf5",
    "/var/cache/tdnf",
];

/// Subcommands that fill the cache (aliases from dnf's command classes).
const FILLS_CACHE: &[&str] = &[
    "install",
    "in",
    "localinstall",
    "groupinstall",
    "groupupdate",
    "groupupgrade",
    "reinstall",
    "rei",
    "update",
    "up",
    "upgrade",
    "update-minimal",
    "upgrade-minimal",
    "localupdate",
    "makecache",
    "mc",
    "distro-sync",
    "distrosync",
    "dsync",
    "downgrade",
    "dg",
    "swap",
    "group install",
    "group update",
    "group upgrade",
    "groups install",
    "groups update",
    "groups upgrade",
];

/// A dnf-family command's subcommand: the index of its last word (where flags are inserted)
/// and its name (`group install` for two words).
pub(super) enum Subcommand {
    At(usize, String),
    /// Options from a variable come before it.
    Dynamic,
    None,
}

/// The subcommand of a dnf-family command line.
pub(super) fn subcommand(args: &[Word]) -> Subcommand {
    let i = match first_operand(args, OPTIONS_WITH_VALUE) {
        Operand::At(i) => i,
        Operand::Dynamic => return Subcommand::Dynamic,
        Operand::Missing => return Subcommand::None,
    };
    let Some(name) = args[i].as_str() else {
        return Subcommand::Dynamic;
    };
    if matches!(name, "group" | "groups") {
        if let Operand::At(j) = first_operand(&args[i + 1..], OPTIONS_WITH_VALUE) {
            if let Some(action) = args[i + 1 + j].as_str() {
                return Subcommand::At(i + 1 + j, format!("{name} {action}"));
            }
        }
    }
    Subcommand::At(i, name.to_string())
}

/// The command is one of [`TOOLS`].
pub(super) fn is_tool(run: &RunCommand) -> bool {
    run.command
        .basename()
        .is_some_and(|name| TOOLS.contains(&name))
}

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let scan = scan_runs(document, Scope::Shipped, |text| {
        TOOLS.iter().any(|tool| text.contains(tool))
    });
    let mut findings: Vec<Finding> = scan
        .gated
        .iter()
        .filter(|(instruction, _)| {
            let text = &instruction.logical.text;
            ["install", "update", "upgrade", "makecache"]
                .iter()
                .any(|word| text.contains(word))
                && !text.contains("clean all")
        })
        .map(|(instruction, reason)| {
            gated_finding(CODE, instruction, reason, "package cache left in the layer")
        })
        .collect();
    for run_commands in commands_by_run(&scan.commands) {
        findings.extend(check_run(document, run_commands));
    }
    findings
}

fn fills_cache(run: &RunCommand) -> bool {
    if !is_tool(run) {
        return false;
    }
    match subcommand(&run.command.args) {
        Subcommand::At(_, name) => FILLS_CACHE.contains(&name.as_str()),
        // `dnf $OPTS install x`: the subcommand is still there to see.
        Subcommand::Dynamic => run
            .command
            .arg_values()
            .flatten()
            .any(|value| FILLS_CACHE.contains(&value)),
        Subcommand::None => false,
    }
}

fn cleans_cache(run: &RunCommand) -> bool {
    let values: Vec<Option<&str>> = run.command.arg_values().collect();
    let clean_all = values
        .windows(2)
        .any(|pair| pair == [Some("clean"), Some("all")]);
    (is_tool(run) && clean_all) || removes_dir(run.command, CACHE_DIRS)
}

fn check_run(document: &Document, run_commands: &[RunCommand]) -> Option<Finding> {
    let last = uncleaned_trigger(run_commands, fills_cache, cleans_cache)?;
    if cache_covered(last.instruction, CACHE_DIRS) {
        return None;
    }
    let triggers: Vec<&RunCommand> = run_commands.iter().filter(|r| fills_cache(r)).collect();
    let tool = last.command.basename()?;
    let message =
        format!("`{tool}` leaves its package cache in the layer: no `{tool} clean all` after it");
    let skip = |reason, why: &str| {
        Some(Finding::skip(
            CODE,
            last.file_range(&last.command.range),
            reason,
            format!("{message}; {why}"),
        ))
    };
    if triggers.iter().any(|r| keeps_cache(&r.command.args))
        || keepcache_configured(document, last.index)
    {
        return skip("keepcache", "keepcache is on: the cache is kept on purpose");
    }
    if triggers
        .iter()
        .any(|r| has_option(&r.command.args, "--installroot"))
    {
        return skip(
            "installroot",
            "the cache lives under --installroot: clean it with the same option",
        );
    }
    if cache_read_later(document, last.index) {
        return skip(
            "cache-used-later",
            "a later RUN installs from the cache only (-C/--cacheonly)",
        );
    }
    match append_cleanup(document, &triggers, last, &last.command.name, "clean all") {
        Ok(edit) => Some(last.finding(CODE, message).with_fix(Fix::safe(vec![edit]))),
        Err((reason, why)) => skip(reason, why),
    }
}

/// A later RUN of the stage runs the dnf family from the cache alone (`-C`, `--cacheonly`):
/// cleaning the cache here would make it fail.
fn cache_read_later(document: &Document, index: usize) -> bool {
    let stage = document.instructions[index].stage;
    document.instructions[index + 1..]
        .iter()
        .take_while(|i| i.stage == stage)
        .any(|i| {
            let text = &i.logical.text;
            TOOLS.iter().any(|tool| text.contains(tool))
                && (text.contains("--cacheonly") || text.contains(" -C "))
        })
}

/// `--setopt=keepcache=1` (or `True`) on the command line.
fn keeps_cache(args: &[Word]) -> bool {
    args.iter()
        .filter_map(Word::as_str)
        .any(|value| is_keepcache_on(value.trim_start_matches("--setopt=")))
}

fn is_keepcache_on(setting: &str) -> bool {
    let setting = setting.to_ascii_lowercase().replace(' ', "");
    [
        "keepcache=1",
        "keepcache=true",
        "keepcache=yes",
        "keepcache=on",
    ]
    .iter()
    .any(|on| setting.contains(on))
}

/// An earlier RUN (stage or parents) turns `keepcache` on in yum's or dnf's configuration.
fn keepcache_configured(document: &Document, index: usize) -> bool {
    document.instructions_before(index).into_iter().any(|i| {
        let text = &document.instructions[i].logical.text;
        is_keepcache_on(text) && (text.contains("dnf.conf") || text.contains("yum.conf"))
    })
}
