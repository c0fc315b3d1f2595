//! DF151 `bundler-cache-kept` · Unsafe · off by default · shipped stages · no hadolint rule
//!
//! **What it does.** Appends `rm -rf ~/.bundle/cache "$GEM_HOME"/cache` to a RUN with `bundle
//! install` (or a bare `bundle`) that does not remove a gem cache afterwards; with `BUNDLE_PATH`
//! set, `"$BUNDLE_PATH"/ruby/*/cache` instead of `"$GEM_HOME"/cache`. The variable must be known
//! to be set: ENV/ARG in scope, or an official `ruby` base image (it sets
//! `GEM_HOME=/usr/local/bundle`). Otherwise the finding is advice only.
//!
//! **Why.** Bundler keeps every downloaded `.gem` archive next to the installed gems (and in
//! `~/.bundle/cache`): a second copy of every gem in the layer.
//!
//! **When it is already satisfied.** A later `rm` of a path ending in a `cache` directory in the
//! same RUN; a cache mount on `~/.bundle/cache` or the gem cache.
//!
//! **Fix safety.** Unsafe: `bundle install --local`, `bundle package` and `gem pristine` need
//! the cached archives, in this image or one built from it. `~/.bundle` itself is never removed
//! (`bundle config --global` lives there). (`bundle install --no-cache` only skips
//! `vendor/cache`: it is no alternative.)
//!
//! **Skips** (shown with `--show-skipped`): an install path set by `--path`, `--deployment` or
//! `bundle config … path` (the cache lives there); the variables unknown (advice only); every
//! install inside `if`/`case`/loops or `$( )`; `cannot-append`; the RULES.md §2 gates.

use crate::config::Settings;
use crate::document::{Document, EnvValue};
use crate::fix::{Finding, Fix};
use crate::shell_rules::{
    append_command, append_risk, cache_covered, commands_by_run, environment, first_operand,
    gated_finding, has_option, scan_runs, uncleaned_trigger, Operand, RunCommand, Scope,
};

const CODE: &str = "DF151";

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let scan = scan_runs(document, Scope::Shipped, |text| text.contains("bundle"));
    let mut findings: Vec<Finding> = scan
        .gated
        .iter()
        .filter(|(instruction, _)| instruction.logical.text.contains("bundle install"))
        .map(|(instruction, reason)| {
            gated_finding(
                CODE,
                instruction,
                reason,
                "bundler's gem cache left in the layer",
            )
        })
        .collect();
    for run_commands in commands_by_run(&scan.commands) {
        findings.extend(check_run(document, run_commands));
    }
    findings
}

/// `bundle install`, `bundler install` or a bare `bundle` (which installs).
fn installs(run: &RunCommand) -> bool {
    if !matches!(run.command.basename(), Some("bundle" | "bundler")) {
        return false;
    }
    match first_operand(&run.command.args, &[]) {
        Operand::At(i) => run.command.args[i].as_str() == Some("install"),
        Operand::Missing => true,
        Operand::Dynamic => false,
    }
}

/// `rm` of a path that ends in a `cache` directory (or its contents), literal or not.
fn removes_cache(run: &RunCommand) -> bool {
    let text = run.body.script.text();
    run.command.basename() == Some("rm")
        && run.command.args.iter().any(|word| {
            let raw = text[word.range.clone()].trim_end_matches(['/', '*']);
            raw.trim_end_matches('/').ends_with("cache")
        })
}

/// Bundler's install path is configured (gems and their cache go there).
fn path_configured(document: &Document, run: &RunCommand) -> bool {
    let configures_path = |text: &str| text.contains("bundle config") && text.contains("path");
    has_option(&run.command.args, "--path")
        || has_option(&run.command.args, "--deployment")
        || configures_path(&run.instruction.logical.text)
        || environment(document, run, "BUNDLE_DEPLOYMENT").is_some()
        || document
            .instructions_before(run.index)
            .into_iter()
            .any(|i| configures_path(&document.instructions[i].logical.text))
}

fn check_run(document: &Document, run_commands: &[RunCommand]) -> Option<Finding> {
    let last = uncleaned_trigger(run_commands, installs, removes_cache)?;
    let literal = |name| match environment(document, last, name) {
        Some(EnvValue::Literal(value)) => Some(value),
        _ => None,
    };
    let mut cache_dirs = vec![
        ".bundle/cache".to_string(),
        "/usr/local/bundle/cache".to_string(),
    ];
    cache_dirs.extend(literal("GEM_HOME").map(|home| format!("{home}/cache")));
    cache_dirs.extend(literal("BUNDLE_PATH"));
    let cache_dirs: Vec<&str> = cache_dirs.iter().map(String::as_str).collect();
    if cache_covered(last.instruction, &cache_dirs) {
        return None;
    }
    let message = "`bundle install` keeps every downloaded .gem archive in the layer";
    let skip = |reason, why: &str| {
        Some(Finding::skip(
            CODE,
            last.file_range(&last.command.range),
            reason,
            format!("{message}; {why}"),
        ))
    };
    if path_configured(document, last) {
        return skip(
            "bundle-path",
            "an install path is configured: remove `<path>/ruby/*/cache` there",
        );
    }
    let gem_cache = if environment(document, last, "BUNDLE_PATH").is_some() {
        "\"$BUNDLE_PATH\"/ruby/*/cache"
    } else if environment(document, last, "GEM_HOME").is_some()
        || last
            .instruction
            .stage
            .is_some_and(|stage| document.base_fact(stage, "gem-home"))
    {
        "\"$GEM_HOME\"/cache"
    } else {
        return Some(last.finding(
            CODE,
            format!("{message}: remove the gem cache (`gem env gemdir`/cache) and ~/.bundle/cache in the same RUN"),
        ));
    };
    let triggers: Vec<&RunCommand> = run_commands.iter().filter(|r| installs(r)).collect();
    if let Some((reason, why)) = append_risk(&triggers) {
        return skip(reason, why);
    }
    let cleanup = format!("rm -rf ~/.bundle/cache {gem_cache}");
    match append_command(document, last.instruction, last.body, &cleanup) {
        Ok(edit) => Some(last.finding(CODE, message).with_fix(Fix::unsafe_because(
            vec![edit],
            "bundle install --local, bundle package and gem pristine need the cached .gem files",
        ))),
        Err(reason) => skip(reason, "a command cannot be appended to this RUN"),
    }
}
