//! Running the passes, applying their fixes to a fixpoint, and refusing any fix that breaks the
//! file.
//!
//! Each round: run every selected pass on a fresh parse, take fixes greedily in registry order
//! (a fix overlapping one already taken waits for the next round), splice once, re-parse and
//! verify. A round that fails verification is retried fix by fix; a fix that still fails is
//! rolled back and reported as DF900, and its rule makes no more fixes in this file.

use std::collections::{HashMap, HashSet};

use crate::config::Settings;
use crate::document::{Document, Instruction, Keyword};
use crate::fix::{splice, Applicability, Edit, FileChange, Finding, Fix};
use crate::source::Source;
use crate::transforms::Rule;

/// The internal rule reporting a rolled-back fix or a missing fixpoint.
pub const ROLLED_BACK: &str = "DF900";

/// Rounds before giving up on a fixpoint (RULES.md §4).
pub const MAX_ROUNDS: usize = 10;

/// Run the rules once and return their findings, in registry order, without those an inline
/// pragma suppresses (the one place suppression happens, so no pass handles it).
pub fn check(document: &Document, rules: &[&Rule], settings: &Settings) -> Vec<Finding> {
    let findings = rules
        .iter()
        .flat_map(|rule| (rule.check)(document, settings))
        .collect();
    crate::config::suppress(document, rules, settings, findings)
}

/// One fix that was applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub code: &'static str,
    pub message: String,
}

impl Applied {
    fn of(finding: &Finding) -> Applied {
        Applied {
            code: finding.code,
            message: finding.message.clone(),
        }
    }
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
    /// Changes to other files of the build context (`.dockerignore`).
    pub files: Vec<FileChange>,
}

/// Fix `source` with every fix at least as trusted as `minimum`, to a fixpoint.
pub fn fix(source: Source, rules: &[&Rule], settings: &Settings, minimum: Applicability) -> Fixed {
    let document = Document::parse_with(source, settings.hadolint_pragmas);
    fix_document(document, rules, settings, minimum)
}

/// [`fix`] for a text already parsed (the first round reuses the parse).
pub fn fix_document(
    document: Document,
    rules: &[&Rule],
    settings: &Settings,
    minimum: Applicability,
) -> Fixed {
    let original = document.source.clone();
    let mut current = document;
    let mut applied = Vec::new();
    let mut internal = Vec::new();
    let mut disabled: HashSet<&'static str> = HashSet::new();
    for _ in 0..MAX_ROUNDS {
        let findings = check(&current, rules, settings);
        let chosen = choose(&findings, minimum, &disabled);
        if chosen.is_empty() {
            let (files, remaining) = file_changes(findings, minimum, &mut applied);
            return Fixed {
                source: current.into_source(),
                applied,
                remaining,
                internal,
                files,
            };
        }
        let next = match verified(&current, &chosen) {
            Ok(next) => {
                applied.extend(chosen.iter().map(|finding| Applied::of(finding)));
                next
            }
            Err(_) => {
                // Find the culprits: keep each fix that verifies on top of those kept so far.
                let mut kept: Vec<&Finding> = Vec::new();
                let mut next = None;
                for &finding in &chosen {
                    kept.push(finding);
                    match verified(&current, &kept) {
                        Ok(document) => next = Some(document),
                        Err(reason) => {
                            kept.pop();
                            disabled.insert(finding.code);
                            internal.push(rolled_back(finding, &reason));
                        }
                    }
                }
                applied.extend(kept.iter().map(|finding| Applied::of(finding)));
                let Some(next) = next else { continue };
                next
            }
        };
        current = next;
    }
    internal.push(Finding::new(
        ROLLED_BACK,
        0..0,
        format!("no fixpoint after {MAX_ROUNDS} rounds: the file is left unchanged"),
    ));
    let remaining = check(&current.reparse(original.clone(), None), rules, settings);
    Fixed {
        source: original,
        applied: Vec::new(),
        remaining,
        internal,
        files: Vec::new(),
    }
}

