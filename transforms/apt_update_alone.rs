//! DF100 `apt-update-alone` · Safe · all stages · no hadolint rule
//!
//! **What it does.** Deletes a RUN that only runs `apt-get update` (or `apt update`) and puts
//! the update, followed by ` && `, right before the first apt command of the next RUN of the
//! stage that uses the lists (`install`, `upgrade`, `source`, `build-dep`, `apt-cache`,
//! `add-apt-repository` …). If that RUN's apt commands already start with an update, the lone
//! RUN is only deleted.
//!
//! **Why.** A lone update is its own layer: the lists stay in it whatever later RUNs delete,
//! and the build cache reuses it forever, so a later change to the install RUN installs from
//! stale lists (or fails on packages the mirror no longer has).
//!
//! **Fix safety.** Safe: the same update runs before the same install, as the same user, with
//! the same sources. The comments above the deleted RUN stay where they are.
//!
//! **Skips** (shown with `--show-skipped`): between the two RUNs apt's sources or
//! configuration change (a RUN writing `/etc/apt`, `add-apt-repository`, `apt-key`, COPY/ADD
//! into `/etc/apt`, ENV/ARG `APT_CONFIG` or a proxy: `sources-changed`); a USER instruction
//! (the update needs root: `user-changed`); a RUN between that runs a script or cannot be read
//! (it may install from the lists: `lists-used-between`); the RUNs have different flags
//! (`--mount`, `--network`: `different-flags`); the lone RUN carries a pragma comment
//! (`pragma-scope`); the target RUN cannot be edited or its first apt command is not at the
//! start of an `&&` chain (a failing update would be ignored: `target-not-editable`); the
//! target already updates and the lone update has other options (`different-update`).

use crate::config::Settings;
use crate::document::{Document, Instruction, Keyword, ShellBody};
use crate::fix::{Edit, Finding, Fix};
use crate::shell::{Command, Nesting};
use crate::shell_rules::{
    delete_instruction, first_operand, has_pragma, Operand, APT_OPTIONS_WITH_VALUE,
};

const CODE: &str = "DF100";

/// apt subcommands that read the lists (the update must come before them).
const USES_LISTS: &[&str] = &[
    "install",
    "upgrade",
    "dist-upgrade",
    "full-upgrade",
    "source",
    "build-dep",
    "download",
    "satisfy",
    "reinstall",
];

/// Options of a lone update that only change its output.
const OUTPUT_ONLY: &[&str] = &["-q", "-qq", "-y", "--quiet", "--yes", "--assume-yes", "-qy"];

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let text = document.text();
    let mut findings = Vec::new();
    for (index, lone) in document.instructions.iter().enumerate() {
        if lone.keyword != Keyword::Run || !lone.logical.text.contains("update") {
            continue;
        }
        let Ok(body) = lone.editable_shell(text) else {
            continue;
        };
        let Some(update) = lone_update(body) else {
            continue;
        };
        let range = lone.logical.range.clone();
        let skip = |reason: &'static str, why: &str| {
            Some(Finding::skip(
                CODE,
                range.clone(),
                reason,
                format!("a lone `apt-get update` RUN: {why}"),
            ))
        };
        let finding = match find_target(document, index) {
            Target::None => None,
            Target::Blocked(reason, why) => skip(reason, &why),
            _ if has_pragma(text, lone) => skip(
                "pragma-scope",
                "its pragma comment would apply to another instruction",
            ),
            Target::Updated(target) if !output_only(update) => skip(
                "different-update",
                &format!(
                    "the RUN at line {} updates without this update's options",
                    document.instructions[target].logical.start_line
                ),
            ),
            Target::Updated(target) => Some(fix_finding(document, lone, target, Vec::new())),
            Target::Run(target, position) => {
                let target_instruction = &document.instructions[target];
                if target_instruction.flags != lone.flags {
                    skip(
                        "different-flags",
                        "the next apt RUN has other flags (mounts, network)",
                    )
                } else {
                    let command = &body.script.text()[update.range.clone()];
                    let insertion = Edit::insert(position, format!("{command} && "));
                    Some(fix_finding(document, lone, target, vec![insertion]))
                }
            }
        };
        findings.extend(finding);
    }
    findings
}

fn fix_finding(
    document: &Document,
    lone: &Instruction,
    target: usize,
    mut edits: Vec<Edit>,
) -> Finding {
    let line = document.instructions[target].logical.start_line;
    let only_delete = edits.is_empty();
    let message = if only_delete {
        format!("a lone `apt-get update` RUN: the RUN at line {line} updates again, delete it")
    } else {
        format!("a lone `apt-get update` RUN: update in the RUN at line {line} that uses the lists")
    };
    edits.push(delete_instruction(document, lone));
    let mut fix = Fix::safe(edits).removing_instructions(1);
    if only_delete {
        // The later RUN runs the same update: the deleted one was redundant.
        fix = fix.dropping_commands(&["apt-get", "apt"]);
    }
    Finding::new(CODE, lone.logical.range.clone(), message).with_fix(fix)
}

/// The script is exactly one top-level `apt-get|apt update` (options, env prefixes and
/// redirections allowed).
fn lone_update(body: &ShellBody) -> Option<&Command> {
    let script = &body.script;
    let [command] = <&[Command; 1]>::try_from(script.commands()).ok()?;
    let tail = script.tail()?;
    let is_update = command.nesting == Nesting::TopLevel
        && !command.in_pipeline
        && tail.terminator != Some('&')
        && subcommand(command) == Some("update");
    is_update.then_some(command)
}

fn output_only(update: &Command) -> bool {
    update
        .arg_values()
        .all(|v| v == Some("update") || v.is_some_and(|v| OUTPUT_ONLY.contains(&v)))
}

