//! DF103 `apt-no-assume-yes` · Safe · all stages · hadolint DL3014
//!
//! **What it does.** Adds `-y` to `apt-get` / `apt` `install`, `remove`, `purge`, `autoremove`,
//! `upgrade`, `dist-upgrade` and `full-upgrade`.
//!
//! **Why.** A build has no terminal: when apt asks "Do you want to continue?" it reads the
//! closed stdin and aborts. The RUN builds today only because apt had nothing to confirm; the
//! next dependency change breaks it.
//!
//! **When it is already satisfied.** `-y`, `--yes`, `--assume-yes` (also in a cluster such as
//! `-qy`), quiet level 2 (`-qq`, `-q -q`, `-q=2`, `--quiet=2`, `-o quiet=2`: apt-get's manual
//! says it implies `-y`), `-o APT::Get::Assume-Yes=true` in any spelling, an earlier RUN
//! writing `APT::Get::Assume-Yes` to apt's configuration, `APT_CONFIG` set, or a `yes |`
//! pipe. `--force-yes` does not answer the prompt.
//!
//! **Fix safety.** Safe: `-y` only answers the prompt that would otherwise abort the build;
//! it does not allow removing essential or held packages.
//!
//! **Skips** (shown with `--show-skipped`): options from a variable before the subcommand,
//! commands inside `$( )`/`eval`, and the RULES.md §2 gates (exec-form, ONBUILD, opaque,
//! non-POSIX, heredoc that is not the script, shell syntax errors).

use crate::config::Settings;
use crate::document::Document;
use crate::fix::{Finding, Fix};
use crate::shell::{Nesting, Word};
use crate::shell_rules::{
    apt_bool, apt_settings, apt_subcommand, gated_finding, scan_runs, Operand, RunCommand, Scope,
};

const CODE: &str = "DF103";

/// Subcommands that may ask for confirmation.
const PROMPTING: &[&str] = &[
    "install",
    "remove",
    "purge",
    "autoremove",
    "upgrade",
    "dist-upgrade",
    "full-upgrade",
];

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let scan = scan_runs(document, Scope::All, |text| text.contains("apt"));
    let mut findings: Vec<Finding> = scan
        .gated
        .iter()
        .filter(|(instruction, _)| mentions_prompting(&instruction.logical.text))
        .map(|(instruction, reason)| {
            gated_finding(CODE, instruction, reason, "apt command without -y")
        })
        .collect();
    for run in &scan.commands {
        findings.extend(check_command(document, run));
    }
    findings
}

/// Cheap text test for skip reports: an apt command that may prompt, without any yes option.
fn mentions_prompting(text: &str) -> bool {
    text.contains("apt")
        && PROMPTING.iter().any(|sub| text.contains(sub))
        && !text.contains("-y")
        && !text.contains("-qq")
        && !text.contains("yes")
}

fn check_command(document: &Document, run: &RunCommand) -> Option<Finding> {
    let command = &run.command;
    let args = &command.args;
    let sub = match apt_subcommand(command)? {
        Operand::At(i) if PROMPTING.contains(&args[i].value.as_deref()?) => i,
        Operand::Dynamic
            if args
                .iter()
                .any(|w| PROMPTING.contains(&w.value.as_deref().unwrap_or_default())) =>
        {
            return Some(skip(
                run,
                "dynamic-flags",
                "options from a variable may hold -y",
            ));
        }
        _ => return None,
    };
    if assumes_yes(args) || configured_elsewhere(document, run.index) || piped_from_yes(run) {
        return None;
    }
    if command.nesting == Nesting::Substitution {
        return Some(skip(
            run,
            "nested-shell",
            "the command runs in a nested shell",
        ));
    }
    let message = format!(
        "`{} {}` without `-y`: the build aborts when apt asks for confirmation",
        command.basename()?,
        args[sub].value.as_deref()?
    );
    Some(
        run.finding(CODE, message)
            .with_fix(Fix::safe(vec![run.insert_after(&args[sub], " -y")])),
    )
}

fn skip(run: &RunCommand, reason: &'static str, message: &str) -> Finding {
    Finding::skip(CODE, run.file_range(&run.command.range), reason, message)
}

