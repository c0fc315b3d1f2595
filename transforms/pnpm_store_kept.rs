//! DF133 `pnpm-store-kept` · DisplayOnly · off · shipped stages · no hadolint rule
//!
//! **What it does.** Points at `pnpm install` (`i`, `add`, `fetch`) in a RUN without a cache
//! mount on pnpm's store: the content-addressable store stays in the layer.
//!
//! **Why no fix.** `node_modules` files are hard links into the store, so deleting the store
//! frees little, and `pnpm store prune` keeps everything the project references. What helps:
//! a BuildKit cache mount on the store (`--mount=type=cache,id=pnpm,target=/pnpm/store` with
//! `PNPM_HOME=/pnpm`, or DF160 for the other managers), or `pnpm fetch` plus `pnpm install
//! --offline` in a builder stage whose store never ships.
//!
//! **Fix safety.** None: advice only (DisplayOnly), off by default.
//!
//! **Skips**: a cache mount on `~/.local/share/pnpm/store`, `~/.pnpm-store`, `$PNPM_HOME` or
//! a `--store-dir`; the RULES.md §2 gates (shown with `--show-skipped`).

use crate::config::Settings;
use crate::document::{Document, EnvValue};
use crate::fix::Finding;
use crate::shell_rules::{
    cache_covered, environment, first_operand, gated_finding, scan_runs, Operand, RunCommand, Scope,
};

const CODE: &str = "DF133";

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let scan = scan_runs(document, Scope::Shipped, |text| text.contains("pnpm"));
    let mut findings: Vec<Finding> = scan
        .gated
        .iter()
        .filter(|(instruction, _)| instruction.logical.text.contains("pnpm i"))
        .map(|(instruction, reason)| {
            gated_finding(CODE, instruction, reason, "pnpm store left in the layer")
        })
        .collect();
    findings.extend(
        scan.commands
            .iter()
            .filter_map(|run| check_command(document, run)),
    );
    findings
}

fn check_command(document: &Document, run: &RunCommand) -> Option<Finding> {
    if run.command.basename() != Some("pnpm") {
        return None;
    }
    let args = &run.command.args;
    let Operand::At(at) = first_operand(args, &["--dir", "-C", "--filter", "-F", "--store-dir"])
    else {
        return None;
    };
    if !matches!(args[at].as_str(), Some("install" | "i" | "add" | "fetch")) {
        return None;
    }
    let mut dirs = vec![
        ".local/share/pnpm/store".to_string(),
        ".pnpm-store".to_string(),
    ];
    if let Some(EnvValue::Literal(home)) = environment(document, run, "PNPM_HOME") {
        dirs.push(home);
    }
    let values: Vec<Option<&str>> = run.command.arg_values().collect();
    if let Some(i) = values.iter().position(|v| *v == Some("--store-dir")) {
        dirs.extend(values.get(i + 1).copied().flatten().map(str::to_string));
    }
    if cache_covered(
        run.instruction,
        &dirs.iter().map(String::as_str).collect::<Vec<_>>(),
    ) {
        return None;
    }
    Some(run.finding(
        CODE,
        "pnpm's store stays in the layer (node_modules hard-links into it, so deleting it frees little): mount a cache on the store, or `pnpm fetch` in a builder stage",
    ))
}