/// Once the Dockerfile is fixed: the allowed fixes that change other files, taken from the
/// remaining findings (the first change of each file wins).
fn file_changes(
    findings: Vec<Finding>,
    minimum: Applicability,
    applied: &mut Vec<Applied>,
) -> (Vec<FileChange>, Vec<Finding>) {
    let mut files: Vec<FileChange> = Vec::new();
    let mut remaining = Vec::new();
    for finding in findings {
        let changes = finding
            .applicable_fix(minimum)
            .filter(|fix| fix.edits.is_empty())
            .map(|fix| fix.files.clone())
            .unwrap_or_default();
        let fresh = !changes.is_empty()
            && changes
                .iter()
                .all(|change| files.iter().all(|taken| taken.path != change.path));
        if fresh {
            files.extend(changes);
            applied.push(Applied::of(&finding));
        } else {
            remaining.push(finding);
        }
    }
    (files, remaining)
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
        if disabled.contains(finding.code) || fix.edits.is_empty() {
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

/// Apply the fixes of `findings` to the document's text; the new parse if it is sound.
fn verified(document: &Document, findings: &[&Finding]) -> Result<Document, String> {
    let fixes: Vec<&Fix> = findings
        .iter()
        .filter_map(|finding| finding.fix.as_ref())
        .collect();
    let edits: Vec<&Edit> = fixes.iter().flat_map(|fix| fix.edits.iter()).collect();
    let removed = fixes.iter().map(|fix| fix.removes_instructions).sum();
    let added = fixes.iter().map(|fix| fix.adds_instructions).sum();
    let moved = fixes.iter().any(|fix| fix.moves_instructions);
    let dropped = fixes
        .iter()
        .flat_map(|fix| fix.drops_commands.iter().copied())
        .collect();
    let replaced: Vec<crate::parse::TextEdit> = edits
        .iter()
        .map(|edit| (edit.range.clone(), edit.replacement.as_str()))
        .collect();
    let next = document.reparse(
        Source::new(splice(document.text(), &edits)),
        Some(&replaced),
    );
    verify(
        document,
        &next,
        Change {
            removed,
            added,
            moved,
            dropped,
        },
    )?;
    Ok(next)
}

/// The changes to the instruction list that the fixes of a round declare.
struct Change {
    removed: usize,
    added: usize,
    moved: bool,
    /// Commands deleted on purpose.
    dropped: Vec<&'static str>,
}

/// The checks every fixed text must pass (RULES.md §4): the same instructions except exactly
/// those the fixes declared removed or added (in the same order unless one moves or adds
/// some), no new grammar errors, no edited RUN whose shell text stopped parsing, every shell
/// command of the edited RUNs still present (merges move commands, never drop them).
fn verify(before: &Document, after: &Document, change: Change) -> Result<(), String> {
    let Change {
        removed,
        added,
        moved,
        mut dropped,
    } = change;
    let keywords = |document: &Document| -> Vec<_> {
        document
            .instructions
            .iter()
            .map(|i| (i.keyword, i.onbuild))
            .collect()
    };
    let (old, new) = (keywords(before), keywords(after));
    let expected = old.len() + added == new.len() + removed
        && if added == 0 && !moved {
            is_subsequence(&new, &old)
        } else {
            surplus(&old, &new) <= removed && surplus(&new, &old) <= added
        };
    if !expected {
        return Err(format!(
            "the instructions changed ({} before, {} after; the fixes declared {removed} removed, {added} added)",
            old.len(),
            new.len()
        ));
    }
    if after.opaque_count() > before.opaque_count() {
        return Err("the fixed text has a new parse error".to_string());
    }
    let shell_broken = |document: &Document, i: &Instruction| {
        matches!(i.editable_shell(document.text()), Err("shell-syntax"))
    };
    let broken = |document: &Document, other: &Document| {
        edited(document, other)
            .into_iter()
            .filter(|i| shell_broken(document, i))
            .count()
    };
    if broken(after, before) > broken(before, after) {
        return Err("a RUN's shell text no longer parses".to_string());
    }
    let mut present = command_names(after, before);
    for name in command_names(before, after) {
        if let Some(found) = present.iter().position(|other| *other == name) {
            present.swap_remove(found);
        } else if let Some(declared) = dropped.iter().position(|d| *d == name) {
            dropped.swap_remove(declared);
        } else {
            return Err(format!("the shell command `{name}` was dropped"));
        }
    }
    Ok(())
}

/// The names (basenames; as written when not literal) of the shell commands of the RUNs of
/// `document` that `other` lacks: every command of the edited RUNs must survive a fix (RULES.md §4).
fn command_names(document: &Document, other: &Document) -> Vec<String> {
    edited(document, other)
        .into_iter()
        .filter_map(|run| run.editable_shell(document.text()).ok())
        .flat_map(|body| {
            let text = body.script.text();
            body.script.commands().iter().map(move |command| {
                command
                    .basename()
                    .map(str::to_string)
                    .unwrap_or_else(|| text[command.name.range.clone()].to_string())
            })
        })
        .collect()
}

/// True when `short` is `long` with some elements left out.
fn is_subsequence<T: PartialEq>(short: &[T], long: &[T]) -> bool {
    let mut long = long.iter();
    short.iter().all(|item| long.any(|other| other == item))
}

/// How many elements of `a` have no counterpart in `b` (as multisets).
fn surplus<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    let mut unmatched: Vec<&T> = b.iter().collect();
    a.iter()
        .filter(
            |item| match unmatched.iter().position(|other| other == item) {
                Some(found) => {
                    unmatched.swap_remove(found);
                    false
                }
                None => true,
            },
        )
        .count()
}

/// The RUNs of `document` whose text `other` lacks (as a multiset): the ones the fixes edited,
/// found without aligning instructions (fixes may remove, add or move some).
fn edited<'d>(document: &'d Document, other: &Document) -> Vec<&'d Instruction> {
    let mut unmatched: HashMap<&str, usize> = HashMap::new();
    for instruction in &other.instructions {
        *unmatched
            .entry(instruction_text(other, instruction))
            .or_default() += 1;
    }
    document
        .instructions
        .iter()
        .filter(|instruction| instruction.keyword == Keyword::Run)
        .filter(
            |instruction| match unmatched.get_mut(instruction_text(document, instruction)) {
                Some(count) if *count > 0 => {
                    *count -= 1;
                    false
                }
                _ => true,
            },
        )
        .collect()
}

