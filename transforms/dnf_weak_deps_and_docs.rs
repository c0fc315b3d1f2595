//! DF141 `dnf-weak-deps-and-docs` · Unsafe · off by default · shipped stages · no hadolint rule
//!
//! **What it does.** Adds `--setopt=install_weak_deps=False --nodocs` right after `install` of
//! `dnf` (microdnf: `--setopt=install_weak_deps=0 --nodocs`; dnf5:
//! `--setopt=install_weak_deps=False --setopt=tsflags=nodocs`), only the part that is missing.
//! `yum` gets the dnf options when the base image's yum is dnf (RHEL/CentOS 8+, Fedora, Rocky,
//! Alma, Amazon Linux 2023, UBI 8+); on yum 3 (CentOS 7, Amazon Linux 2, UBI 7) or an unknown
//! base only `--setopt=tsflags=nodocs`: yum 3 has no weak dependencies and no `--nodocs`.
//! `dnf install -y git` → `dnf install --setopt=install_weak_deps=False --nodocs -y git`.
//!
//! **Why.** Weak dependencies (dnf's *Recommends*) and documentation files add tens to hundreds
//! of megabytes the image rarely needs.
//!
//! **When it is already satisfied.** `install_weak_deps` set on the command line or written to
//! the configuration by an earlier RUN (an explicit choice either way); `--nodocs`,
//! `--no-docs` or `tsflags=nodocs` likewise.
//!
//! **Fix safety.** Unsafe: weak dependencies are packages some software expects (the risk of
//! DF101 without its compensation table), and `nodocs` drops files some tools read (man pages,
//! licences, examples under `/usr/share/doc`).
//!
//! **Skips** (shown with `--show-skipped`): options from a variable before the subcommand;
//! commands inside `$( )`/`eval`; the RULES.md §2 gates.

use super::dnf_yum_clean_all::{subcommand, Subcommand};
use crate::config::Settings;
use crate::document::Document;
use crate::fix::{Finding, Fix};
use crate::shell::{Nesting, Word};
use crate::shell_rules::{gated_finding, scan_runs, RunCommand, Scope};

const CODE: &str = "DF141";

const INSTALL: &[&str] = &["install", "in", "localinstall"];

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let scan = scan_runs(document, Scope::Shipped, |text| {
        text.contains("dnf") || text.contains("yum")
    });
    let mut findings: Vec<Finding> = scan
        .gated
        .iter()
        .filter(|(instruction, _)| {
            let text = &instruction.logical.text;
            text.contains("install") && !text.contains("nodocs")
        })
        .map(|(instruction, reason)| {
            gated_finding(
                CODE,
                instruction,
                reason,
                "weak dependencies and docs installed",
            )
        })
        .collect();
    for run in &scan.commands {
        findings.extend(check_command(document, run));
    }
    findings
}

/// What a tool needs to skip weak dependencies and documentation.
struct Options {
    weak_deps: Option<&'static str>,
    nodocs: &'static str,
}

fn options_for(document: &Document, run: &RunCommand, tool: &str) -> Option<Options> {
    let dnf = Options {
        weak_deps: Some("--setopt=install_weak_deps=False"),
        nodocs: "--nodocs",
    };
    match tool {
        "dnf" | "dnf-3" => Some(dnf),
        "dnf5" => Some(Options {
            weak_deps: Some("--setopt=install_weak_deps=False"),
            nodocs: "--setopt=tsflags=nodocs",
        }),
        "microdnf" => Some(Options {
            weak_deps: Some("--setopt=install_weak_deps=0"),
            nodocs: "--nodocs",
        }),
        "yum" => {
            let stage = run.instruction.stage?;
            if document.base_fact(stage, "yum-is-dnf") {
                Some(dnf)
            } else {
                Some(Options {
                    weak_deps: None,
                    nodocs: "--setopt=tsflags=nodocs",
                })
            }
        }
        _ => None,
    }
}

fn check_command(document: &Document, run: &RunCommand) -> Option<Finding> {
    let tool = run.command.basename()?;
    let options = options_for(document, run, tool)?;
    let args = &run.command.args;
    let at = match subcommand(args) {
        Subcommand::At(i, name) if INSTALL.contains(&name.as_str()) => i,
        Subcommand::Dynamic if args.iter().any(|w| w.as_str() == Some("install")) => {
            return Some(skip(
                run,
                "dynamic-flags",
                "options from a variable may hold the options",
            ));
        }
        _ => return None,
    };
    let configured = |needle: &str| configured(document, run.index, needle);
    let mut missing = Vec::new();
    if let Some(weak_deps) = options.weak_deps {
        if !mentions(args, "install_weak_deps") && !configured("install_weak_deps") {
            missing.push(weak_deps);
        }
    }
    let has_nodocs = mentions(args, "nodocs") || mentions(args, "--no-docs");
    if !has_nodocs && !configured("nodocs") {
        missing.push(options.nodocs);
    }
    if missing.is_empty() {
        return None;
    }
    if run.command.nesting == Nesting::Substitution {
        return Some(skip(
            run,
            "nested-shell",
            "the command runs in a nested shell",
        ));
    }
    let insertion = format!(" {}", missing.join(" "));
    let fix = Fix::unsafe_because(
        vec![run.insert_after(&args[at], &insertion)],
        "weak dependencies may be packages the software expects; nodocs drops man pages, licences and examples",
    );
    Some(
        run.finding(
            CODE,
            format!(
                "`{tool} install` installs weak dependencies or documentation: add `{}`",
                missing.join(" ")
            ),
        )
        .with_fix(fix),
    )
}

fn mentions(args: &[Word], needle: &str) -> bool {
    args.iter()
        .filter_map(Word::as_str)
        .any(|value| value.contains(needle))
}

fn skip(run: &RunCommand, reason: &'static str, message: &str) -> Finding {
    Finding::skip(CODE, run.file_range(&run.command.range), reason, message)
}

/// An earlier RUN (stage or parents) writes the setting into yum's or dnf's configuration.
fn configured(document: &Document, index: usize, needle: &str) -> bool {
    document.instructions_before(index).into_iter().any(|i| {
        let text = &document.instructions[i].logical.text;
        text.contains(needle) && (text.contains("yum.conf") || text.contains("dnf.conf"))
    })
}
