//! DF110 `apk-no-cache` · Safe · shipped stages · hadolint DL3019
//!
//! **What it does.** Adds `--no-cache` to `apk add` (also written `apk --no-cache add`). Once
//! every later apk command fetches its own index, it also deletes what became useless: an
//! `apk update && ` before `apk add --no-cache` in the same RUN, and a lone `RUN apk update`.
//!
//! **Why.** Without `--no-cache`, apk stores the repository indexes it fetches in
//! `/var/cache/apk`, and they stay in the layer. With `--no-cache` apk fetches fresh indexes
//! into memory every time, so a preceding `apk update` only adds its index to the layer.
//!
//! **When it is already satisfied.** `--no-cache` given; `--no-network` (nothing is fetched);
//! a cache mount on `/var/cache/apk` or `/etc/apk/cache` (the cache is meant to persist).
//! `rm -rf /var/cache/apk/*` and `--update`/`-U` are kept: the removal is redundant but not
//! equivalent (it also hides files earlier layers left).
//!
//! **Fix safety.** Safe: the same packages from the same repositories, fetched fresh. An
//! `apk update` is deleted only when every later apk command of the stage (and of stages built
//! on it) that reads the index has `--no-cache`, `-U` or `--no-network`, so none depends on the
//! index it wrote; the flag comes first, the deletion in the next round.
//!
//! **Skips** (shown with `--show-skipped`): `--cache-dir` given (`cache-dir`); a persistent
//! cache configured by an earlier RUN (`/etc/apk/cache` link or `setup-apkcache`:
//! `persistent-cache`); options from a variable before the subcommand; a lone update with a
//! pragma comment; the RULES.md §2 gates.

use crate::config::Settings;
use crate::document::{Document, Instruction, Keyword};
use crate::fix::{Edit, Finding, Fix};
use crate::shell::{Command, Nesting};
use crate::shell_rules::{
    cache_covered, delete_instruction, first_operand, gated_finding, has_option, has_pragma,
    scan_runs, Operand, RunCommand, Scope,
};

const CODE: &str = "DF110";
const FLAG: &str = "--no-cache";
const CACHE_DIRS: &[&str] = &["/var/cache/apk", "/etc/apk/cache"];

/// apk options that take their value as the next word.
const APK_OPTIONS_WITH_VALUE: &[&str] = &[
    "-X",
    "--repository",
    "-p",
    "--root",
    "--arch",
    "--cache-dir",
    "--keys-dir",
    "--repositories-file",
    "--progress-fd",
    "--wait",
    "--timeout",
    "--cache-max-age",
    "-t",
    "--virtual",
];

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let scan = scan_runs(document, Scope::Shipped, |text| text.contains("apk"));
    let mut findings: Vec<Finding> = scan
        .gated
        .iter()
        .filter(|(instruction, _)| {
            let text = &instruction.logical.text;
            text.contains("add") && !text.contains(FLAG)
        })
        .map(|(instruction, reason)| {
            gated_finding(CODE, instruction, reason, "apk add without --no-cache")
        })
        .collect();
    for commands in scan.commands.chunk_by(|a, b| a.index == b.index) {
        if let Some(finding) = lone_update(document, commands) {
            findings.push(finding);
            continue;
        }
        for (i, run) in commands.iter().enumerate() {
            findings.extend(check_add(document, run));
            findings.extend(redundant_update(document, commands, i));
        }
    }
    findings
}

/// The literal subcommand of an `apk` command, with its index, or why it is unknown.
fn apk_subcommand(command: &Command) -> Option<Operand> {
    (command.basename() == Some("apk"))
        .then(|| first_operand(&command.args, APK_OPTIONS_WITH_VALUE))
}

fn subcommand(command: &Command) -> Option<&str> {
    match apk_subcommand(command)? {
        Operand::At(i) => command.args[i].value.as_deref(),
        _ => None,
    }
}

/// The command fetches its own index (or none): it never reads one an `apk update` cached.
fn fetches_own_index(command: &Command) -> bool {
    ["--no-cache", "--no-network", "--update-cache", "-U"]
        .iter()
        .any(|option| has_option(&command.args, option))
}

fn check_add(document: &Document, run: &RunCommand) -> Option<Finding> {
    let command = &run.command;
    let args = &command.args;
    let add = match apk_subcommand(command)? {
        Operand::At(i) if args[i].value.as_deref() == Some("add") => i,
        Operand::Dynamic if args.iter().any(|w| w.value.as_deref() == Some("add")) => {
            return Some(skip(
                run,
                "dynamic-flags",
                "options from a variable may hold the flag",
            ));
        }
        _ => return None,
    };
    if has_option(args, FLAG)
        || has_option(args, "--no-network")
        || cache_covered(run.instruction, CACHE_DIRS)
    {
        return None;
    }
    if has_option(args, "--cache-dir") {
        return Some(skip(
            run,
            "cache-dir",
            "a cache directory is given on purpose",
        ));
    }
    if persistent_cache(document, run.index) {
        return Some(skip(
            run,
            "persistent-cache",
            "an earlier RUN sets up a persistent apk cache",
        ));
    }
    if command.nesting == Nesting::Substitution {
        return Some(skip(
            run,
            "nested-shell",
            "the command runs in a nested shell",
        ));
    }
    Some(
        run.finding(
            CODE,
            "`apk add` without `--no-cache`: the indexes stay in the layer",
        )
        .with_fix(Fix::safe(vec![
            run.insert_after(&args[add], &format!(" {FLAG}"))
        ])),
    )
}

