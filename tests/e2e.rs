//! The real-build cases under `testdata/e2e/<case>/` (see `scripts/e2e.sh`). Without Docker:
//! each case's Dockerfile gets exactly the fixes its `e2e.conf` names (`EXPECT`, with
//! `--unsafe-fixes` when `FIXES=unsafe`, without the rules in `IGNORE`), so the harness builds
//! what it claims to test. With `DOCKFIX_E2E=1`: also run the harness, which builds every case
//! before and after the fix.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;

use dockfix::apply;
use dockfix::config::{select_rules, Settings};
use dockfix::context::BuildContext;
use dockfix::document::Document;
use dockfix::fix::Applicability;
use dockfix::source::Source;

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/e2e");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// `KEY=value` and `KEY="value"` lines of an `e2e.conf` (a file bash sources).
fn conf(dir: &Path) -> HashMap<String, String> {
    let text = std::fs::read_to_string(dir.join("e2e.conf")).unwrap();
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (key.to_string(), value.trim_matches('"').to_string()))
        .collect()
}

#[test]
fn cases_get_the_fixes_they_name() {
    let cases = cases();
    assert!(!cases.is_empty());
    for dir in cases {
        let conf = conf(&dir);
        let name = dir.file_name().unwrap().to_str().unwrap();
        let ignore: Vec<String> = conf.get("IGNORE").into_iter().cloned().collect();
        let rules = select_rules(&[], &ignore).unwrap();
        let minimum = match conf.get("FIXES").map(String::as_str) {
            None | Some("safe") => Applicability::Safe,
            Some("unsafe") => Applicability::Unsafe,
            Some(other) => panic!("{name}: FIXES={other}"),
        };
        let dockerfile = dir.join("Dockerfile");
        let source = Source::from_bytes(std::fs::read(&dockerfile).unwrap()).unwrap();
        let context = Rc::new(BuildContext::for_dockerfile(&dockerfile, Some(&dir)));
        let document = Document::parse(source).with_context(Some(context));
        let fixed = apply::fix_document(document, &rules, &Settings::default(), minimum);
        assert!(fixed.internal.is_empty(), "{name}: {:?}", fixed.internal);
        let applied: BTreeSet<&str> = fixed.applied.iter().map(|a| a.code).collect();
        let expected: BTreeSet<&str> = conf["EXPECT"].split(',').collect();
        assert_eq!(applied, expected, "{name}: the fixes applied");
        for key in ["PROVES", "BASE", "SMOKE_PORT", "SMOKE_EXPECT", "EDIT"] {
            assert!(conf.contains_key(key), "{name}: e2e.conf lacks {key}");
        }
        assert!(
            dir.join(&conf["EDIT"]).is_file(),
            "{name}: EDIT names no file"
        );
    }
}

#[test]
fn harness_builds_every_case() {
    if std::env::var_os("DOCKFIX_E2E").is_none() {
        eprintln!("skipped: set DOCKFIX_E2E=1 to build the cases with Docker (scripts/e2e.sh)");
        return;
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let status = Command::new("bash")
        .arg(repo.join("scripts/e2e.sh"))
        .arg("--dockfix")
        .arg(env!("CARGO_BIN_EXE_dockfix"))
        .status()
        .expect("bash runs");
    assert!(
        status.success(),
        "scripts/e2e.sh failed: see target/e2e-report.md"
    );
}