/// The literal subcommand of an apt-get/apt/aptitude command.
fn subcommand(command: &Command) -> Option<&str> {
    if !matches!(command.basename(), Some("apt-get" | "apt" | "aptitude")) {
        return None;
    }
    match first_operand(&command.args, APT_OPTIONS_WITH_VALUE) {
        Operand::At(i) => command.args[i].value.as_deref(),
        _ => None,
    }
}

enum Target {
    /// No later RUN of the stage uses apt: nothing to do.
    None,
    /// The update goes before this file offset, in this RUN.
    Run(usize, usize),
    /// This RUN refreshes the lists before using them: the lone RUN is redundant.
    Updated(usize),
    Blocked(&'static str, String),
}

/// How a RUN between the two (or the target) touches apt.
enum AptUse {
    None,
    /// First apt command updates.
    Updates,
    /// First apt command that reads the lists, at this script offset.
    Reads(usize, Command),
    /// Changes sources or configuration before reading.
    ChangesSources,
    /// Runs something that may use the lists.
    Unknown,
}

fn find_target(document: &Document, index: usize) -> Target {
    let stage = document.instructions[index].stage;
    let later = document.instructions[index + 1..]
        .iter()
        .enumerate()
        .map(|(offset, i)| (index + 1 + offset, i))
        .take_while(|(_, i)| i.stage == stage);
    for (i, instruction) in later {
        if instruction.onbuild {
            continue;
        }
        let line = instruction.logical.start_line;
        let blocked = |reason, what: &str| Target::Blocked(reason, format!("{what} (line {line})"));
        match instruction.keyword {
            Keyword::User => return blocked("user-changed", "USER changes the user"),
            Keyword::Copy | Keyword::Add if copies_into_apt(instruction) => {
                return blocked("sources-changed", "a copy into /etc/apt");
            }
            Keyword::Env | Keyword::Arg if sets_apt_environment(instruction) => {
                return blocked("sources-changed", "APT_CONFIG or a proxy is set");
            }
            Keyword::Run => match apt_use(document, instruction) {
                AptUse::None => {}
                AptUse::Updates => return Target::Updated(i),
                AptUse::ChangesSources => {
                    return blocked("sources-changed", "apt's sources or configuration change")
                }
                AptUse::Unknown => {
                    return blocked("lists-used-between", "a RUN that may use the lists")
                }
                AptUse::Reads(position, command) => {
                    return insertion_point(document, instruction, position, &command).map_or_else(
                        |why| blocked("target-not-editable", &why),
                        |position| Target::Run(i, position),
                    );
                }
            },
            _ => {}
        }
    }
    Target::None
}

/// The file offset where `update && ` goes before `command`, if it hides no failure there.
fn insertion_point(
    document: &Document,
    instruction: &Instruction,
    position: usize,
    command: &Command,
) -> Result<usize, String> {
    let body = instruction
        .editable_shell(document.text())
        .map_err(|reason| format!("the RUN that installs is not editable ({reason})"))?;
    let script = body.script.text();
    if command.nesting != Nesting::TopLevel || command.in_pipeline {
        return Err("the install is nested or piped in the RUN that installs".to_string());
    }
    let before = script[..position].trim_end();
    let after = &script[command.range.end..];
    let chained = (before.is_empty() || before.ends_with("&&"))
        && !after.contains([';', '\n'])
        && !after.contains("||");
    if chained || body.script.errexit_before(position) {
        Ok(instruction.script_to_file(body, position))
    } else {
        Err("the install is not in an `&&` chain: a failed update would be ignored".to_string())
    }
}

fn apt_use(document: &Document, instruction: &Instruction) -> AptUse {
    let Ok(body) = instruction.editable_shell(document.text()) else {
        let text = &instruction.logical.text;
        return if text.contains("apt") || text.contains(".sh") {
            AptUse::Unknown
        } else {
            AptUse::None
        };
    };
    for command in body.script.commands() {
        let name = command.basename().unwrap_or_default();
        let text = &body.script.text()[command.range.clone()];
        if name == "apt-key" || text.contains("/etc/apt") {
            return AptUse::ChangesSources;
        }
        if name == "apt-cache" || name == "add-apt-repository" {
            return AptUse::Reads(command.range.start, command.clone());
        }
        if name.ends_with(".sh")
            || (matches!(name, "sh" | "bash" | "dash")
                && command
                    .arg_values()
                    .next()
                    .flatten()
                    .is_some_and(|arg| arg.ends_with(".sh")))
        {
            return AptUse::Unknown;
        }
        if command.name.value.is_none() {
            return AptUse::Unknown;
        }
        if !matches!(name, "apt-get" | "apt" | "aptitude") {
            continue;
        }
        match first_operand(&command.args, APT_OPTIONS_WITH_VALUE) {
            Operand::At(i) => match command.args[i].value.as_deref() {
                Some("update") => return AptUse::Updates,
                Some(sub) if USES_LISTS.contains(&sub) => {
                    return AptUse::Reads(command.range.start, command.clone())
                }
                _ => {}
            },
            Operand::Dynamic => return AptUse::Unknown,
            Operand::Missing => {}
        }
    }
    AptUse::None
}

fn copies_into_apt(instruction: &Instruction) -> bool {
    instruction
        .args()
        .split_ascii_whitespace()
        .last()
        .is_some_and(|dest| dest.trim_matches(['"', '[', ']']).starts_with("/etc/apt"))
}

fn sets_apt_environment(instruction: &Instruction) -> bool {
    let args = instruction.args().to_ascii_lowercase();
    args.contains("apt_config") || args.contains("_proxy")
}