fn skip(run: &RunCommand, reason: &'static str, message: &str) -> Finding {
    Finding::skip(CODE, run.file_range(&run.command.range), reason, message)
}

/// An earlier RUN links `/etc/apk/cache` or runs `setup-apkcache`.
fn persistent_cache(document: &Document, index: usize) -> bool {
    document.instructions_before(index).into_iter().any(|i| {
        let text = &document.instructions[i].logical.text;
        text.contains("setup-apkcache") || (text.contains("ln ") && text.contains("/etc/apk/cache"))
    })
}

/// `apk update && ` right before a command, when the next apk command is `add --no-cache`
/// and nothing after reads the index it wrote: delete it.
fn redundant_update(document: &Document, commands: &[RunCommand], i: usize) -> Option<Finding> {
    let update = &commands[i];
    if subcommand(update.command) != Some("update") || update.command.nesting != Nesting::TopLevel {
        return None;
    }
    let next = commands.get(i + 1)?;
    let script = update.body.script.text();
    if script[update.command.range.end..next.command.range.start].trim() != "&&" {
        return None;
    }
    let later_apk: Vec<&Command> = commands[i + 1..]
        .iter()
        .map(|run| run.command)
        .filter(|command| command.basename() == Some("apk"))
        .collect();
    let first = later_apk.first()?;
    if subcommand(first) != Some("add") || !has_option(&first.args, FLAG) {
        return None;
    }
    let readers_ok = later_apk.iter().all(|command| reads_own_index(command))
        && later_runs_fetch(document, update.index);
    if !readers_ok {
        return None;
    }
    let edit = Edit {
        range: update.file_range(&(update.command.range.start..next.command.range.start)),
        replacement: String::new(),
    };
    Some(
        update
            .finding(
                CODE,
                "`apk update` before `apk add --no-cache` only leaves its index in the layer",
            )
            .with_fix(Fix::safe(vec![edit]).dropping_commands(&["apk"])),
    )
}

/// The apk command does not depend on an index a previous `apk update` cached.
fn reads_own_index(command: &Command) -> bool {
    matches!(subcommand(command), Some("del" | "update")) || fetches_own_index(command)
}

/// Every apk command in the later RUNs of the stage (and the stages built on it) fetches its
/// own index.
fn later_runs_fetch(document: &Document, index: usize) -> bool {
    let Some(stage) = document.instructions[index].stage else {
        return false;
    };
    stage_fetches(document, stage, index + 1)
}

fn stage_fetches(document: &Document, stage: usize, from: usize) -> bool {
    let own = document
        .stage_instructions(stage)
        .filter(|(i, instruction)| *i >= from && instruction.keyword == Keyword::Run)
        .all(|(_, instruction)| run_fetches(document, instruction));
    own && document
        .stages
        .iter()
        .filter(|child| child.parent == Some(stage))
        .all(|child| stage_fetches(document, child.index, child.from))
}

fn run_fetches(document: &Document, instruction: &Instruction) -> bool {
    match instruction.editable_shell(document.text()) {
        Ok(body) => body
            .script
            .commands()
            .iter()
            .filter(|command| command.basename() == Some("apk") || command.name.value.is_none())
            .all(|command| command.name.value.is_some() && reads_own_index(command)),
        Err(_) => !instruction.logical.text.contains("apk"),
    }
}

/// A RUN that is only `apk update`, deleted when every later apk command fetches its own
/// index and at least one installs.
fn lone_update(document: &Document, commands: &[RunCommand]) -> Option<Finding> {
    let [run] = commands else {
        return None;
    };
    let command = &run.command;
    if subcommand(command) != Some("update") || command.nesting != Nesting::TopLevel {
        return None;
    }
    let stage = run.instruction.stage;
    let installs_later = document.instructions[run.index + 1..]
        .iter()
        .take_while(|i| i.stage == stage)
        .any(|i| i.keyword == Keyword::Run && i.logical.text.contains("apk add"));
    if !installs_later || !later_runs_fetch(document, run.index) {
        return None;
    }
    let range = run.instruction.logical.range.clone();
    if has_pragma(document.text(), run.instruction) {
        return Some(Finding::skip(
            CODE,
            range,
            "pragma-scope",
            "a lone `apk update` RUN: its pragma comment would apply to another instruction",
        ));
    }
    let fix = Fix::safe(vec![delete_instruction(document, run.instruction)])
        .removing_instructions(1)
        .dropping_commands(&["apk"]);
    Some(
        Finding::new(
            CODE,
            range,
            "a lone `apk update` RUN: every later `apk add` fetches its own index",
        )
        .with_fix(fix),
    )
}
