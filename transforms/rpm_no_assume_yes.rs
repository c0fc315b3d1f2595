//! DF143 `rpm-no-assume-yes` · Safe · all stages · hadolint DL3030, DL3038, DL3034
//!
//! **What it does.** Adds ` -y` right after the subcommand of `yum`, `dnf`, `dnf5` and `tdnf`
//! commands that change packages (`install`, `remove`, `update`, `upgrade`, `groupinstall`,
//! `reinstall`, `downgrade`, `distro-sync`, `swap`, `autoremove` and their aliases) and of
//! `zypper install|remove|update|patch|dist-upgrade` (and their short forms): `yum install git`
//! → `yum install -y git`.
//!
//! **Why.** Without it the tool asks for confirmation. A build has no terminal: the question
//! reads end-of-file and the command aborts. It builds today only when there was nothing to
//! confirm; the next dependency change breaks it.
//!
//! **When it is already satisfied.** `-y`, `--assumeyes` (or a cluster such as `-qy`),
//! `--assumeno` (an explicit answer), `--setopt=assumeyes=1`, an earlier RUN writing
//! `assumeyes` to yum's or dnf's configuration, a pipe from `yes`/`echo`/`printf`; for zypper
//! the global `-n`/`--non-interactive` before the subcommand or the subcommand's `-y`/
//! `--no-confirm`. `microdnf` never asks: not flagged.
//!
//! **Fix safety.** Safe: the answer the build needs is given; nothing else changes.
//!
//! **Skips** (shown with `--show-skipped`): options from a variable before the subcommand (they
//! may hold `-y`); commands inside `$( )`/`eval`; the RULES.md §2 gates.

use super::dnf_yum_clean_all::{subcommand, Subcommand};
use super::zypper_clean::OPTIONS_WITH_VALUE as ZYPPER_OPTIONS_WITH_VALUE;
use crate::config::Settings;
use crate::document::Document;
use crate::fix::{Finding, Fix};
use crate::shell::{Nesting, Word};
use crate::shell_rules::{
    commands_by_run, first_operand, gated_finding, has_abbreviated_option, has_option, scan_runs,
    Operand, RunCommand, Scope,
};

const CODE: &str = "DF143";

/// The dnf family members that ask for confirmation (microdnf never does).
const ASKING_TOOLS: &[&str] = &["dnf", "yum", "dnf5", "tdnf", "dnf-3"];

/// dnf/yum subcommands that ask for confirmation (aliases from dnf's command classes).
const DNF_ASKS: &[&str] = &[
    "install",
    "in",
    "localinstall",
    "groupinstall",
    "groupupdate",
    "groupupgrade",
    "groupremove",
    "reinstall",
    "rei",
    "remove",
    "erase",
    "rm",
    "autoremove",
    "update",
    "up",
    "upgrade",
    "update-minimal",
    "upgrade-minimal",
    "localupdate",
    "distro-sync",
    "distrosync",
    "dsync",
    "downgrade",
    "dg",
    "swap",
    "group install",
    "group update",
    "group upgrade",
    "group remove",
    "groups install",
    "groups remove",
];

/// zypper subcommands that ask for confirmation.
const ZYPPER_ASKS: &[&str] = &[
    "install",
    "in",
    "remove",
    "rm",
    "update",
    "up",
    "patch",
    "dist-upgrade",
    "dup",
];

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let scan = scan_runs(document, Scope::All, |text| {
        ASKING_TOOLS.iter().any(|tool| text.contains(tool)) || text.contains("zypper")
    });
    let mut findings: Vec<Finding> = scan
        .gated
        .iter()
        .filter(|(instruction, _)| {
            let text = &instruction.logical.text;
            !text.contains("-y") && !text.contains("--assumeyes") && !text.contains("-n ")
        })
        .map(|(instruction, reason)| {
            gated_finding(
                CODE,
                instruction,
                reason,
                "package manager may ask to confirm",
            )
        })
        .collect();
    for run_commands in commands_by_run(&scan.commands) {
        for run in run_commands {
            findings.extend(check_command(document, run, run_commands));
        }
    }
    findings
}

