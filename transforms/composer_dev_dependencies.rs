//! DF153 `composer-dev-dependencies` · Unsafe · off by default · shipped stages · no hadolint rule
//!
//! **What it does.** Adds `--no-dev` right after `composer install` when the application is
//! configured for production (`APP_ENV` is `prod` or `production` as the command sees it: ENV or
//! ARG in scope, a prefix, an earlier `export`): `composer install` → `composer install
//! --no-dev`.
//!
//! **Why.** Development packages (test frameworks, debug tools) have no place in a production
//! image: they add size and attack surface.
//!
//! **When it is already satisfied.** `--no-dev` or `--dev` (an explicit choice);
//! `COMPOSER_NO_DEV` set (Composer ≥ 2.2 reads it); `APP_ENV` not set to production.
//!
//! **Fix safety.** Unsafe: code may use a development package at run time (a seeder, a debug
//! bundle registered for every environment), and then the image fails where it worked.
//!
//! **Skips** (shown with `--show-skipped`): options from a variable before the subcommand;
//! `$( )`/`eval`; the RULES.md §2 gates.

use super::composer_no_cache::{composer_args, downloading_subcommand};
use crate::config::Settings;
use crate::document::{Document, EnvValue};
use crate::fix::{Finding, Fix};
use crate::shell::Nesting;
use crate::shell_rules::{environment, gated_finding, has_option, scan_runs, RunCommand, Scope};

const CODE: &str = "DF153";

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let scan = scan_runs(document, Scope::Shipped, |text| text.contains("composer"));
    let mut findings: Vec<Finding> = scan
        .gated
        .iter()
        .filter(|(instruction, _)| {
            let text = &instruction.logical.text;
            text.contains("composer install") && !text.contains("--no-dev")
        })
        .map(|(instruction, reason)| {
            gated_finding(
                CODE,
                instruction,
                reason,
                "composer install without --no-dev",
            )
        })
        .collect();
    for run in &scan.commands {
        findings.extend(check_command(document, run));
    }
    findings
}

fn check_command(document: &Document, run: &RunCommand) -> Option<Finding> {
    let (_, args) = composer_args(run)?;
    let production = matches!(environment(document, run, "APP_ENV"),
        Some(EnvValue::Literal(env)) if matches!(env.to_ascii_lowercase().as_str(), "prod" | "production"));
    if !production
        || has_option(args, "--no-dev")
        || has_option(args, "--dev")
        || environment(document, run, "COMPOSER_NO_DEV").is_some()
    {
        return None;
    }
    let skip = |reason, message: &str| {
        Some(Finding::skip(
            CODE,
            run.file_range(&run.command.range),
            reason,
            message,
        ))
    };
    let at = match downloading_subcommand(args, &["install", "i"]) {
        Ok(Some(at)) => at,
        Ok(None) => return None,
        Err(()) => return skip("dynamic-flags", "options from a variable may hold --no-dev"),
    };
    if run.command.nesting == Nesting::Substitution {
        return skip("nested-shell", "the command runs in a nested shell");
    }
    let fix = Fix::unsafe_because(
        vec![run.insert_after(&args[at], " --no-dev")],
        "code may use a development package at run time",
    );
    Some(
        run.finding(
            CODE,
            "`composer install` installs development packages in a production image (APP_ENV)",
        )
        .with_fix(fix),
    )
}
