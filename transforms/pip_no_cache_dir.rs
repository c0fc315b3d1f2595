//! DF120 `pip-no-cache-dir` · Safe · shipped stages · hadolint DL3042
//!
//! **What it does.** Adds `--no-cache-dir` to `pip install` (`pip`, `pip3`, `pip3.12`,
//! `python[X[.Y]] -m pip`, any path such as `/opt/venv/bin/pip`).
//!
//! **Why.** pip keeps every downloaded wheel and source archive in `~/.cache/pip`; in an image
//! that cache is dead weight in the layer, often as large as the installed packages.
//!
//! **When it is already satisfied.** `--no-cache-dir` given (or an abbreviation pip accepts,
//! such as `--no-cache`); `PIP_NO_CACHE_DIR` set to any
//! non-empty literal in the environment in scope (ENV/ARG of the stage and its parents, a
//! `VAR=x` prefix, `env VAR=x`, an earlier `export`): pip disables the cache for *every*
//! accepted value, `0`/`false`/`off` included, for backward compatibility; a cache mount on
//! pip's cache directory (the cache is meant to persist); not an install (`download`, `wheel`,
//! `uninstall`, `freeze`, `list`, `show`, `cache`, `config`, `--help`).
//!
//! **Fix safety.** Safe: the same packages are installed; only the cache is not written.
//!
//! **Skips** (shown with `--show-skipped`): `--cache-dir` given (a cache on purpose);
//! `PIP_NO_CACHE_DIR` or `PIP_CONFIG_FILE` from a variable or a config file we cannot read;
//! options from a variable before the subcommand; the RULES.md §2 gates (exec-form, ONBUILD,
//! opaque, non-POSIX, heredoc, shell syntax error, nested shell).

use crate::config::Settings;
use crate::document::{Document, EnvValue};
use crate::fix::{Finding, Fix};
use crate::package_caches::{cache_mount_planned, CacheManager};
use crate::shell::Nesting;
use crate::shell_rules::{
    cache_covered, environment, first_operand, gated_finding, has_abbreviated_option, has_option,
    pip_arguments, scan_runs, Operand, RunCommand, Scope,
};

const CODE: &str = "DF120";
const FLAG: &str = "--no-cache-dir";

/// pip's general options that take their value as the next word.
const OPTIONS_WITH_VALUE: &[&str] = &[
    "--proxy",
    "--retries",
    "--timeout",
    "--log",
    "--log-file",
    "--cache-dir",
    "--exists-action",
    "--trusted-host",
    "--cert",
    "--client-cert",
    "--python",
    "--keyring-provider",
    "--use-feature",
    "--use-deprecated",
];

/// pip's cache directory (home-relative or absolute), for cache mounts.
const CACHE_DIRS: &[&str] = &[".cache/pip"];

pub fn check(document: &Document, settings: &Settings) -> Vec<Finding> {
    let scan = scan_runs(document, Scope::Shipped, |text| text.contains("pip"));
    let mut findings: Vec<Finding> = scan
        .gated
        .iter()
        .filter(|(instruction, _)| {
            let text = &instruction.logical.text;
            text.contains("install") && !text.contains(FLAG)
        })
        .map(|(instruction, reason)| {
            gated_finding(
                CODE,
                instruction,
                reason,
                "pip install without --no-cache-dir",
            )
        })
        .collect();
    for run in &scan.commands {
        // DF160 turns this RUN's pip cache into a cache mount (RULES.md §4).
        if cache_mount_planned(document, settings, run.index, CacheManager::Pip) {
            continue;
        }
        findings.extend(check_command(document, run));
    }
    findings
}

fn check_command(document: &Document, run: &RunCommand) -> Option<Finding> {
    let args = pip_arguments(run.command)?;
    let install = match first_operand(args, OPTIONS_WITH_VALUE) {
        Operand::At(i) if args[i].value.as_deref() == Some("install") => i,
        Operand::Dynamic if args.iter().any(|w| w.value.as_deref() == Some("install")) => {
            return Some(skip(
                run,
                "dynamic-flags",
                "options from a variable may hold the flag",
            ));
        }
        _ => return None,
    };
    // pip's option parser accepts unambiguous abbreviations: `--no-ca` … `--no-cache-di` are
    // `--no-cache-dir` (shorter ones clash with `--no-color`, `--no-compile`, `--no-clean`),
    // and `--ca` … `--cache-di` are `--cache-dir` (`--ce` is `--cert`).
    if has_abbreviated_option(args, FLAG, "--no-ca".len())
        || has_option(args, "-h")
        || has_abbreviated_option(args, "--help", "--he".len())
    {
        return None;
    }
    if cache_covered(run.instruction, CACHE_DIRS) {
        return None;
    }
    if has_abbreviated_option(args, "--cache-dir", "--ca".len()) {
        return Some(skip(
            run,
            "cache-dir",
            "`--cache-dir` asks for a cache on purpose",
        ));
    }
    match environment(document, run, "PIP_NO_CACHE_DIR") {
        Some(EnvValue::Literal(value)) if !value.is_empty() => return None,
        Some(EnvValue::Dynamic) => {
            return Some(skip(
                run,
                "dynamic-env",
                "PIP_NO_CACHE_DIR is set from a variable",
            ));
        }
        _ => {}
    }
    if environment(document, run, "PIP_CONFIG_FILE").is_some() {
        return Some(skip(
            run,
            "pip-config",
            "PIP_CONFIG_FILE points at a configuration dockfix cannot read",
        ));
    }
    if run.command.nesting == Nesting::Substitution {
        return Some(skip(
            run,
            "nested-shell",
            "the command runs in a nested shell",
        ));
    }
    let fix = Fix::safe(vec![run.insert_after(&args[install], &format!(" {FLAG}"))]);
    Some(
        run.finding(CODE, format!("`pip install` without `{FLAG}`"))
            .with_fix(fix),
    )
}

fn skip(run: &RunCommand, reason: &'static str, message: &str) -> Finding {
    Finding::skip(CODE, run.file_range(&run.command.range), reason, message)
}