fn instruction_text<'d>(document: &'d Document, instruction: &Instruction) -> &'d str {
    &document.text()[instruction.logical.range.clone()]
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Breaks the file: turns the second instruction into a continuation of the first.
    fn breaking(document: &Document, _: &Settings) -> Vec<Finding> {
        let run = &document.instructions[1].logical.range;
        vec![Finding::new("DF998", run.clone(), "breaks")
            .with_fix(Fix::safe(vec![Edit::insert(run.start - 1, " \\")]))]
    }

    /// A sound fix: appends a word to every RUN once.
    fn appending(document: &Document, _: &Settings) -> Vec<Finding> {
        document
            .instructions
            .iter()
            .filter(|i| i.keyword == crate::document::Keyword::Run && !i.args().ends_with(" ok"))
            .map(|i| {
                Finding::new("DF999", i.logical.range.clone(), "appends")
                    .with_fix(Fix::safe(vec![Edit::insert(i.logical.range.end, " ok")]))
            })
            .collect()
    }

    fn rule(code: &'static str, check: fn(&Document, &Settings) -> Vec<Finding>) -> Rule {
        Rule {
            code,
            name: code,
            default_enabled: true,
            check,
            source: "",
        }
    }

    #[test]
    fn a_breaking_fix_is_rolled_back_and_the_sound_one_kept() {
        let (bad, good) = (rule("DF998", breaking), rule("DF999", appending));
        let source = Source::new("FROM a\nRUN echo\n".to_string());
        let fixed = fix(
            source,
            &[&bad, &good],
            &Settings::default(),
            Applicability::Safe,
        );
        assert_eq!(fixed.source.text(), "FROM a\nRUN echo ok\n");
        assert_eq!(fixed.internal.len(), 1);
        assert_eq!(fixed.internal[0].code, ROLLED_BACK);
        assert!(fixed.internal[0]
            .message
            .contains("fix for DF998 rolled back"));
        let codes: Vec<_> = fixed.applied.iter().map(|a| a.code).collect();
        assert_eq!(codes, ["DF999"]);
    }

    /// Never settles: appends a word every round.
    fn endless(document: &Document, _: &Settings) -> Vec<Finding> {
        let run = &document.instructions[1].logical.range;
        vec![Finding::new("DF997", run.clone(), "grows")
            .with_fix(Fix::safe(vec![Edit::insert(run.end, " x")]))]
    }

    #[test]
    fn no_fixpoint_leaves_the_file_unchanged() {
        let endless = rule("DF997", endless);
        let source = Source::new("FROM a\nRUN echo\n".to_string());
        let fixed = fix(
            source,
            &[&endless],
            &Settings::default(),
            Applicability::Safe,
        );
        assert_eq!(fixed.source.text(), "FROM a\nRUN echo\n");
        assert!(fixed.applied.is_empty());
        assert!(fixed.internal[0].message.contains("no fixpoint"));
    }

    /// Deletes the second instruction (a RUN) and declares `declared` removals.
    fn deleting(document: &Document, declared: usize) -> Vec<Finding> {
        let Some(run) = document.instructions.get(1) else {
            return Vec::new();
        };
        let range = run.logical.range.start..run.logical.range.end + 1;
        let fix = Fix::safe(vec![Edit {
            range: range.clone(),
            replacement: String::new(),
        }]);
        let fix = fix
            .removing_instructions(declared)
            .dropping_commands(&["echo", "true"]);
        vec![Finding::new("DF996", range, "deletes").with_fix(fix)]
    }

    #[test]
    fn a_declared_removal_is_kept_an_undeclared_one_rolled_back() {
        let source = || Source::new("FROM a\nRUN echo\nRUN true\n".to_string());
        let declared = rule("DF996", |d, _| deleting(d, 1));
        let fixed = fix(
            source(),
            &[&declared],
            &Settings::default(),
            Applicability::Safe,
        );
        assert_eq!(fixed.source.text(), "FROM a\n");
        assert!(fixed.internal.is_empty());
        for wrong in [0, 2] {
            let document = Document::parse(source());
            let findings = deleting(&document, wrong);
            let chosen: Vec<&Finding> = findings.iter().collect();
            let error = verified(&document, &chosen).err().unwrap();
            assert!(error.contains("the instructions changed"), "{error}");
        }
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_round() {
        let findings = vec![
            Finding::new("A", 0..4, "a").with_fix(Fix::safe(vec![Edit {
                range: 0..4,
                replacement: "x".into(),
            }])),
            Finding::new("B", 2..3, "b").with_fix(Fix::safe(vec![Edit::insert(2, "y")])),
            Finding::new("C", 4..4, "c").with_fix(Fix::safe(vec![Edit::insert(4, "z")])),
        ];
        let chosen = choose(&findings, Applicability::Safe, &HashSet::new());
        let codes: Vec<_> = chosen.iter().map(|f| f.code).collect();
        assert_eq!(codes, ["A", "C"]);
    }

    /// Folds the second RUN into the first (`RUN a` ⏎ `RUN b` → `RUN a && b`), declaring the
    /// removal or not, or dropping `b`'s command.
    fn folding(document: &Document, declare: usize, join: &str) -> Vec<Finding> {
        let runs: Vec<_> = document
            .instructions
            .iter()
            .filter(|i| i.keyword == crate::document::Keyword::Run)
            .collect();
        let [a, b] = runs.as_slice() else {
            return Vec::new();
        };
        let edit = Edit {
            range: a.logical.range.end..b.logical.range.start + "RUN ".len(),
            replacement: join.to_string(),
        };
        vec![Finding::new("DF996", a.logical.range.clone(), "folds")
            .with_fix(Fix::safe(vec![edit]).removing_instructions(declare))]
    }

    fn fold_declared(document: &Document, _: &Settings) -> Vec<Finding> {
        folding(document, 1, " && ")
    }

    fn fold_undeclared(document: &Document, _: &Settings) -> Vec<Finding> {
        folding(document, 0, " && ")
    }

    fn fold_dropping(document: &Document, _: &Settings) -> Vec<Finding> {
        folding(document, 1, " && true # ")
    }

    #[test]
    fn a_fix_may_remove_the_instructions_it_declares_but_no_command() {
        let text = "FROM a\nRUN a\nRUN b\n";
        let run = |check| {
            let rule = rule("DF996", check);
            fix(
                Source::new(text.to_string()),
                &[&rule],
                &Settings::default(),
                Applicability::Safe,
            )
        };
        let fixed = run(fold_declared);
        assert_eq!(fixed.source.text(), "FROM a\nRUN a && b\n");
        assert!(fixed.internal.is_empty());
        let fixed = run(fold_undeclared);
        assert_eq!(fixed.source.text(), text);
        assert!(fixed.internal[0].message.contains("instructions changed"));
        let fixed = run(fold_dropping);
        assert_eq!(fixed.source.text(), text);
        assert!(fixed.internal[0].message.contains("`b` was dropped"));
    }
}