/// The command line answers yes: `-y` in any spelling, or quiet level 2 or more.
fn assumes_yes(args: &[Word]) -> bool {
    let values: Vec<&str> = args.iter().filter_map(|w| w.value.as_deref()).collect();
    let mut quiet = 0;
    let mut skip_value = false;
    for value in &values {
        if std::mem::take(&mut skip_value) {
            continue;
        }
        match *value {
            "-y" | "--yes" | "--assume-yes" => return true,
            "-q" | "--quiet" => quiet += 1,
            "-o" | "--option" | "-c" | "--config-file" | "-t" | "--target-release"
            | "--default-release" => skip_value = true,
            other => {
                if let Some((name, level)) = other.split_once('=') {
                    match name {
                        "--yes" | "--assume-yes" if apt_bool(level) == Some(true) => return true,
                        "-q" | "--quiet" => quiet = level.parse().unwrap_or(quiet),
                        _ => {}
                    }
                } else if let Some(cluster) = short_cluster(other) {
                    if cluster.contains('y') {
                        return true;
                    }
                    quiet += cluster.matches('q').count();
                }
            }
        }
    }
    for (name, value) in apt_settings(args) {
        match name.as_str() {
            "apt::get::assume-yes" if apt_bool(&value) == Some(true) => return true,
            "quiet" => quiet = value.parse().unwrap_or(quiet),
            _ => {}
        }
    }
    quiet >= 2
}

/// The letters of a cluster of boolean short options (`-qqy`), not an option with an attached
/// value (`-oFoo=1`, `-tbookworm`, `-cFILE`).
fn short_cluster(word: &str) -> Option<&str> {
    let letters = word.strip_prefix('-')?;
    let plain = !letters.starts_with('-')
        && !letters.starts_with(['o', 'c', 't'])
        && !letters.is_empty()
        && letters.bytes().all(|b| b.is_ascii_alphabetic());
    plain.then_some(letters)
}

/// An earlier RUN of the stage or its parents configures Assume-Yes, or `APT_CONFIG` points apt
/// at a configuration we cannot read.
fn configured_elsewhere(document: &Document, index: usize) -> bool {
    if document.env_value(index, "APT_CONFIG").is_some() {
        return true;
    }
    document.instructions_before(index).into_iter().any(|i| {
        let text = document.instructions[i].logical.text.to_ascii_lowercase();
        text.contains("apt::get::assume-yes") && text.contains("/etc/apt/apt.conf")
    })
}

/// The command's stdin is a `yes` pipe: `yes | apt-get install x`.
fn piped_from_yes(run: &RunCommand) -> bool {
    let script = &run.body.script;
    let start = run.command.range.start;
    script.commands().iter().any(|other| {
        other.in_pipeline
            && other.name.value.as_deref() == Some("yes")
            && other.range.end <= start
            && matches!(script.text()[other.range.end..start].trim(), "|" | "|&")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(values: &[&str]) -> Vec<Word> {
        values
            .iter()
            .map(|value| Word {
                range: 0..0,
                value: Some(value.to_string()),
            })
            .collect()
    }

    #[test]
    fn every_spelling_of_yes_counts() {
        for args in [
            &["install", "-y", "x"][..],
            &["--yes", "install", "x"],
            &["install", "--assume-yes", "x"],
            &["-qy", "install", "x"],
            &["-qq", "install", "x"],
            &["-q", "-q", "install", "x"],
            &["-q=2", "install", "x"],
            &["--quiet=3", "install", "x"],
            &["-o", "quiet=2", "install", "x"],
            &["-o", "APT::Get::Assume-Yes=true", "install", "x"],
            &["-oAPT::Get::Assume-Yes=1", "install", "x"],
            &["--option=apt::get::assume-yes=on", "install", "x"],
        ] {
            assert!(assumes_yes(&words(args)), "{args:?}");
        }
        for args in [
            &["install", "x"][..],
            &["-q", "install", "x"],
            &["--force-yes", "install", "x"],
            &["-o", "APT::Get::Assume-Yes=false", "install", "x"],
            &["-t", "y", "install", "x"],
            &["-tyq", "install", "x"],
        ] {
            assert!(!assumes_yes(&words(args)), "{args:?}");
        }
    }
}
