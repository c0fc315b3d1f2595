//! DF132 `yarn-cache-kept` · Safe (Yarn 1) / Unsafe (Berry, node-modules) · shipped stages · hadolint DL3060
//!
//! **What it does.** Appends a Yarn cache cleanup to a RUN whose `yarn`, `yarn install`, `yarn
//! add` or `yarn global add` is not followed by one, told apart by Yarn version (hadolint's
//! DL3060 does not): Yarn 1 gets `yarn cache clean` (`RUN yarn install --frozen-lockfile` →
//! `… --frozen-lockfile && yarn cache clean`); Yarn Berry (2+) with `nodeLinker: node-modules`
//! gets `yarn cache clean --all` (a plain `clean` empties only the project cache, and Yarn 4
//! uses the global one by default).
//!
//! **Which Yarn.** Read from the files the stage copied from the build context into the
//! install's working directory (WORKDIR and a leading `cd`): Berry when `.yarnrc.yml` is there
//! (or beside the copied `yarn.lock` in the context), `yarn.lock` has `__metadata:`, or
//! package.json's `packageManager` is `yarn@2+` and `corepack enable` ran; Yarn 1 when
//! `yarn.lock` says `# yarn lockfile v1` and nothing says Berry, or for `yarn global` (Berry has
//! none).
//!
//! **Why.** Yarn 1 copies every package from its cache (`/usr/local/share/.cache/yarn` as root)
//! into `node_modules`: the cache is a second copy in the layer.
//!
//! **When it is already satisfied.** A later `yarn cache clean` or an `rm` of the cache in the
//! same RUN; a cache mount on `/usr/local/share/.cache/yarn`, `~/.cache/yarn`,
//! `~/.yarn/berry/cache` or `$YARN_CACHE_FOLDER`; DF160 converting the RUN to a cache mount.
//!
//! **Fix safety.** Yarn 1: Safe, the same packages are installed and only the cache goes.
//! Berry with node-modules: Unsafe, `--all` also empties the project's `.yarn/cache`, which a
//! zero-install repository commits and a later `yarn install --offline` would read.
//!
//! **Skips** (shown with `--show-skipped`): Berry Plug'n'Play (`plug-n-play`: packages are
//! loaded from the cache zips at run time, the cache *is* the install); Yarn version unknown
//! (`yarn-version-unknown`: no lockfile copied from the build context, or no context);
//! `--cache-folder` on the command line; a later RUN installs `--offline`; every Yarn call
//! inside `if`/`case`/loops or `$( )`; an `xargs`/`exec` wrapper; `cannot-append`; the RULES.md
//! §2 gates.

use crate::config::Settings;
use crate::document::{Document, EnvValue};
use crate::fix::{Finding, Fix};
use crate::package_caches::{
    cache_mount_planned, yarn_cache_clean, yarn_flavor, yarn_installs, CacheManager, YarnFlavor,
};
use crate::shell_rules::{
    append_cleanup, cache_covered, commands_by_run, environment, gated_finding, has_option,
    removes_path_ending, scan_runs, uncleaned_trigger, RunCommand, Scope,
};

use super::npm_cache_kept::offline_later;

const CODE: &str = "DF132";

fn installs(run: &RunCommand) -> bool {
    yarn_installs(run.command)
}

/// `yarn cache clean` or an `rm` of a Yarn cache.
fn cleans_cache(run: &RunCommand) -> bool {
    if yarn_cache_clean(run.command) {
        return true;
    }
    removes_path_ending(
        run,
        &[
            ".cache/yarn",
            ".yarn/berry/cache",
            "YARN_CACHE_FOLDER",
            "YARN_CACHE_FOLDER}",
        ],
    )
}

pub fn check(document: &Document, settings: &Settings) -> Vec<Finding> {
    let scan = scan_runs(document, Scope::Shipped, |text| text.contains("yarn"));
    let mut findings: Vec<Finding> = scan
        .gated
        .iter()
        .filter(|(instruction, _)| {
            let text = &instruction.logical.text;
            text.contains("yarn") && !text.contains("cache clean")
        })
        .map(|(instruction, reason)| {
            gated_finding(CODE, instruction, reason, "Yarn cache left in the layer")
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
    let last = uncleaned_trigger(run_commands, installs, cleans_cache)?;
    let mut dirs = vec![
        "/usr/local/share/.cache/yarn".to_string(),
        ".cache/yarn".to_string(),
        ".yarn/berry/cache".to_string(),
    ];
    if let Some(EnvValue::Literal(dir)) = environment(document, last, "YARN_CACHE_FOLDER") {
        dirs.push(dir);
    }
    if cache_covered(
        last.instruction,
        &dirs.iter().map(String::as_str).collect::<Vec<_>>(),
    ) || cache_mount_planned(document, settings, last.index, CacheManager::Yarn)
    {
        return None;
    }
    let message = "Yarn keeps downloaded packages in its cache in the layer: no `yarn cache clean` after the install";
    let skip = |reason, why: &str| {
        Some(Finding::skip(
            CODE,
            last.file_range(&last.command.range),
            reason,
            format!("{message}; {why}"),
        ))
    };
    let (cleanup, berry) = match yarn_flavor(document, last) {
        YarnFlavor::V1 => ("cache clean", false),
        YarnFlavor::Berry { pnp: false } => ("cache clean --all", true),
        YarnFlavor::Berry { pnp: true } => {
            return skip(
                "plug-n-play",
                "Yarn Berry Plug'n'Play loads packages from the cache at run time (advice: DF160's cache mount, or `nodeLinker: node-modules`)",
            );
        }
        YarnFlavor::Unknown(why) => {
            return skip(
                "yarn-version-unknown",
                &format!("the Yarn version is not known ({why}): Berry's cache may be the install"),
            );
        }
    };
    let triggers: Vec<&RunCommand> = run_commands.iter().filter(|r| installs(r)).collect();
    if triggers
        .iter()
        .any(|r| has_option(&r.command.args, "--cache-folder"))
    {
        return skip(
            "cache-dir",
            "`--cache-folder` moves the cache: a plain `yarn cache clean` would clean another one",
        );
    }
    if offline_later(document, last.index, "yarn") {
        return skip(
            "cache-used-later",
            "a later RUN installs --offline from the cache",
        );
    }
    let edit = match append_cleanup(document, &triggers, last, &last.command.name, cleanup) {
        Ok(edit) => edit,
        Err((reason, why)) => return skip(reason, why),
    };
    let fix = if berry {
        Fix::unsafe_because(
            vec![edit],
            "`--all` also empties the project's .yarn/cache (zero-installs, `yarn install --offline` read it)",
        )
    } else {
        Fix::safe(vec![edit])
    };
    Some(last.finding(CODE, message).with_fix(fix))
}
