//! DF122 `poetry-pipenv-cache` · Safe (Poetry, version known) / DisplayOnly · shipped stages · no hadolint rule
//!
//! **What it does.** Adds `--no-cache` right after `poetry install|add|update|sync` when Poetry
//! is known to be 1.2.1 or later: pinned by `pip install poetry==X`, `pipx install poetry==X` or
//! `POETRY_VERSION=X` (the official installer reads it) earlier in the stage, its parents or the
//! RUN. With `pip install poetry==1.8.3` earlier, `poetry install --no-root` → `poetry install
//! --no-cache --no-root`. For an unknown or older Poetry, and for `pipenv install|sync`, it only
//! advises.
//!
//! **Why.** Poetry and Pipenv keep every downloaded distribution in `~/.cache/pypoetry` /
//! `~/.cache/pipenv` (and pip's cache): dead weight in the layer.
//!
//! **When it is already satisfied.** `--no-cache` given; a cache mount on `~/.cache/pypoetry`
//! or `$POETRY_CACHE_DIR` (Pipenv: `~/.cache/pipenv`, `$PIPENV_CACHE_DIR`, `~/.cache`); for
//! Pipenv `PIP_NO_CACHE_DIR` set or a later `pipenv --clear` in the RUN.
//!
//! **Fix safety.** Safe: the same packages are installed. The global `--no-cache` exists since
//! Poetry 1.2 and `install` honours it since 1.2.1 (Poetry changelog); on older versions the
//! option is an error, so without a known version nothing is edited. dockfix never deletes
//! `$POETRY_CACHE_DIR`: Poetry's virtualenvs live under it by default.
//!
//! **Skips** (shown with `--show-skipped`): options from a variable before the subcommand;
//! `$( )`/`eval`; the RULES.md §2 gates.

use crate::config::Settings;
use crate::document::{Document, EnvValue};
use crate::fix::{Finding, Fix};
use crate::shell::{Nesting, Word};
use crate::shell_rules::{
    cache_covered, commands_by_run, environment, first_operand, gated_finding, has_option,
    scan_runs, Operand, RunCommand, Scope,
};

const CODE: &str = "DF122";

/// Poetry's global options that take their value as the next word.
const OPTIONS_WITH_VALUE: &[&str] = &["-C", "--directory", "-P", "--project"];

/// The first Poetry whose `install` honours `--no-cache`.
const FIRST_WITH_NO_CACHE: (u32, u32, u32) = (1, 2, 1);

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let scan = scan_runs(document, Scope::Shipped, |text| {
        text.contains("poetry") || text.contains("pipenv")
    });
    let mut findings: Vec<Finding> = scan
        .gated
        .iter()
        .filter(|(instruction, _)| {
            let text = &instruction.logical.text;
            (text.contains("poetry install") || text.contains("pipenv install"))
                && !text.contains("--no-cache")
        })
        .map(|(instruction, reason)| {
            gated_finding(
                CODE,
                instruction,
                reason,
                "Poetry/Pipenv cache left in the layer",
            )
        })
        .collect();
    for run_commands in commands_by_run(&scan.commands) {
        for run in run_commands {
            findings.extend(match run.command.basename() {
                Some("poetry") => check_poetry(document, run, run_commands),
                Some("pipenv") => check_pipenv(document, run, run_commands),
                _ => None,
            });
        }
    }
    findings
}

fn skip(run: &RunCommand, reason: &'static str, message: &str) -> Finding {
    Finding::skip(CODE, run.file_range(&run.command.range), reason, message)
}

/// Literal values of variables in scope, as cache directories (`suffix` appended).
fn env_dir(document: &Document, run: &RunCommand, name: &str, suffix: &str) -> Option<String> {
    match environment(document, run, name) {
        Some(EnvValue::Literal(value)) if !value.is_empty() => Some(format!("{value}{suffix}")),
        _ => None,
    }
}

