//! DF131 `npm-cache-kept` · Safe · shipped stages · no hadolint rule
//!
//! **What it does.** Appends `npm cache clean --force` to a RUN whose `npm install` (`i`,
//! `add`), `npm ci` (`clean-install`, `install-clean`, `ic`) or `npm update` (`up`, `upgrade`),
//! global installs included, is not followed by a cache cleanup. The appended command uses the
//! same command word (`sudo`, a path, assignment prefixes kept): `RUN npm ci` → `RUN npm ci &&
//! npm cache clean --force`.
//!
//! **Why.** npm keeps a copy of every downloaded tarball in `~/.npm/_cacache`: often as large
//! as `node_modules` itself, never used again in the image.
//!
//! **When it is already satisfied.** A later `npm cache clean` in the same RUN, or an `rm` of
//! the cache (`~/.npm`, `/root/.npm`, `$HOME/.npm`, `$npm_config_cache`); a cache mount on
//! `~/.npm` (or `$npm_config_cache`); DF160 converting the RUN to a cache mount.
//!
//! **Fix safety.** Safe: the same packages are installed; the cleanup deletes only the download
//! cache, which npm fills again when it needs it. `--force` is required since npm 5 and ignored
//! before.
//!
//! **Skips** (shown with `--show-skipped`): `--cache DIR` on the command line (the appended
//! cleanup would clean another cache); a later RUN of the stage installs `--offline` or
//! `--prefer-offline` (it reads the cache); every npm call inside `if`/`case`/loops or `$( )`;
//! an `xargs`/`exec` wrapper; a RUN ending in the background or with `exit`/`exec`
//! (`cannot-append`); the RULES.md §2 gates.

use crate::config::Settings;
use crate::document::{Document, EnvValue};
use crate::fix::{Finding, Fix};
use crate::package_caches::{cache_mount_planned, npm_cache_clean, npm_downloads, CacheManager};
use crate::shell_rules::{
    append_cleanup, cache_covered, commands_by_run, environment, gated_finding, has_option,
    removes_path_ending, scan_runs, uncleaned_trigger, RunCommand, Scope,
};

const CODE: &str = "DF131";

fn downloads(run: &RunCommand) -> bool {
    npm_downloads(run.command)
}

/// `npm cache clean` or an `rm` of npm's cache.
fn cleans_cache(run: &RunCommand) -> bool {
    if npm_cache_clean(run.command) {
        return true;
    }
    removes_path_ending(
        run,
        &[
            ".npm",
            "/.npm/_cacache",
            "npm_config_cache",
            "npm_config_cache}",
        ],
    )
}

pub fn check(document: &Document, settings: &Settings) -> Vec<Finding> {
    let scan = scan_runs(document, Scope::Shipped, |text| text.contains("npm"));
    let mut findings: Vec<Finding> = scan
        .gated
        .iter()
        .filter(|(instruction, _)| {
            let text = &instruction.logical.text;
            ["install", "ci", "update", "i\"", "i "]
                .iter()
                .any(|word| text.contains(word))
                && !text.contains("cache clean")
        })
        .map(|(instruction, reason)| {
            gated_finding(CODE, instruction, reason, "npm cache left in the layer")
        })
        .collect();
    for run_commands in commands_by_run(&scan.commands) {
        findings.extend(check_run(document, settings, run_commands));
    }
    findings
}

fn check_run(
    document: &Document,
    settings: &Settings,
    run_commands: &[RunCommand],
) -> Option<Finding> {
    let last = uncleaned_trigger(run_commands, downloads, cleans_cache)?;
    let dirs = cache_dirs(document, last);
    if cache_covered(
        last.instruction,
        &dirs.iter().map(String::as_str).collect::<Vec<_>>(),
    ) || cache_mount_planned(document, settings, last.index, CacheManager::Npm)
    {
        return None;
    }
    let message = "npm keeps downloaded packages in `~/.npm` in the layer: no `npm cache clean --force` after the install";
    let skip = |reason, why: &str| {
        Some(Finding::skip(
            CODE,
            last.file_range(&last.command.range),
            reason,
            format!("{message}; {why}"),
        ))
    };
    let triggers: Vec<&RunCommand> = run_commands.iter().filter(|r| downloads(r)).collect();
    if triggers
        .iter()
        .any(|r| has_option(&r.command.args, "--cache"))
    {
        return skip(
            "cache-dir",
            "`--cache` moves the cache: a plain `npm cache clean` would clean another one",
        );
    }
    if offline_later(document, last.index, "npm") {
        return skip(
            "cache-used-later",
            "a later RUN installs --offline/--prefer-offline from the cache",
        );
    }
    match append_cleanup(
        document,
        &triggers,
        last,
        &last.command.name,
        "cache clean --force",
    ) {
        Ok(edit) => Some(last.finding(CODE, message).with_fix(Fix::safe(vec![edit]))),
        Err((reason, why)) => skip(reason, why),
    }
}

/// npm's cache directories as far as the Dockerfile tells, for cache mounts.
fn cache_dirs(document: &Document, run: &RunCommand) -> Vec<String> {
    let mut dirs = vec![".npm".to_string(), ".npm/_cacache".to_string()];
    for name in ["npm_config_cache", "NPM_CONFIG_CACHE"] {
        if let Some(EnvValue::Literal(dir)) = environment(document, run, name) {
            dirs.push(dir);
        }
    }
    dirs
}

/// A later RUN of the stage runs `tool` with `--offline` or `--prefer-offline`: it installs
/// from the cache a cleanup here would delete.
pub(super) fn offline_later(document: &Document, index: usize, tool: &str) -> bool {
    let stage = document.instructions[index].stage;
    document.instructions[index + 1..]
        .iter()
        .take_while(|i| i.stage == stage)
        .any(|i| {
            let text = &i.logical.text;
            text.contains(tool) && (text.contains("--offline") || text.contains("--prefer-offline"))
        })
}
