//! DF150 `gem-no-document` · Safe · shipped stages · no hadolint rule
//!
//! **What it does.** Adds `--no-document` right after `gem install` / `gem update`:
//! `gem install bundler -v 2.5.3` → `gem install --no-document bundler -v 2.5.3`.
//!
//! **Why.** RubyGems generates ri and RDoc documentation for every installed gem by default:
//! slow to build and megabytes nobody reads in an image.
//!
//! **When it is already satisfied.** `--no-document` (or an abbreviation RubyGems accepts, such
//! as `--no-doc`), `-N`, `--document=…` (an explicit choice), the old `--no-ri`/`--no-rdoc`
//! (they exist only before RubyGems 3.0, so a build that works with them is fine); an official
//! `ruby` base image (its `/usr/local/etc/gemrc` says `install: --no-document` and `update:
//! --no-document`); an earlier RUN writing `--no-document` (or `--no-ri`) to a gemrc.
//!
//! **Fix safety.** Safe: the same gems are installed; only their documentation is not
//! generated. `--no-document` exists since RubyGems 2.0 (2013).
//!
//! **Skips** (shown with `--show-skipped`): `GEMRC` set (a configuration dockfix cannot read);
//! options from a variable before the subcommand; commands inside `$( )`/`eval`; the RULES.md
//! §2 gates.

use crate::config::Settings;
use crate::document::Document;
use crate::fix::{Finding, Fix};
use crate::shell::{Nesting, Word};
use crate::shell_rules::{
    environment, first_operand, gated_finding, has_abbreviated_option, has_option, scan_runs,
    Operand, RunCommand, Scope,
};

const CODE: &str = "DF150";
const FLAG: &str = "--no-document";

/// gem's global options that take their value as the next word.
const OPTIONS_WITH_VALUE: &[&str] = &["--config-file"];

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let scan = scan_runs(document, Scope::Shipped, |text| text.contains("gem "));
    let mut findings: Vec<Finding> = scan
        .gated
        .iter()
        .filter(|(instruction, _)| {
            let text = &instruction.logical.text;
            (text.contains("gem install") || text.contains("gem update"))
                && !text.contains("--no-doc")
        })
        .map(|(instruction, reason)| {
            gated_finding(
                CODE,
                instruction,
                reason,
                "gem install without --no-document",
            )
        })
        .collect();
    for run in &scan.commands {
        findings.extend(check_command(document, run));
    }
    findings
}

fn check_command(document: &Document, run: &RunCommand) -> Option<Finding> {
    if run.command.basename() != Some("gem") {
        return None;
    }
    let args = &run.command.args;
    let is_target = |word: &Word| matches!(word.as_str(), Some("install" | "update"));
    let at = match first_operand(args, OPTIONS_WITH_VALUE) {
        Operand::At(i) if is_target(&args[i]) => i,
        Operand::Dynamic if args.iter().any(is_target) => {
            return Some(skip(
                run,
                "dynamic-flags",
                "options from a variable may hold the flag",
            ));
        }
        _ => return None,
    };
    // Ruby's OptionParser accepts unambiguous abbreviations (`--no-doc`).
    let chosen = has_abbreviated_option(args, FLAG, "--no-doc".len())
        || has_abbreviated_option(args, "--document", "--doc".len())
        || ["-N", "--no-ri", "--no-rdoc"]
            .iter()
            .any(|option| has_option(args, option));
    if chosen || configured(document, run) {
        return None;
    }
    if environment(document, run, "GEMRC").is_some() {
        return Some(skip(
            run,
            "gemrc",
            "GEMRC points at a configuration dockfix cannot read",
        ));
    }
    if run.command.nesting == Nesting::Substitution {
        return Some(skip(
            run,
            "nested-shell",
            "the command runs in a nested shell",
        ));
    }
    let subcommand = args[at].as_str()?;
    let fix = Fix::safe(vec![run.insert_after(&args[at], &format!(" {FLAG}"))]);
    Some(
        run.finding(
            CODE,
            format!("`gem {subcommand}` without `{FLAG}` generates documentation"),
        )
        .with_fix(fix),
    )
}

fn skip(run: &RunCommand, reason: &'static str, message: &str) -> Finding {
    Finding::skip(CODE, run.file_range(&run.command.range), reason, message)
}

/// The base image's gemrc or an earlier RUN (stage or parents) turns documentation off.
fn configured(document: &Document, run: &RunCommand) -> bool {
    let base = run
        .instruction
        .stage
        .is_some_and(|stage| document.base_fact(stage, "gemrc-no-document"));
    base || document
        .instructions_before(run.index)
        .into_iter()
        .any(|i| {
            let text = &document.instructions[i].logical.text;
            text.contains("gemrc") && (text.contains("--no-document") || text.contains("--no-ri"))
        })
}