fn check_poetry(
    document: &Document,
    run: &RunCommand,
    run_commands: &[RunCommand],
) -> Option<Finding> {
    let args = &run.command.args;
    let is_target =
        |word: &Word| matches!(word.as_str(), Some("install" | "add" | "update" | "sync"));
    let at = match first_operand(args, OPTIONS_WITH_VALUE) {
        Operand::At(i) if is_target(&args[i]) => i,
        Operand::Dynamic if args.iter().any(is_target) => {
            return Some(skip(
                run,
                "dynamic-flags",
                "options from a variable may hold --no-cache",
            ));
        }
        _ => return None,
    };
    if has_option(args, "--no-cache") {
        return None;
    }
    let mut dirs = vec![".cache/pypoetry".to_string()];
    dirs.extend(env_dir(document, run, "POETRY_CACHE_DIR", ""));
    if cache_covered(
        run.instruction,
        &dirs.iter().map(String::as_str).collect::<Vec<_>>(),
    ) {
        return None;
    }
    let subcommand = args[at].as_str()?;
    let message =
        format!("`poetry {subcommand}` keeps downloaded distributions in its cache in the layer");
    match poetry_version(document, run, run_commands) {
        Some(version) if version >= FIRST_WITH_NO_CACHE => {}
        Some((major, minor, patch)) => {
            return Some(run.finding(
                CODE,
                format!("{message}: Poetry {major}.{minor}.{patch} has no working `--no-cache` (1.2.1+); upgrade or use a cache mount"),
            ));
        }
        None => {
            return Some(run.finding(
                CODE,
                format!("{message}: pin Poetry ≥ 1.2.1 (`pip install poetry==X`) to let dockfix add `--no-cache`, or use a cache mount"),
            ));
        }
    }
    if run.command.nesting == Nesting::Substitution {
        return Some(skip(
            run,
            "nested-shell",
            "the command runs in a nested shell",
        ));
    }
    let fix = Fix::safe(vec![run.insert_after(&args[at], " --no-cache")]);
    Some(
        run.finding(CODE, format!("{message}: add `--no-cache`"))
            .with_fix(fix),
    )
}

/// The Poetry version pinned before `run`: `poetry==X` in an earlier RUN of the stage or its
/// parents or earlier in this RUN, else `POETRY_VERSION` as the command sees it.
fn poetry_version(
    document: &Document,
    run: &RunCommand,
    run_commands: &[RunCommand],
) -> Option<(u32, u32, u32)> {
    let pinned = |word: &str| {
        let word = word.trim_matches(['"', '\'']);
        word.strip_prefix("poetry==").and_then(parse_version)
    };
    let here = run_commands
        .iter()
        .filter(|other| other.command.range.end <= run.command.range.start)
        .rev()
        .find_map(|other| other.command.arg_values().flatten().find_map(pinned));
    let earlier = || {
        document
            .instructions_before(run.index)
            .into_iter()
            .find_map(|i| {
                document.instructions[i]
                    .logical
                    .text
                    .split_ascii_whitespace()
                    .find_map(pinned)
            })
    };
    let from_env = || match environment(document, run, "POETRY_VERSION") {
        Some(EnvValue::Literal(value)) => parse_version(&value),
        _ => None,
    };
    here.or_else(earlier).or_else(from_env)
}

/// `1.8.3` → (1, 8, 3); `1.2` → (1, 2, 0); wildcards and ranges are not a known version.
fn parse_version(text: &str) -> Option<(u32, u32, u32)> {
    let mut parts = text.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().map_or(Some(0), |p| p.parse().ok())?;
    let patch = parts.next().map_or(Some(0), |p| p.parse().ok())?;
    Some((major, minor, patch))
}

fn check_pipenv(
    document: &Document,
    run: &RunCommand,
    run_commands: &[RunCommand],
) -> Option<Finding> {
    let args = &run.command.args;
    let at = match first_operand(args, &[]) {
        Operand::At(i) if matches!(args[i].as_str(), Some("install" | "sync")) => i,
        _ => return None,
    };
    let cleared_later = run_commands.iter().any(|other| {
        other.command.range.start >= run.command.range.end
            && other.command.basename() == Some("pipenv")
            && has_option(&other.command.args, "--clear")
    });
    let pip_cache_off = matches!(environment(document, run, "PIP_NO_CACHE_DIR"),
        Some(EnvValue::Literal(value)) if !value.is_empty());
    let mut dirs = vec![".cache/pipenv".to_string(), ".cache".to_string()];
    dirs.extend(env_dir(document, run, "PIPENV_CACHE_DIR", ""));
    let covered = cache_covered(
        run.instruction,
        &dirs.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    if cleared_later || pip_cache_off || covered {
        return None;
    }
    let subcommand = args[at].as_str()?;
    Some(run.finding(
        CODE,
        format!("`pipenv {subcommand}` keeps downloaded packages in its cache in the layer: set `PIP_NO_CACHE_DIR=1`, run `pipenv --clear` after it, or use a cache mount"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poetry_versions() {
        assert_eq!(parse_version("1.8.3"), Some((1, 8, 3)));
        assert_eq!(parse_version("1.1"), Some((1, 1, 0)));
        assert_eq!(parse_version("1.*"), None);
        assert!(parse_version("1.2.1").unwrap() >= FIRST_WITH_NO_CACHE);
        assert!(parse_version("1.2").unwrap() < FIRST_WITH_NO_CACHE);
    }
}
