//! The real-world corpus, in process: every Dockerfile listed in `../shared/corpus/MANIFEST.tsv`
//! (beside the repository) goes through the fixer with no rules and with the default rules.
//!
//! - no panic;
//! - with every rule ignored the text is byte-identical;
//! - with the default rules no fix is rolled back (DF900), and fixing the fixed text again
//!   applies nothing (idempotence).
//!
//! Files that are not text (non-UTF-8, NUL bytes) are expected errors, not failures. When the
//! corpus is absent the test prints why and passes. The command-line checks (diffs applied with
//! `patch`, BuildKit's parser) are in `.ci/corpus_gate.py`.

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use dockfix::apply::fix;
use dockfix::config::{select_rules, Settings};
use dockfix::fix::Applicability;
use dockfix::source::Source;
use rayon::prelude::*;

/// One corpus Dockerfile.
struct Entry {
    id: String,
    path: PathBuf,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

/// The corpus entries, from MANIFEST.tsv (`files/<id>.d/<last component of path>`).
fn entries(corpus: &Path) -> Vec<Entry> {
    let manifest = std::fs::read_to_string(corpus.join("MANIFEST.tsv")).unwrap_or_else(|err| {
        panic!(
            "cannot read {}: {err}",
            corpus.join("MANIFEST.tsv").display()
        )
    });
    let mut lines = manifest.lines();
    let header: Vec<&str> = lines
        .next()
        .expect("MANIFEST.tsv is empty")
        .split('\t')
        .collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|c| *c == name)
            .unwrap_or_else(|| panic!("MANIFEST.tsv has no `{name}` column"))
    };
    let (id_col, path_col) = (column("id"), column("path"));
    lines
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let id = fields[id_col].to_string();
            let name = fields[path_col].rsplit('/').next().unwrap();
            let path = corpus.join("files").join(format!("{id}.d")).join(name);
            Entry { id, path }
        })
        .collect()
}

/// What happened to one file.
enum Outcome {
    Ok { changed: bool },
    NotText(String),
    Failed(String),
}

fn check_file(entry: &Entry) -> Outcome {
    let bytes = match std::fs::read(&entry.path) {
        Ok(bytes) => bytes,
        Err(err) => return Outcome::Failed(format!("cannot read {}: {err}", entry.path.display())),
    };
    let source = match Source::from_bytes(bytes.clone()) {
        Ok(source) => source,
        Err(err) => return Outcome::NotText(err.to_string()),
    };
    let settings = Settings::default();
    let none = select_rules(&[], &["ALL".to_string()]).expect("--ignore ALL selects");
    let defaults = select_rules(&[], &[]).expect("the default rules select");
    assert!(
        none.is_empty(),
        "ignoring ALL still selects {} rules",
        none.len()
    );

    let mut problems = Vec::new();

    // No rules: the text comes back byte for byte.
    let untouched = fix(source.clone(), &none, &settings, Applicability::Safe);
    if untouched.source.text().as_bytes() != bytes.as_slice() {
        problems.push(format!(
            "with no rules the text changed:\n{}",
            first_difference(source.text(), untouched.source.text())
        ));
    }
    if !untouched.applied.is_empty() || !untouched.internal.is_empty() {
        problems.push("with no rules, fixes were applied or reported".to_string());
    }

    // The default rules: nothing rolled back, and a fixpoint.
    let fixed = fix(source.clone(), &defaults, &settings, Applicability::Safe);
    for finding in &fixed.internal {
        // The range is into the text of the round that failed, not always the original.
        problems.push(format!(
            "{} (bytes {:?}): {}",
            finding.code, finding.range, finding.message
        ));
    }
    let changed = fixed.source.text() != source.text();
    let again = fix(
        fixed.source.clone(),
        &defaults,
        &settings,
        Applicability::Safe,
    );
    if !again.applied.is_empty() || again.source.text() != fixed.source.text() {
        let codes: Vec<&str> = again.applied.iter().map(|applied| applied.code).collect();
        problems.push(format!(
            "not idempotent: fixing the fixed text applied {codes:?} again:\n{}",
            first_difference(fixed.source.text(), again.source.text())
        ));
    }
    if !again.internal.is_empty() {
        let codes: Vec<&str> = again.internal.iter().map(|f| f.code).collect();
        problems.push(format!("fixing the fixed text reported {codes:?}"));
    }

    if problems.is_empty() {
        Outcome::Ok { changed }
    } else {
        Outcome::Failed(problems.join("\n"))
    }
}

/// The first differing line of two texts, with its line number.
fn first_difference(before: &str, after: &str) -> String {
    let mut a = before.split_inclusive('\n');
    let mut b = after.split_inclusive('\n');
    let mut line = 1;
    loop {
        match (a.next(), b.next()) {
            (None, None) => return "  (same lines; the texts differ in length)".to_string(),
            (x, y) if x == y => line += 1,
            (x, y) => {
                return format!(
                    "  line {line}\n  - {:?}\n  + {:?}",
                    x.unwrap_or("<end of file>"),
                    y.unwrap_or("<end of file>")
                )
            }
        }
    }
}

#[test]
fn corpus_round_trip_and_idempotence() {
    let corpus = corpus_dir();
    if !corpus.join("MANIFEST.tsv").is_file() {
        eprintln!(
            "corpus test skipped: {} not found (it lives beside the repository in ../shared/corpus)",
            corpus.display()
        );
        return;
    }
    let entries = entries(&corpus);
    assert!(!entries.is_empty(), "MANIFEST.tsv lists no files");

    // A panic is a failure of that file only; keep the default hook quiet so the report below
    // is readable (the panic message is part of it).
    let hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let outcomes: Vec<Outcome> = entries
        .par_iter()
        .map(|entry| {
            panic::catch_unwind(AssertUnwindSafe(|| check_file(entry))).unwrap_or_else(|payload| {
                let message = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "<non-string panic>".to_string());
                Outcome::Failed(format!("panicked: {message}"))
            })
        })
        .collect();
    panic::set_hook(hook);

    let mut failures = Vec::new();
    let (mut changed, mut not_text) = (0, 0);
    for (entry, outcome) in entries.iter().zip(&outcomes) {
        match outcome {
            Outcome::Ok { changed: c } => changed += usize::from(*c),
            Outcome::NotText(why) => {
                not_text += 1;
                eprintln!("{}: not text, skipped as expected: {why}", entry.id);
            }
            Outcome::Failed(why) => {
                failures.push(format!("{} ({}):\n{why}", entry.id, entry.path.display()))
            }
        }
    }
    eprintln!(
        "corpus: {} files, {changed} changed by the default rules, {not_text} not text, {} failed",
        entries.len(),
        failures.len()
    );
    let shown: Vec<&String> = failures.iter().take(20).collect();
    assert!(
        failures.is_empty(),
        "{} of {} corpus files failed{}:\n\n{}",
        failures.len(),
        entries.len(),
        if failures.len() > shown.len() {
            " (first 20 shown)"
        } else {
            ""
        },
        shown
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}
