//! The layer merges (DF001–DF003) on the fixtures and the corpus:
//!
//! - every RUN a merge wrote passes `bash -n` when the RUNs it came from did;
//! - the adjacent RUN pairs before and after fixing, by DF001's verdict (printed; run with
//!   `--nocapture` to read them): after fixing, no pair is left that DF001 would merge.
//!
//! The corpus is `../shared/corpus/files` beside the repository, or `$DOCKFIX_CORPUS/files`;
//! `$DOCKFIX_PAIRS_DIR` counts the pairs of an already written tree instead (e.g. the output of
//! `dockfix --write`). Without a corpus only the fixtures are checked.

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use dockfix::apply::fix;
use dockfix::config::MergeOptions;
use dockfix::config::{select_rules, Settings};
use dockfix::document::{Document, Keyword};
use dockfix::fix::Applicability;
use dockfix::source::Source;
use dockfix::transforms::merge_adjacent_runs::{pairs, Verdict};
use dockfix::transforms::Rule;

fn merge_rules() -> Vec<&'static Rule> {
    select_rules(&["DF001".into(), "DF002".into(), "DF003".into()], &[]).unwrap()
}

/// Dockerfiles under `dir` (corpus layout: `<id>.d/<name>` beside META, CONTEXT, context/).
fn dockerfiles(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if path.is_dir() {
            if name != "context" {
                dockerfiles(&path, out);
            }
        } else if name != "META" && name != "CONTEXT" && !name.ends_with(".dockerignore") {
            out.push(path);
        }
    }
}

fn corpus_files() -> Vec<PathBuf> {
    let corpus = std::env::var_os("DOCKFIX_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        PathBuf::from,
    );
    let mut files = Vec::new();
    dockerfiles(&corpus.join("files"), &mut files);
    files.sort();
    files
}

fn fixture_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut files = Vec::new();
    for dir in [
        "merge-adjacent-runs",
        "cleanup-in-separate-layer",
        "download-extract-split",
    ] {
        dockerfiles(&root.join(dir), &mut files);
    }
    // Not the fixtures' configuration files (`<stem>.toml`).
    files.retain(|path| path.extension().is_some_and(|e| e == "Dockerfile"));
    files
}

fn read(path: &Path) -> Option<Source> {
    Source::from_bytes(std::fs::read(path).ok()?).ok()
}

/// The shell scripts of the document's RUNs, by the RUN's text (editable RUNs only).
fn scripts(document: &Document) -> Vec<(String, String)> {
    document
        .instructions
        .iter()
        .filter(|i| i.keyword == Keyword::Run)
        .filter_map(|i| {
            let body = i.editable_shell(document.text()).ok()?;
            let text = document.text()[i.logical.range.clone()].to_string();
            Some((text, body.script.text().to_string()))
        })
        .collect()
}

fn bash_ok(script: &str) -> bool {
    let mut child = Command::new("bash")
        .arg("-n")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("bash runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    child.wait().unwrap().success()
}

#[test]
fn merged_runs_pass_bash_n_when_the_originals_did() {
    let rules = merge_rules();
    let (mut merged, mut failures) = (0, Vec::new());
    for path in fixture_files().into_iter().chain(corpus_files()) {
        let Some(source) = read(&path) else { continue };
        let before = Document::parse(source.clone());
        let fixed = fix(source, &rules, &Settings::default(), Applicability::Unsafe);
        let after = Document::parse(fixed.source);
        let old = scripts(&before);
        let old_texts: HashSet<&str> = old.iter().map(|(text, _)| text.as_str()).collect();
        let new = scripts(&after);
        let written: Vec<&(String, String)> = new
            .iter()
            .filter(|(text, _)| !old_texts.contains(text.as_str()))
            .collect();
        if written.is_empty() {
            continue;
        }
        let new_texts: HashSet<&str> = new.iter().map(|(text, _)| text.as_str()).collect();
        let originals_ok = old
            .iter()
            .filter(|(text, _)| !new_texts.contains(text.as_str()))
            .all(|(_, script)| bash_ok(script));
        for (_, script) in written {
            merged += 1;
            if originals_ok && !bash_ok(script) {
                failures.push(format!("{}:\n{script}", path.display()));
            }
        }
    }
    println!("{merged} written RUNs checked with bash -n");
    assert!(merged > 0);
    assert!(
        failures.is_empty(),
        "bash -n fails:\n{}",
        failures.join("\n")
    );
}

/// `never:<reason>`, `skip:<reason>`, `owned`, `merge` → count.
fn histogram(documents: &[Document]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for document in documents {
        for (_, _, verdict) in pairs(document, &MergeOptions::default()) {
            let key = match verdict {
                Verdict::Merge => "merge".to_string(),
                Verdict::Owned => "owned (DF002/DF003)".to_string(),
                Verdict::Never(reason) => format!("never: {reason}"),
                Verdict::Skip(reason) => format!("skip: {reason}"),
            };
            *counts.entry(key).or_insert(0) += 1;
        }
    }
    counts
}

fn print(title: &str, counts: &BTreeMap<String, usize>) {
    let total: usize = counts.values().sum();
    println!("{title}: {total} consecutive RUN pairs");
    for (key, count) in counts {
        println!("  {count:>6}  {key}");
    }
}

#[test]
fn adjacent_run_pairs_before_and_after_fixing() {
    let rules = merge_rules();
    let files = match std::env::var_os("DOCKFIX_PAIRS_DIR") {
        Some(dir) => {
            let mut files = Vec::new();
            dockerfiles(Path::new(&dir), &mut files);
            let documents: Vec<Document> = files
                .iter()
                .filter_map(|path| read(path))
                .map(Document::parse)
                .collect();
            print("given tree", &histogram(&documents));
            return;
        }
        None => fixture_files().into_iter().chain(corpus_files()),
    };
    let (mut before, mut after) = (Vec::new(), Vec::new());
    for path in files {
        let Some(source) = read(&path) else { continue };
        let fixed = fix(
            source.clone(),
            &rules,
            &Settings::default(),
            Applicability::Safe,
        );
        before.push(Document::parse(source));
        after.push(Document::parse(fixed.source));
    }
    let (before, after) = (histogram(&before), histogram(&after));
    print("before", &before);
    print("after", &after);
    assert!(before.contains_key("merge"));
    assert_eq!(
        after.get("merge"),
        None,
        "mergeable pairs left after fixing"
    );
}
