//! The independent oracle for "splits instructions as Docker does": for every corpus file that
//! BuildKit's parser accepts (and every `../shared/grammar-cases` file), dockfix's instruction
//! list (keyword, start line, end line) equals BuildKit's.
//!
//! BuildKit's parser comes from PyPI (`dockerfile`), in the virtualenv `.ci/run` makes
//! (`target/ci-venv`) or the Python named by `DOCKFIX_BUILDKIT_PYTHON`. Skipped cleanly when
//! the corpus or that Python is absent.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use dockfix::logical;

/// An instruction's keyword, first and last line.
type Boundary = (String, usize, usize);

/// Prints, per path read from stdin, a JSON line `[path, [[CMD, start, end], …]]`, or
/// `[path, null]` when BuildKit rejects the file.
const BUILDKIT_DUMP: &str = r#"
import json, sys
import dockerfile
for path in sys.stdin.read().split("\n"):
    if not path:
        continue
    try:
        commands = [[c.cmd.upper(), c.start_line, c.end_line] for c in dockerfile.parse_file(path)]
    except Exception:
        commands = None
    print(json.dumps([path, commands]))
"#;

fn python() -> Option<PathBuf> {
    let candidate = std::env::var_os("DOCKFIX_BUILDKIT_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/ci-venv/bin/python"));
    let works = Command::new(&candidate)
        .args(["-c", "import dockerfile"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    works.then_some(candidate)
}

fn oracle_files(shared: &Path) -> Vec<PathBuf> {
    let manifest = std::fs::read_to_string(shared.join("corpus/MANIFEST.tsv")).unwrap();
    let mut lines = manifest.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (id, path, parses) = (column("id"), column("path"), column("buildkit_parses"));
    let mut files: Vec<PathBuf> = lines
        .map(|line| line.split('\t').collect::<Vec<_>>())
        .filter(|row| row[parses] == "yes")
        .map(|row| {
            let name = row[path].rsplit('/').next().unwrap();
            shared
                .join("corpus/files")
                .join(format!("{}.d", row[id]))
                .join(name)
        })
        .collect();
    if let Ok(entries) = std::fs::read_dir(shared.join("grammar-cases")) {
        files.extend(entries.map(|entry| entry.unwrap().path()));
    }
    files
}

#[test]
fn instruction_boundaries_match_buildkit() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if !shared.join("corpus/MANIFEST.tsv").is_file() {
        eprintln!("skipped: {} has no corpus", shared.display());
        return;
    }
    let Some(python) = python() else {
        eprintln!("skipped: no Python with BuildKit's parser (run .ci/run, or set DOCKFIX_BUILDKIT_PYTHON)");
        return;
    };
    let files = oracle_files(&shared);
    let mut child = Command::new(python)
        .args(["-c", BUILDKIT_DUMP])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let list: String = files.iter().map(|f| format!("{}\n", f.display())).collect();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(list.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "the BuildKit dump failed");

    let mut compared = 0;
    let mut mismatches = Vec::new();
    for line in String::from_utf8(output.stdout).unwrap().lines() {
        let (path, buildkit): (String, Option<Vec<Boundary>>) = serde_json::from_str(line).unwrap();
        let Some(buildkit) = buildkit else { continue };
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        let (_, instructions) = logical::split(&text);
        let ours: Vec<Boundary> = instructions
            .iter()
            .map(|i| (i.keyword_upper(&text), i.start_line, i.end_line))
            .collect();
        compared += 1;
        if ours != buildkit {
            let first = ours
                .iter()
                .zip(&buildkit)
                .find(|(a, b)| a != b)
                .map(|(a, b)| format!("dockfix {a:?} vs BuildKit {b:?}"))
                .unwrap_or_else(|| format!("{} vs {} instructions", ours.len(), buildkit.len()));
            mismatches.push(format!("{path}: {first}"));
        }
    }
    assert!(compared > 1000, "only {compared} files compared");
    assert!(
        mismatches.is_empty(),
        "{} of {compared} files split differently from BuildKit:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
