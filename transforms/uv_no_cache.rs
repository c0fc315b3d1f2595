//! DF121 `uv-no-cache` · Safe · shipped stages · no hadolint rule
//!
//! **What it does.** Adds `--no-cache` right after the last subcommand word of `uv pip install`,
//! `uv pip sync`, `uv sync`, `uv add`, `uv run` and `uv tool install`: `uv sync --locked` →
//! `uv sync --no-cache --locked`.
//!
//! **Why.** uv keeps every downloaded wheel and built distribution in `~/.cache/uv`: dead weight
//! in the layer, often as large as the installed packages.
//!
//! **When it is already satisfied.** `--no-cache`, `-n` or its alias `--no-cache-dir` (a global
//! option, checked in uv's `CacheArgs`); `UV_NO_CACHE` true as the command sees it (ENV/ARG in
//! scope, a prefix, an earlier `export`). uv parses it with clap's `BoolishValueParser`, case
//! insensitive: `1 true yes y on t` disable the cache, while `0 false no n off f` keep it (unlike
//! pip's `PIP_NO_CACHE_DIR`); a cache mount on `~/.cache/uv`, `$UV_CACHE_DIR` or
//! `$XDG_CACHE_HOME/uv`.
//!
//! **Fix safety.** Safe: the same packages are installed; uv uses a temporary cache for the
//! command instead.
//!
//! **Skips** (shown with `--show-skipped`): `--cache-dir` given (a cache on purpose);
//! `UV_NO_CACHE` from a variable; options from a variable before the subcommand; `$( )`/`eval`;
//! the RULES.md §2 gates.

use crate::config::Settings;
use crate::document::{Document, EnvValue};
use crate::fix::{Finding, Fix};
use crate::shell::{Nesting, Word};
use crate::shell_rules::{
    cache_covered, environment, first_operand, gated_finding, has_option, scan_runs, Operand,
    RunCommand, Scope,
};

const CODE: &str = "DF121";
const FLAG: &str = "--no-cache";

/// uv's global options that take their value as the next word.
const OPTIONS_WITH_VALUE: &[&str] = &[
    "--cache-dir",
    "--directory",
    "--project",
    "--config-file",
    "--color",
    "--python-preference",
    "--allow-insecure-host",
    "-p",
    "--python",
];

/// clap's `BoolishValueParser` true literals (compared lower-cased).
const TRUE_LITERALS: &[&str] = &["y", "yes", "t", "true", "on", "1"];

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let scan = scan_runs(document, Scope::Shipped, |text| text.contains("uv "));
    let mut findings: Vec<Finding> = scan
        .gated
        .iter()
        .filter(|(instruction, _)| !instruction.logical.text.contains(FLAG))
        .map(|(instruction, reason)| {
            gated_finding(CODE, instruction, reason, "uv without --no-cache")
        })
        .collect();
    for run in &scan.commands {
        findings.extend(check_command(document, run));
    }
    findings
}

/// The indices of the first and the last subcommand word of a caching uv command (`pip` and
/// `install`; `sync` twice), `Err` when options from a variable hide them.
fn caching_subcommand(args: &[Word]) -> Result<Option<(usize, usize)>, ()> {
    let first = match first_operand(args, OPTIONS_WITH_VALUE) {
        Operand::At(i) => i,
        Operand::Dynamic => return Err(()),
        Operand::Missing => return Ok(None),
    };
    let second = |names: &[&str]| match first_operand(&args[first + 1..], OPTIONS_WITH_VALUE) {
        Operand::At(j) => Ok(args[first + 1 + j]
            .as_str()
            .is_some_and(|name| names.contains(&name))
            .then_some((first, first + 1 + j))),
        Operand::Dynamic => Err(()),
        Operand::Missing => Ok(None),
    };
    match args[first].as_str() {
        Some("sync" | "add" | "run") => Ok(Some((first, first))),
        Some("pip") => second(&["install", "sync"]),
        Some("tool") => second(&["install"]),
        _ => Ok(None),
    }
}

/// `-n` alone or in a cluster of uv's short flags (`-qn`).
fn has_short_n(args: &[Word]) -> bool {
    args.iter().filter_map(Word::as_str).any(|value| {
        value.strip_prefix('-').is_some_and(|letters| {
            !letters.is_empty()
                && letters.contains('n')
                && letters.chars().all(|c| "nqvU".contains(c))
        })
    })
}

fn check_command(document: &Document, run: &RunCommand) -> Option<Finding> {
    if run.command.basename() != Some("uv") {
        return None;
    }
    let args = &run.command.args;
    let skip = |reason, message: &str| {
        Some(Finding::skip(
            CODE,
            run.file_range(&run.command.range),
            reason,
            message,
        ))
    };
    let (first, at) = match caching_subcommand(args) {
        Ok(Some(words)) => words,
        Ok(None) => return None,
        Err(()) => {
            return skip(
                "dynamic-flags",
                "options from a variable may hold --no-cache",
            )
        }
    };
    if has_option(args, FLAG) || has_option(args, "--no-cache-dir") || has_short_n(args) {
        return None;
    }
    let dirs = cache_dirs(document, run);
    if cache_covered(
        run.instruction,
        &dirs.iter().map(String::as_str).collect::<Vec<_>>(),
    ) {
        return None;
    }
    if has_option(args, "--cache-dir") {
        return skip("cache-dir", "`--cache-dir` asks for a cache on purpose");
    }
    match environment(document, run, "UV_NO_CACHE") {
        Some(EnvValue::Literal(value))
            if TRUE_LITERALS.contains(&value.to_ascii_lowercase().as_str()) =>
        {
            return None;
        }
        Some(EnvValue::Dynamic) => {
            return skip("dynamic-env", "UV_NO_CACHE is set from a variable");
        }
        _ => {}
    }
    if run.command.nesting == Nesting::Substitution {
        return skip("nested-shell", "the command runs in a nested shell");
    }
    let words: Vec<&str> = [first, at]
        .iter()
        .filter_map(|&i| args[i].as_str())
        .collect();
    let words = if first == at { &words[..1] } else { &words[..] };
    let fix = Fix::safe(vec![run.insert_after(&args[at], &format!(" {FLAG}"))]);
    Some(
        run.finding(
            CODE,
            format!(
                "`uv {}` without `{FLAG}` keeps its cache in the layer",
                words.join(" ")
            ),
        )
        .with_fix(fix),
    )
}

/// uv's cache directories as far as the Dockerfile tells, for cache mounts.
fn cache_dirs(document: &Document, run: &RunCommand) -> Vec<String> {
    let literal = |name| match environment(document, run, name) {
        Some(EnvValue::Literal(value)) if !value.is_empty() => Some(value),
        _ => None,
    };
    let mut dirs = vec![".cache/uv".to_string()];
    dirs.extend(literal("UV_CACHE_DIR"));
    dirs.extend(literal("XDG_CACHE_HOME").map(|home| format!("{home}/uv")));
    dirs
}
