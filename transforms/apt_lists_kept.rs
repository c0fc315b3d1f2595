//! DF102 `apt-lists-kept` · Safe · shipped stages · hadolint DL3009
//!
//! **What it does.** Appends `rm -rf /var/lib/apt/lists/*` to a RUN that runs `apt-get update`
//! (or `apt update`) and does not remove the package lists after its last apt/dpkg command.
//!
//! **Why.** `apt-get update` downloads the package index into `/var/lib/apt/lists`: tens of
//! megabytes that stay in the layer although the image never reads them (the next build step
//! that installs runs its own update). A later RUN's delete cannot shrink this layer.
//!
//! **When it is already satisfied.** An `rm` (any options) of `/var/lib/apt/lists/*`,
//! `/var/lib/apt/lists`, `/var/lib/apt/*`, `/var/lib/apt` or a glob of the list files
//! (`/var/lib/apt/lists/*_*`), among other paths, or `find /var/lib/apt/lists … -delete`,
//! or `apt-get distclean`, after the last apt/dpkg command; a cache mount on `/var/lib/apt`
//! or its `lists` (the lists are then not in the layer). `apt-get clean` does not count: it
//! empties `/var/cache/apt/archives`, not the lists. `apt-get clean` is never added: official
//! Debian/Ubuntu images already delete downloaded packages (`docker-clean`).
//!
//! **Fix safety.** Safe: the lists are only read by apt commands, and every later apt command
//! that reads them is checked first (see skips).
//!
//! **Skips** (shown with `--show-skipped`): a later RUN of the stage (or of a stage built on
//! it) reads the lists before another update (`lists-used-later`: an install relying on this
//! update would break); the next RUN only cleans up and removes the lists
//! (`later-cleanup-run`: merging it, DF002, is the better fix); the script ends with a
//! background job, `exit` or `exec` (`cannot-append`); the RULES.md §2 gates.

use crate::config::Settings;
use crate::document::{Document, Instruction, Keyword};
use crate::fix::{Finding, Fix};
use crate::package_caches::{cache_mount_planned, CacheManager};
use crate::shell::Command;
use crate::shell_rules::{
    append_command, apt_subcommand, cache_covered, first_operand, gated_finding, removes_path,
    scan_runs, Operand, RunCommand, Scope, APT_OPTIONS_WITH_VALUE,
};

const CODE: &str = "DF102";
const CLEANUP: &str = "rm -rf /var/lib/apt/lists/*";
const LISTS: &str = "/var/lib/apt/lists";

/// Commands that use apt's state: a lists removal must come after the last of them.
const APT_TOOLS: &[&str] = &[
    "apt-get",
    "apt",
    "apt-cache",
    "aptitude",
    "dpkg",
    "add-apt-repository",
];

/// apt subcommands that do not read the package lists.
const LIST_FREE: &[&str] = &[
    "remove",
    "purge",
    "autoremove",
    "autopurge",
    "clean",
    "autoclean",
    "distclean",
    "dist-clean",
];

pub fn check(document: &Document, settings: &Settings) -> Vec<Finding> {
    let scan = scan_runs(document, Scope::Shipped, |text| text.contains("update"));
    let mut findings: Vec<Finding> = scan
        .gated
        .iter()
        .filter(|(instruction, _)| {
            let text = &instruction.logical.text;
            (text.contains("apt-get update") || text.contains("apt update"))
                && !text.contains(LISTS)
        })
        .map(|(instruction, reason)| {
            gated_finding(CODE, instruction, reason, "apt update keeps the lists")
        })
        .collect();
    let mut runs: Vec<&[RunCommand]> = Vec::new();
    for run in scan.commands.chunk_by(|a, b| a.index == b.index) {
        runs.push(run);
    }
    for commands in runs {
        // DF160 turns this RUN's apt caches into cache mounts (RULES.md §4).
        if cache_mount_planned(document, settings, commands[0].index, CacheManager::Apt) {
            continue;
        }
        findings.extend(check_run(document, commands));
    }
    findings
}

