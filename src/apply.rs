//! Running the passes, applying their fixes to a fixpoint, and refusing any fix that breaks the
//! file.
//!
//! Each round: run every selected pass on a fresh parse, take fixes greedily in registry order
//! (a fix overlapping one already taken waits for the next round), splice once, re-parse and
//! verify. A round that fails verification is retried fix by fix; a fix that still fails is
//! rolled back and reported as DF900, and its rule makes no more fixes in this file.

use std::collections::HashSet;

use crate::config::Settings;
use crate::document::Document;
use crate::fix::{splice, Applicability, Edit, Finding, Fix};
use crate::source::Source;
use crate::transforms::Rule;

/// The internal rule reporting a rolled-back fix or a missing fixpoint.
pub const ROLLED_BACK: &str = "DF900";

/// Rounds before giving up on a fixpoint (RULES.md §4).
pub const MAX_ROUNDS: usize = 10;

/// Run the rules once and return their findings, in registry order.
pub fn check(document: &Document, rules: &[&Rule], settings: &Settings) -> Vec<Finding> {
    rules
        .iter()
        .flat_map(|rule| (rule.check)(document, settings))
        .collect()
}

/// One fix that was applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub code: &'static str,
    pub message: String,
}

/// The result of fixing one file.
#[derive(Debug)]
pub struct Fixed {
    /// The fixed text (the input itself when nothing was applied).
    pub source: Source,
    /// Fixes applied, in the order they were applied.
    pub applied: Vec<Applied>,
    /// Findings on the fixed text that were not fixed (unsafe fixes not allowed, advice, skips).
    pub remaining: Vec<Finding>,
    /// DF900 reports: fixes rolled back, or no fixpoint.
    pub internal: Vec<Finding>,
}

/// Fix `source` with every fix at least as trusted as `minimum`, to a fixpoint.
pub fn fix(source: Source, rules: &[&Rule], settings: &Settings, minimum: Applicability) -> Fixed {
    let original = source.clone();
    let mut current = source;
    let mut applied = Vec::new();
    let mut internal = Vec::new();
    let mut disabled: HashSet<&'static str> = HashSet::new();
    for _ in 0..MAX_ROUNDS {
        let document = Document::parse(&current);
        let findings = check(&document, rules, settings);
        let chosen = choose(&findings, minimum, &disabled);
        if chosen.is_empty() {
            drop(document);
            return Fixed {
                source: current,
                applied,
                remaining: findings,
                internal,
            };
        }
        let next = match verified(&document, &chosen) {
            Ok(next) => next,
            Err(_) => {
                // Find the culprits: keep each fix that verifies on top of those kept so far.
                let mut kept: Vec<&Finding> = Vec::new();
                let mut next = None;
                for &finding in &chosen {
                    kept.push(finding);
                    match verified(&document, &kept) {
                        Ok(source) => next = Some(source),
                        Err(reason) => {
                            kept.pop();
                            disabled.insert(finding.code);
                            internal.push(rolled_back(finding, &reason));
                        }
                    }
                }
                let Some(next) = next else { continue };
                next
            }
        };
        applied.extend(chosen.iter().map(|finding| Applied {
            code: finding.code,
            message: finding.message.clone(),
        }));
        drop(document);
        current = next;
    }
    internal.push(Finding::new(
        ROLLED_BACK,
        0..0,
        format!("no fixpoint after {MAX_ROUNDS} rounds: the file is left unchanged"),
    ));
    let remaining = check(&Document::parse(&original), rules, settings);
    Fixed {
        source: original,
        applied: Vec::new(),
        remaining,
        internal,
    }
}

/// The findings whose fixes run this round: allowed, from an enabled rule, not overlapping a
/// fix taken before them in registry order.
fn choose<'f>(
    findings: &'f [Finding],
    minimum: Applicability,
    disabled: &HashSet<&'static str>,
) -> Vec<&'f Finding> {
    let mut taken: Vec<&Finding> = Vec::new();
    for finding in findings {
        let Some(fix) = finding.applicable_fix(minimum) else {
            continue;
        };
        if disabled.contains(finding.code) {
            continue;
        }
        let conflicts = taken
            .iter()
            .any(|other| other.fix.as_ref().is_some_and(|o| o.overlaps(fix)));
        if !conflicts {
            taken.push(finding);
        }
    }
    taken
}

/// Apply the fixes of `findings` to the document's text and check the result is sound.
fn verified(document: &Document, findings: &[&Finding]) -> Result<Source, String> {
    let edits: Vec<&Edit> = findings
        .iter()
        .filter_map(|finding| finding.fix.as_ref())
        .flat_map(|fix: &Fix| fix.edits.iter())
        .collect();
    let next = Source::new(splice(document.text(), &edits));
    verify(document, &Document::parse(&next))?;
    Ok(next)
}

/// The checks every fixed text must pass: the same instructions in the same order, no new
/// grammar errors, no RUN whose shell text stopped parsing.
fn verify(before: &Document, after: &Document) -> Result<(), String> {
    let keywords = |document: &Document| -> Vec<_> {
        document
            .instructions
            .iter()
            .map(|i| (i.keyword, i.onbuild))
            .collect()
    };
    if keywords(before) != keywords(after) {
        return Err(format!(
            "the instructions changed ({} before, {} after)",
            before.instructions.len(),
            after.instructions.len()
        ));
    }
    if after.opaque_count() > before.opaque_count() {
        return Err("the fixed text has a new parse error".to_string());
    }
    let broken_shell = |document: &Document| {
        document
            .instructions
            .iter()
            .filter(|i| matches!(i.editable_shell(document.text()), Err("shell-syntax")))
            .count()
    };
    if broken_shell(after) > broken_shell(before) {
        return Err("a RUN's shell text no longer parses".to_string());
    }
    Ok(())
}

fn rolled_back(finding: &Finding, reason: &str) -> Finding {
    Finding::new(
        ROLLED_BACK,
        finding.range.clone(),
        format!(
            "fix for {} rolled back: {reason}; the file is written without it (please report this)",
            finding.code
        ),
    )
}
