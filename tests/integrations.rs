//! The integrations shipped in the repository run dockfix the way they say: the pre-commit
//! hooks' entries and file patterns, and the GitHub Action's commands.

use std::path::Path;
use std::process::Command;

fn repo_file(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(name)).unwrap()
}

/// The value of `key: value` lines of a small YAML file, in order.
fn values<'a>(yaml: &'a str, key: &str) -> Vec<&'a str> {
    yaml.lines()
        .filter_map(|line| line.trim().trim_start_matches("- ").strip_prefix(key))
        .filter_map(|rest| rest.strip_prefix(':'))
        .map(|value| value.trim().trim_matches('\''))
        .collect()
}

#[test]
fn pre_commit_hooks_run_dockfix_on_dockerfiles() {
    let hooks = repo_file(".pre-commit-hooks.yaml");
    assert_eq!(values(&hooks, "id"), ["dockfix", "dockfix-diff"]);
    let files = regex::Regex::new(values(&hooks, "files")[0]).unwrap();
    for name in [
        "Dockerfile",
        "app/Dockerfile.prod",
        "Containerfile",
        "web.dockerfile",
        "a/Dockerfile-alpine",
    ] {
        assert!(files.is_match(name), "{name}");
    }
    for name in ["README.md", "Dockerfiles/x.txt", "docker-compose.yml"] {
        assert!(!files.is_match(name), "{name}");
    }
    let dir = tempfile::tempdir().unwrap();
    let dockerfile = dir.path().join("Dockerfile");
    std::fs::write(&dockerfile, "FROM python:3.12\nRUN pip install flask\n").unwrap();
    // pre-commit passes the matching file names after the entry.
    for entry in values(&hooks, "entry") {
        let mut words = entry.split_whitespace();
        assert_eq!(words.next(), Some("dockfix"));
        let status = Command::new(env!("CARGO_BIN_EXE_dockfix"))
            .args(words)
            .arg("Dockerfile")
            .current_dir(dir.path())
            .status()
            .unwrap();
        assert!(matches!(status.code(), Some(0 | 1)), "{entry}: {status}");
    }
    assert!(std::fs::read_to_string(&dockerfile)
        .unwrap()
        .contains("--no-cache-dir"));
}

#[test]
fn action_commands_use_existing_flags() {
    let action = repo_file("action.yml");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM python:3.12\nRUN pip install flask\n",
    )
    .unwrap();
    for line in action
        .lines()
        .filter(|line| line.contains("/bin/dockfix\""))
    {
        let flags = line.split("/bin/dockfix\"").nth(1).unwrap();
        let flags: Vec<&str> = flags
            .split_whitespace()
            .take_while(|word| !word.starts_with("${{"))
            .collect();
        let output = Command::new(env!("CARGO_BIN_EXE_dockfix"))
            .args(&flags)
            .arg(".")
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{flags:?}: --exit-zero keeps the step green"
        );
        assert!(!output.stdout.is_empty(), "{flags:?}");
    }
}