fn check_run(document: &Document, commands: &[RunCommand]) -> Option<Finding> {
    let update = commands
        .iter()
        .rev()
        .find(|run| subcommand(run.command) == Some("update"))?;
    let last_apt = commands
        .iter()
        .rev()
        .find(|run| APT_TOOLS.contains(&run.command.basename().unwrap_or_default()))?;
    let removed = commands
        .iter()
        .filter(|run| run.command.range.start >= last_apt.command.range.start)
        .any(|run| {
            removes_path(run.command, &[LISTS])
                || matches!(subcommand(run.command), Some("distclean" | "dist-clean"))
        });
    if removed || cache_covered(update.instruction, &[LISTS]) {
        return None;
    }
    let message = format!(
        "`{} update` leaves the package lists ({LISTS}) in the layer",
        update.command.basename()?
    );
    let skip = |reason: &'static str, why: String| {
        Some(Finding::skip(
            CODE,
            update.file_range(&update.command.range),
            reason,
            format!("{message}: {why}"),
        ))
    };
    if let Some(cleanup) = later_cleanup_run(document, update.index) {
        let line = document.instructions[cleanup].logical.start_line;
        return skip(
            "later-cleanup-run",
            format!("the RUN at line {line} removes them; merge it into this RUN"),
        );
    }
    if let Some(reader) = later_reader(document, update.index) {
        let line = document.instructions[reader].logical.start_line;
        return skip(
            "lists-used-later",
            format!("the RUN at line {line} reads them (install, apt-cache …)"),
        );
    }
    match append_command(document, update.instruction, update.body, CLEANUP) {
        Ok(edit) => Some(
            update
                .finding(CODE, message)
                .with_fix(Fix::safe(vec![edit])),
        ),
        Err(reason) => skip(reason, "the script cannot be extended safely".to_string()),
    }
}

/// The literal subcommand of an apt-get/apt command.
fn subcommand(command: &Command) -> Option<&str> {
    match apt_subcommand(command)? {
        Operand::At(i) => command.args[i].value.as_deref(),
        _ => None,
    }
}

/// The next RUN of the stage, with only metadata between, when it only cleans up and removes
/// the lists: DF002 merges it into this RUN (RULES.md §4).
fn later_cleanup_run(document: &Document, index: usize) -> Option<usize> {
    let instruction = &document.instructions[index];
    let (next, run) = document.instructions[index + 1..]
        .iter()
        .enumerate()
        .map(|(offset, i)| (index + 1 + offset, i))
        .find(|(_, i)| !i.only_metadata())?;
    if run.keyword != Keyword::Run
        || run.stage != instruction.stage
        || run.flags != instruction.flags
    {
        return None;
    }
    let commands = run.editable_shell(document.text()).ok()?.script.commands();
    let cleanup_only = commands.iter().all(|command| match command.basename() {
        Some("rm") => command
            .arg_values()
            .all(|v| v.is_some_and(|v| v.starts_with('-') || v.starts_with('/'))),
        _ => matches!(subcommand(command), Some("clean" | "autoclean")),
    });
    let removes = commands.iter().any(|c| removes_path(c, &[LISTS]));
    (cleanup_only && removes).then_some(next)
}

/// The first later RUN (of this stage, then of the stages built on it) that reads the lists
/// this RUN left before refreshing them.
fn later_reader(document: &Document, index: usize) -> Option<usize> {
    let stage = document.instructions[index].stage?;
    stage_reader(document, stage, index + 1)
}

fn stage_reader(document: &Document, stage: usize, from: usize) -> Option<usize> {
    for (i, instruction) in document.stage_instructions(stage) {
        if i < from || instruction.keyword != Keyword::Run || instruction.onbuild {
            continue;
        }
        match lists_use(document, instruction) {
            ListsUse::Reads => return Some(i),
            ListsUse::Refreshes => return None,
            ListsUse::None => {}
        }
    }
    document
        .stages
        .iter()
        .filter(|child| child.parent == Some(stage))
        .find_map(|child| stage_reader(document, child.index, child.from))
}

enum ListsUse {
    Reads,
    Refreshes,
    None,
}

/// How a RUN uses the lists: its first apt command reads them, or refreshes them first.
fn lists_use(document: &Document, instruction: &Instruction) -> ListsUse {
    let Ok(body) = instruction.editable_shell(document.text()) else {
        // Unreadable: any apt tool mentioned may read the lists.
        let text = &instruction.logical.text;
        let mentions = APT_TOOLS[..3].iter().any(|tool| text.contains(tool));
        return if mentions {
            ListsUse::Reads
        } else {
            ListsUse::None
        };
    };
    for command in body.script.commands() {
        let reads = match command.basename() {
            Some("apt-cache" | "add-apt-repository") => true,
            Some(name) if name.ends_with(".sh") => true,
            Some("apt-get" | "apt" | "aptitude") => {
                match first_operand(&command.args, APT_OPTIONS_WITH_VALUE) {
                    Operand::At(i) => match command.args[i].value.as_deref() {
                        Some("update") => return ListsUse::Refreshes,
                        Some(sub) => !LIST_FREE.contains(&sub),
                        None => true,
                    },
                    Operand::Dynamic => true,
                    Operand::Missing => false,
                }
            }
            // `sh script.sh`, `bash install.sh`: a script may install packages.
            Some("sh" | "bash" | "dash") => command
                .arg_values()
                .next()
                .flatten()
                .is_some_and(|arg| arg.ends_with(".sh")),
            _ => false,
        };
        if reads {
            return ListsUse::Reads;
        }
    }
    ListsUse::None
}