fn check_command(
    document: &Document,
    run: &RunCommand,
    run_commands: &[RunCommand],
) -> Option<Finding> {
    let tool = run.command.basename()?;
    let args = &run.command.args;
    let at = if ASKING_TOOLS.contains(&tool) {
        let at = match subcommand(args) {
            Subcommand::At(i, name) if DNF_ASKS.contains(&name.as_str()) => i,
            Subcommand::Dynamic if mentions(args, DNF_ASKS) => return Some(dynamic(run)),
            _ => return None,
        };
        if dnf_answers(args) || configured(document, run.index) {
            return None;
        }
        at
    } else if tool == "zypper" {
        let at = match first_operand(args, ZYPPER_OPTIONS_WITH_VALUE) {
            Operand::At(i) if mentions(&args[i..=i], ZYPPER_ASKS) => i,
            Operand::Dynamic if mentions(args, ZYPPER_ASKS) => return Some(dynamic(run)),
            _ => return None,
        };
        if zypper_answers(&args[..at], &args[at + 1..]) {
            return None;
        }
        at
    } else {
        return None;
    };
    if fed_by_pipe(run, run_commands) {
        return None;
    }
    if run.command.nesting == Nesting::Substitution {
        return Some(skip(
            run,
            "nested-shell",
            "the command runs in a nested shell",
        ));
    }
    let subcommand = args[at].as_str()?;
    let fix = Fix::safe(vec![run.insert_after(&args[at], " -y")]);
    Some(
        run.finding(
            CODE,
            format!(
                "`{tool} {subcommand}` without `-y`: it aborts when it has something to confirm"
            ),
        )
        .with_fix(fix),
    )
}

fn mentions(args: &[Word], subcommands: &[&str]) -> bool {
    args.iter()
        .filter_map(Word::as_str)
        .any(|value| subcommands.contains(&value))
}

fn dynamic(run: &RunCommand) -> Finding {
    skip(run, "dynamic-flags", "options from a variable may hold -y")
}

fn skip(run: &RunCommand, reason: &'static str, message: &str) -> Finding {
    Finding::skip(CODE, run.file_range(&run.command.range), reason, message)
}

/// dnf/yum: `-y`, `--assumeyes` (argparse/optparse accept `--assumey`), `--assumeno`, a short
/// cluster with `y` before any letter that takes a value, `--setopt=assumeyes=1`.
fn dnf_answers(args: &[Word]) -> bool {
    let cluster_has_y = |value: &str| {
        value.strip_prefix('-').is_some_and(|letters| {
            !letters.starts_with('-')
                && letters
                    .chars()
                    .take_while(|c| !"cdexR".contains(*c))
                    .any(|c| c == 'y')
        })
    };
    has_abbreviated_option(args, "--assumeyes", "--assumey".len())
        || has_abbreviated_option(args, "--assumeno", "--assumen".len())
        || args
            .iter()
            .filter_map(Word::as_str)
            .any(|value| cluster_has_y(value) || value.to_ascii_lowercase().contains("assumeyes="))
}

/// zypper: global `-n`/`--non-interactive` (or a cluster with `n`) before the subcommand, or
/// the subcommand's own `-y`/`--no-confirm`.
fn zypper_answers(global: &[Word], own: &[Word]) -> bool {
    let global_n = global.iter().filter_map(Word::as_str).any(|value| {
        value == "--non-interactive"
            || value
                .strip_prefix('-')
                .is_some_and(|letters| !letters.starts_with('-') && letters.contains('n'))
    });
    global_n || has_option(own, "-y") || has_option(own, "--no-confirm")
}

/// An earlier RUN (stage or parents) writes `assumeyes` into yum's or dnf's configuration.
fn configured(document: &Document, index: usize) -> bool {
    document.instructions_before(index).into_iter().any(|i| {
        let text = &document.instructions[i].logical.text;
        text.contains("assumeyes") && (text.contains("yum.conf") || text.contains("dnf.conf"))
    })
}

/// The command reads its answers from a pipe: `yes | yum install x`, `echo y | …`.
fn fed_by_pipe(run: &RunCommand, run_commands: &[RunCommand]) -> bool {
    run.command.in_pipeline
        && run_commands.iter().any(|other| {
            other.command.in_pipeline
                && other.command.range.end <= run.command.range.start
                && matches!(other.command.basename(), Some("yes" | "echo" | "printf"))
        })
}
