//! CLI tests: run the `dockfix` binary as a user would.

#[path = "support/run.rs"]
mod run;
use run::dockfix;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const NEEDS_FLAG: &str =
    "FROM debian:bookworm\nRUN apt-get update && apt-get install -y jq && rm -rf /var/lib/apt/lists/*\n";
const CLEAN: &str = "FROM debian:bookworm\nRUN echo hello\n";

fn dockfix_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dockfix"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Write `dir/dockfix.toml`.
fn configure(dir: &Path, toml: &str) {
    std::fs::write(dir.join("dockfix.toml"), toml).unwrap();
}

/// What `dockfix Dockerfile` prints on stderr in `dir` configured with `toml`.
fn config_error(dir: &Path, toml: &str) -> String {
    configure(dir, toml);
    text(&dockfix(dir, &["Dockerfile"]).stderr)
}

fn tree(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, content) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    dir
}

#[test]
fn report_lists_findings_and_exits_1() {
    let dir = tree(&[("Dockerfile", NEEDS_FLAG.as_bytes())]);
    let out = dockfix(dir.path(), &["Dockerfile"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        "Dockerfile:2:23: DF101 `apt-get install` without `--no-install-recommends` [*]\n"
    );
}

#[test]
fn clean_file_exits_0_and_is_byte_identical_after_write() {
    let dir = tree(&[("Dockerfile", CLEAN.as_bytes())]);
    assert_eq!(dockfix(dir.path(), &["Dockerfile"]).status.code(), Some(0));
    let before = std::fs::metadata(dir.path().join("Dockerfile")).unwrap();
    let out = dockfix(dir.path(), &["--write", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(0));
    let after = std::fs::metadata(dir.path().join("Dockerfile")).unwrap();
    assert_eq!(before.modified().unwrap(), after.modified().unwrap());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap(),
        CLEAN
    );
}

#[test]
fn diff_applies_with_patch_and_git_and_matches_write() {
    let crlf = b"FROM python:3.12\r\nRUN pip install \\\r\n    flask\r\nRUN apt-get install -y zip";
    let files: &[(&str, &[u8])] = &[
        ("app/Dockerfile", NEEDS_FLAG.as_bytes()),
        ("svc/Dockerfile.dev", crlf),
        ("clean/Dockerfile", CLEAN.as_bytes()),
    ];
    let dir = tree(files);
    let out = dockfix(dir.path(), &["--diff", "."]);
    assert_eq!(out.status.code(), Some(1));
    let patch_text = out.stdout;
    assert!(text(&patch_text).contains("--- a/app/Dockerfile\n+++ b/app/Dockerfile\n"));
    assert!(text(&patch_text).contains("\\ No newline at end of file"));

    let patched = tree(files);
    let mut patch = Command::new("patch")
        .args(["-p1", "--quiet", "--batch"])
        .current_dir(patched.path())
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    patch.stdin.take().unwrap().write_all(&patch_text).unwrap();
    assert!(patch.wait().unwrap().success());

    let git_checked = tree(files);
    let patch_file = git_checked.path().join("changes.patch");
    std::fs::write(&patch_file, &patch_text).unwrap();
    let git = Command::new("git")
        .args(["apply", "--check", "changes.patch"])
        .current_dir(git_checked.path())
        .output()
        .unwrap();
    assert!(git.status.success(), "git apply: {}", text(&git.stderr));

    assert_eq!(
        dockfix(dir.path(), &["--write", "-q", "."]).status.code(),
        Some(0)
    );
    for (path, _) in files {
        let written = std::fs::read(dir.path().join(path)).unwrap();
        let via_patch = std::fs::read(patched.path().join(path)).unwrap();
        assert_eq!(text(&written), text(&via_patch), "{path}");
    }
    let crlf_written = std::fs::read(dir.path().join("svc/Dockerfile.dev")).unwrap();
    assert_eq!(
        text(&crlf_written),
        "FROM python:3.12\r\nRUN pip install --no-cache-dir \\\r\n    flask \\\r\n    && apt-get install --no-install-recommends -y zip"
    );
    // Idempotent: nothing left to change.
    assert_eq!(dockfix(dir.path(), &["--diff", "."]).stdout, b"");
}

#[test]
fn check_prints_only_paths_that_would_change() {
    let dir = tree(&[
        ("a/Dockerfile", NEEDS_FLAG.as_bytes()),
        ("b/Dockerfile", CLEAN.as_bytes()),
    ]);
    let out = dockfix(dir.path(), &["--check", "."]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "a/Dockerfile\n");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a/Dockerfile")).unwrap(),
        NEEDS_FLAG
    );
}

#[cfg(unix)]
#[test]
fn write_keeps_permissions_and_symlinks() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tree(&[("real/Dockerfile", NEEDS_FLAG.as_bytes())]);
    let real = dir.path().join("real/Dockerfile");
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o751)).unwrap();
    std::os::unix::fs::symlink(&real, dir.path().join("Dockerfile")).unwrap();
    let out = dockfix(dir.path(), &["--write", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let link = std::fs::symlink_metadata(dir.path().join("Dockerfile")).unwrap();
    assert!(link.file_type().is_symlink());
    assert!(std::fs::read_to_string(&real)
        .unwrap()
        .contains("--no-install-recommends"));
    let mode = std::fs::metadata(&real).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o751);
}

#[test]
fn read_only_file_is_an_error_and_other_files_go_on() {
    let dir = tree(&[
        ("a/Dockerfile", NEEDS_FLAG.as_bytes()),
        ("b/Dockerfile", NEEDS_FLAG.as_bytes()),
    ]);
    let locked = dir.path().join("a/Dockerfile");
    let mut permissions = std::fs::metadata(&locked).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&locked, permissions).unwrap();
    let out = dockfix(dir.path(), &["--write", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("a/Dockerfile: error: cannot write: the file is read-only"));
    assert_eq!(std::fs::read_to_string(&locked).unwrap(), NEEDS_FLAG);
    assert!(std::fs::read_to_string(dir.path().join("b/Dockerfile"))
        .unwrap()
        .contains("--no-install-recommends"));
}

#[test]
fn bad_input_gets_a_clear_error_with_path_and_line() {
    let dir = tree(&[
        ("utf8/Dockerfile", b"FROM a\nRUN echo \xff\n"),
        ("binary/Dockerfile", b"FROM a\n\0\0\0"),
        ("ok/Dockerfile", NEEDS_FLAG.as_bytes()),
    ]);
    std::fs::create_dir_all(dir.path().join("dir/Dockerfile")).unwrap();
    let out = dockfix(dir.path(), &[".", "missing/Dockerfile"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("utf8/Dockerfile: error: line 2: not valid UTF-8 (line 2, column 10)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("binary/Dockerfile: error: line 2: binary file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("missing/Dockerfile: error: no such file or directory"),
        "{stderr}"
    );
    assert!(text(&out.stdout).contains("ok/Dockerfile:2:23: DF101"));
}

#[test]
fn unknown_rule_selector_is_an_error() {
    let dir = tree(&[("Dockerfile", CLEAN.as_bytes())]);
    let out = dockfix(dir.path(), &["--select", "DF999", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unknown rule selector `DF999`"));
}

#[test]
fn select_and_ignore_choose_rules() {
    let both = "FROM python:3.12\nRUN apt-get install -y zip && pip install flask\n";
    let dir = tree(&[("Dockerfile", both.as_bytes())]);
    let only_pip = dockfix(dir.path(), &["--select", "DF120", "Dockerfile"]);
    assert!(text(&only_pip.stdout).contains("DF120"));
    assert!(!text(&only_pip.stdout).contains("DF101"));
    let none = dockfix(dir.path(), &["--ignore", "ALL", "Dockerfile"]);
    assert_eq!(none.status.code(), Some(0));
    assert_eq!(none.stdout, b"");
}

#[test]
fn stdin_is_read_and_fixed_text_written_to_stdout() {
    let out = dockfix_stdin(&["--write", "-"], NEEDS_FLAG.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout),
        "FROM debian:bookworm\nRUN apt-get update && apt-get install --no-install-recommends -y jq && rm -rf /var/lib/apt/lists/*\n"
    );
    let diff = dockfix_stdin(
        &["--diff", "--stdin-filename", "x/Dockerfile"],
        NEEDS_FLAG.as_bytes(),
    );
    assert_eq!(diff.status.code(), Some(1));
    assert!(text(&diff.stdout).starts_with("--- a/x/Dockerfile\n+++ b/x/Dockerfile\n"));
}

#[test]
fn directory_walk_finds_dockerfiles_and_honours_gitignore() {
    let dir = tree(&[
        ("Dockerfile", NEEDS_FLAG.as_bytes()),
        ("svc/api.Dockerfile", NEEDS_FLAG.as_bytes()),
        (".devcontainer/Dockerfile", NEEDS_FLAG.as_bytes()),
        ("Dockerfile.dockerignore", b"node_modules\n"),
        ("vendor/Dockerfile", NEEDS_FLAG.as_bytes()),
        (".gitignore", b"vendor/\n"),
        ("README.md", b"RUN apt-get install -y x\n"),
    ]);
    let out = dockfix(dir.path(), &["--check", "."]);
    let mut paths: Vec<PathBuf> = text(&out.stdout).lines().map(PathBuf::from).collect();
    paths.sort();
    let expected: Vec<PathBuf> = [
        ".devcontainer/Dockerfile",
        "Dockerfile",
        "svc/api.Dockerfile",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    assert_eq!(paths, expected);
}

#[test]
fn empty_and_comment_only_files_are_fine() {
    let dir = tree(&[("a/Dockerfile", b""), ("b/Dockerfile", b"# only a comment")]);
    let out = dockfix(dir.path(), &["--write", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read(dir.path().join("b/Dockerfile")).unwrap(),
        b"# only a comment"
    );
}

#[test]
fn explain_prints_the_rule_documentation() {
    let dir = tree(&[]);
    let out = dockfix(dir.path(), &["--explain", "DF101"]);
    assert_eq!(out.status.code(), Some(0));
    let explanation = text(&out.stdout);
    assert!(explanation.starts_with("DF101 `apt-no-install-recommends`"));
    assert!(explanation.contains("**Fix safety.**"));
    assert_eq!(
        dockfix(dir.path(), &["--explain", "DF999"]).status.code(),
        Some(2)
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_and_its_target_in_one_tree_are_processed_once() {
    let dir = tree(&[("Dockerfile.real", NEEDS_FLAG.as_bytes())]);
    std::os::unix::fs::symlink("Dockerfile.real", dir.path().join("Dockerfile")).unwrap();
    let out = dockfix(dir.path(), &["--diff", "."]);
    assert_eq!(text(&out.stdout).matches("+++ ").count(), 1);
    let out = dockfix(dir.path(), &["--write", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(std::fs::read_to_string(dir.path().join("Dockerfile.real"))
        .unwrap()
        .contains("--no-install-recommends"));
}

#[cfg(unix)]
#[test]
fn hard_links_are_separate_files_and_each_is_fixed() {
    let dir = tree(&[("a/Dockerfile", NEEDS_FLAG.as_bytes())]);
    std::fs::create_dir(dir.path().join("b")).unwrap();
    std::fs::hard_link(
        dir.path().join("a/Dockerfile"),
        dir.path().join("b/Dockerfile"),
    )
    .unwrap();
    let out = dockfix(dir.path(), &["--write", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // A write replaces one name: the other keeps the old text unless it is fixed too.
    for name in ["a/Dockerfile", "b/Dockerfile"] {
        let written = std::fs::read_to_string(dir.path().join(name)).unwrap();
        assert!(
            written.contains("--no-install-recommends"),
            "{name}: {written}"
        );
    }
}

#[test]
fn json_format_reports_findings_summary_and_statistics() {
    let dir = tree(&[
        ("Dockerfile", NEEDS_FLAG.as_bytes()),
        ("bad/Dockerfile", b"\xff"),
    ]);
    let out = dockfix(dir.path(), &["--format", "json", "--statistics", "."]);
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = json["files"].as_array().unwrap();
    let good = files.iter().find(|f| f["path"] == "Dockerfile").unwrap();
    assert_eq!(good["findings"][0]["code"], "DF101");
    assert_eq!(good["findings"][0]["line"], 2);
    assert_eq!(good["findings"][0]["fix"]["applicability"], "safe");
    let bad = files
        .iter()
        .find(|f| f["path"] == "bad/Dockerfile")
        .unwrap();
    assert!(bad["error"].as_str().unwrap().contains("not valid UTF-8"));
    assert_eq!(json["summary"]["findings"], 1);
    assert_eq!(json["statistics"]["files"], 2);
    assert_eq!(json["statistics"]["opaque_instructions"], 0);
    assert_eq!(json["statistics"]["rules"]["DF101"]["found"], 1);
    let diff = dockfix(dir.path(), &["--format", "json", "--diff", "Dockerfile"]);
    let json: serde_json::Value = serde_json::from_slice(&diff.stdout).unwrap();
    assert!(json["files"][0]["diff"]
        .as_str()
        .unwrap()
        .starts_with("--- a/Dockerfile"));
}

#[test]
fn a_missing_dockerignore_is_created_and_never_replaced() {
    let dockerfile = "FROM python:3.12\nWORKDIR /app\nCOPY . .\nCMD [\"python\", \"app.py\"]\n";
    let dir = tree(&[
        ("app/Dockerfile", dockerfile.as_bytes()),
        ("app/requirements.txt", b"flask\n"),
    ]);
    let safe = dockfix(dir.path(), &["--diff", "app"]);
    assert!(
        !text(&safe.stdout).contains(".dockerignore"),
        "DF201 is unsafe"
    );
    let diff = dockfix(dir.path(), &["--diff", "--unsafe-fixes", "app"]);
    let patch = text(&diff.stdout);
    assert!(
        patch.contains("--- /dev/null\n+++ b/app/.dockerignore\n"),
        "{patch}"
    );
    let git_checked = tree(&[("app/Dockerfile", dockerfile.as_bytes())]);
    std::fs::write(git_checked.path().join("p.diff"), &patch).unwrap();
    let git = Command::new("git")
        .args(["apply", "p.diff"])
        .current_dir(git_checked.path())
        .output()
        .unwrap();
    assert!(git.status.success(), "{}", text(&git.stderr));
    assert!(git_checked.path().join("app/.dockerignore").is_file());

    let out = dockfix(dir.path(), &["--write", "--unsafe-fixes", "app"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let created = std::fs::read_to_string(dir.path().join("app/.dockerignore")).unwrap();
    assert!(created.contains("\n.git\n") && created.contains("**/__pycache__"));
    let again = dockfix(dir.path(), &["--diff", "--unsafe-fixes", "app"]);
    assert_eq!(text(&again.stdout), "", "idempotent: the file exists now");
}

/// Two findings (DF101 and DF103 on one command) to select among.
const TWO_RULES: &str = "FROM debian:bookworm\nRUN apt-get update && apt-get install jq && rm -rf /var/lib/apt/lists/*\n";

fn codes(out: &Output) -> Vec<String> {
    text(&out.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().nth(1).map(str::to_string))
        .collect()
}

#[test]
fn configuration_file_then_flags_then_inline_suppression() {
    let dir = tree(&[
        (
            "dockfix.toml",
            b"select = [\"DF101\", \"DF103\"]\nignore = [\"DF103\"]\n",
        ),
        ("app/Dockerfile", TWO_RULES.as_bytes()),
    ]);
    // The nearest configuration above the file: only DF101 (DF103 ignored).
    let out = dockfix(dir.path(), &["app"]);
    assert_eq!(codes(&out), ["DF101"]);
    // A flag's --select replaces the file's select and ignore; --extend-select adds.
    assert_eq!(
        codes(&dockfix(dir.path(), &["--select", "DF103", "app"])),
        ["DF103"]
    );
    let out = dockfix(dir.path(), &["--extend-select", "DF103", "app"]);
    assert_eq!(codes(&out), ["DF101", "DF103"]);
    // --ignore removes from the file's selection; --isolated ignores the file.
    assert!(codes(&dockfix(dir.path(), &["--ignore", "DF101", "app"])).is_empty());
    let isolated = codes(&dockfix(dir.path(), &["--isolated", "app"]));
    assert!(isolated.contains(&"DF103".to_string()), "{isolated:?}");
    // Inline suppression wins over everything selected.
    let suppressed = TWO_RULES.replace("RUN", "# dockfix: ignore=DF101 # wanted\nRUN");
    std::fs::write(dir.path().join("app/Dockerfile"), suppressed).unwrap();
    assert!(codes(&dockfix(dir.path(), &["--select", "DF101,DF590", "app"])).is_empty());
    // A nearer configuration file wins over the outer one.
    std::fs::write(
        dir.path().join("app/.dockfix.toml"),
        "select = [\"DF103\"]\n",
    )
    .unwrap();
    let out = dockfix(dir.path(), &["app/Dockerfile"]);
    assert_eq!(codes(&out), ["DF103"], "{}", text(&out.stdout));
}

#[test]
fn unsafe_fixes_from_the_file_and_the_flag_that_overrides_it() {
    let dockerfile = "FROM alpine:3.20\nENTRYPOINT /usr/bin/app --serve\n";
    let dir = tree(&[
        (
            "dockfix.toml",
            b"select = [\"DF401\"]\nunsafe-fixes = true\n",
        ),
        ("Dockerfile", dockerfile.as_bytes()),
    ]);
    let out = dockfix(dir.path(), &["--diff", "Dockerfile"]);
    assert!(text(&out.stdout).contains("+ENTRYPOINT [\"/usr/bin/app\", \"--serve\"]"));
    let out = dockfix(dir.path(), &["--diff", "--no-unsafe-fixes", "Dockerfile"]);
    assert_eq!(text(&out.stdout), "");
}

#[test]
fn exclude_skips_files_found_in_directories_but_not_named_ones() {
    let dir = tree(&[
        ("dockfix.toml", b"exclude = [\"vendor\"]\n"),
        ("vendor/x/Dockerfile", NEEDS_FLAG.as_bytes()),
        ("Dockerfile", CLEAN.as_bytes()),
    ]);
    assert_eq!(dockfix(dir.path(), &["."]).status.code(), Some(0));
    let named = dockfix(dir.path(), &["vendor/x/Dockerfile"]);
    assert_eq!(named.status.code(), Some(1));
}

#[test]
fn a_bad_configuration_is_an_error_naming_the_file_and_key() {
    let dir = tree(&[
        ("dockfix.toml", b"selct = [\"DF101\"]\n"),
        ("Dockerfile", CLEAN.as_bytes()),
    ]);
    let out = dockfix(dir.path(), &["Dockerfile"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("dockfix.toml: unknown key `selct`"),
        "{stderr}"
    );
}

#[test]
fn merge_policy_from_the_configuration() {
    let dockerfile = "FROM debian:12\nRUN a && b && c && d\nRUN e\n";
    let dir = tree(&[
        (
            "dockfix.toml",
            b"select = [\"DF001\"]\n[rules.merge-adjacent-runs]\nmax-commands = 4\n",
        ),
        ("Dockerfile", dockerfile.as_bytes()),
    ]);
    let out = dockfix(dir.path(), &["--diff", "Dockerfile"]);
    assert!(
        text(&out.stdout).contains("+    && e"),
        "{}",
        text(&out.stdout)
    );
    configure(
        dir.path(),
        "select = [\"DF001\"]\n[rules.DF001]\nmerge = \"off\"\n",
    );
    assert_eq!(
        text(&dockfix(dir.path(), &["--diff", "Dockerfile"]).stdout),
        ""
    );
}

#[test]
fn show_settings_and_rules_table() {
    let dir = tree(&[
        (
            "dockfix.toml",
            b"select = [\"DF4\"]\nhadolint-pragmas = false\n",
        ),
        ("Dockerfile", CLEAN.as_bytes()),
    ]);
    let out = dockfix(dir.path(), &["--show-settings", "--extend-select", "DF501"]);
    let shown = text(&out.stdout);
    assert!(shown.contains("dockfix.toml"), "{shown}");
    assert!(
        shown.contains("\"DF400\"") && shown.contains("\"DF501\"") && !shown.contains("\"DF101\"")
    );
    assert!(shown.contains("hadolint-pragmas = false"));
    let table = text(&dockfix(dir.path(), &["rules"]).stdout);
    assert!(table.starts_with("code"));
    assert!(table
        .lines()
        .any(|l| l.starts_with("DF410") && l.contains("Unsafe") && l.ends_with("off")));
    assert!(table
        .lines()
        .any(|l| l.starts_with("DF101") && l.contains("Safe") && l.ends_with("on")));
}
#[test]
fn a_bare_file_name_finds_the_configuration_above_the_current_directory() {
    let dir = tree(&[
        ("pyproject.toml", b"[tool.dockfix]\nselect = [\"DF103\"]\n"),
        ("app/Dockerfile", TWO_RULES.as_bytes()),
    ]);
    let app = dir.path().join("app");
    assert_eq!(codes(&dockfix(&app, &["Dockerfile"])), ["DF103"]);
    let shown = text(&dockfix(&app, &["--show-settings", "Dockerfile"]).stdout);
    assert!(shown.contains("pyproject.toml"), "{shown}");
}

#[test]
fn pyproject_tool_dockfix_is_found_after_the_dockfix_files() {
    let pyproject = b"[project]\nname = \"app\"\n\n[tool.dockfix]\nselect = [\"DF103\"]\n";
    let dir = tree(&[
        ("pyproject.toml", pyproject),
        ("app/Dockerfile", TWO_RULES.as_bytes()),
        // A pyproject.toml without [tool.dockfix] is passed over, also when it names dockfix.
        (
            "app/pyproject.toml",
            b"[tool.ruff]\nexclude = [\"dockfix\"]\n",
        ),
    ]);
    let out = dockfix(dir.path(), &["app"]);
    assert_eq!(codes(&out), ["DF103"], "{}", text(&out.stderr));
    let shown = text(&dockfix(dir.path(), &["--show-settings", "app/Dockerfile"]).stdout);
    let found = dir.path().join("pyproject.toml").canonicalize().unwrap();
    assert!(
        shown.contains(&format!("# configuration file: {}", found.display())),
        "{shown}"
    );
    // The command line still wins over the file.
    assert_eq!(
        codes(&dockfix(dir.path(), &["--select", "DF101", "app"])),
        ["DF101"]
    );
    // In one directory: .dockfix.toml, then dockfix.toml, then pyproject.toml.
    std::fs::write(dir.path().join("dockfix.toml"), "select = [\"DF101\"]\n").unwrap();
    assert_eq!(codes(&dockfix(dir.path(), &["app"])), ["DF101"]);
    std::fs::write(
        dir.path().join(".dockfix.toml"),
        "select = [\"DF101\", \"DF103\"]\n",
    )
    .unwrap();
    assert_eq!(codes(&dockfix(dir.path(), &["app"])), ["DF101", "DF103"]);
    // Named with --config, a pyproject.toml is read for its [tool.dockfix] table too.
    let out = dockfix(dir.path(), &["--config", "pyproject.toml", "app"]);
    assert_eq!(codes(&out), ["DF103"], "{}", text(&out.stderr));
    let out = dockfix(dir.path(), &["--config", "app/pyproject.toml", "app"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no `[tool.dockfix]` table"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_bad_tool_dockfix_table_is_an_error_naming_the_pyproject() {
    let dir = tree(&[
        ("pyproject.toml", b"[tool.dockfix]\nselct = [\"DF101\"]\n"),
        ("Dockerfile", CLEAN.as_bytes()),
    ]);
    let out = dockfix(dir.path(), &["Dockerfile"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("pyproject.toml: unknown key `selct`"),
        "{stderr}"
    );
    // Not valid TOML but naming dockfix: reported, not passed over for another file.
    std::fs::write(dir.path().join("pyproject.toml"), "[tool.dockfix\n").unwrap();
    let out = dockfix(dir.path(), &["Dockerfile"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("pyproject.toml: "));
}

#[test]
fn merge_across_metadata_from_the_configuration_and_inline_pragmas() {
    let dockerfile = "FROM debian:12\nRUN echo a\nEXPOSE 80\nRUN echo b\n";
    let dir = tree(&[
        ("dockfix.toml", b"select = [\"DF001\"]\n"),
        ("Dockerfile", dockerfile.as_bytes()),
    ]);
    // Off by default: two layers stay.
    assert_eq!(
        text(&dockfix(dir.path(), &["--diff", "Dockerfile"]).stdout),
        ""
    );
    configure(
        dir.path(),
        "select = [\"DF001\"]\n[rules.DF001]\nmerge-across-metadata = true\n",
    );
    let out = dockfix(dir.path(), &["--write", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap(),
        "FROM debian:12\nRUN echo a \\\n    && echo b\nEXPOSE 80\n"
    );
    // The command line can still turn the rule off; a pragma on the second RUN keeps it apart.
    std::fs::write(dir.path().join("Dockerfile"), dockerfile).unwrap();
    let out = dockfix(dir.path(), &["--diff", "--ignore", "DF001", "Dockerfile"]);
    assert_eq!(text(&out.stdout), "");
    let pragma = dockerfile.replace("RUN echo b", "# dockfix: ignore=DF001\nRUN echo b");
    std::fs::write(dir.path().join("Dockerfile"), pragma).unwrap();
    assert_eq!(
        text(&dockfix(dir.path(), &["--diff", "Dockerfile"]).stdout),
        ""
    );
    // A bad value names the key.
    let stderr = config_error(
        dir.path(),
        "[rules.merge-adjacent-runs]\nmerge-across-metadata = \"yes\"\n",
    );
    assert!(
        stderr.contains("`rules.merge-adjacent-runs.merge-across-metadata` must be true or false"),
        "{stderr}"
    );
}

#[test]
fn allowed_registries_from_the_file_then_flags_then_pragmas() {
    let dockerfile = "FROM ghcr.io/org/app:1\nCOPY --from=quay.io/x/y:2 /y /y\n";
    let dir = tree(&[("Dockerfile", dockerfile.as_bytes())]);
    // Without the option DF511 reports nothing, and a `# dockfix: ignore=DF511` is unused.
    let out = dockfix(dir.path(), &["Dockerfile"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let unused = format!("# dockfix: ignore=DF511\n{dockerfile}");
    std::fs::write(dir.path().join("Dockerfile"), &unused).unwrap();
    assert_eq!(codes(&dockfix(dir.path(), &["Dockerfile"])), ["DF590"]);
    std::fs::write(dir.path().join("Dockerfile"), dockerfile).unwrap();
    configure(
        dir.path(),
        "[rules.DF511]\nallowed-registries = [\"docker.io\", \"*.corp.example\"]\n",
    );
    let out = dockfix(dir.path(), &["Dockerfile"]);
    assert_eq!(codes(&out), ["DF511", "DF511"]);
    assert!(text(&out.stdout).starts_with(
        "Dockerfile:1:1: DF511 `ghcr.io/org/app:1` comes from `ghcr.io`, which `allowed-registries` does not list\n"
    ));
    assert!(codes(&dockfix(dir.path(), &["--ignore", "DF511", "Dockerfile"])).is_empty());
    // `# hadolint ignore=DL3026` maps to DF511 (RULES.md §13), unless hadolint-pragmas = false.
    let hadolint = format!("# hadolint ignore=DL3026\n{dockerfile}");
    std::fs::write(dir.path().join("Dockerfile"), &hadolint).unwrap();
    assert_eq!(codes(&dockfix(dir.path(), &["Dockerfile"])), ["DF511"]);
    configure(dir.path(), "hadolint-pragmas = false\n[rules.disallowed-registry]\nallowed-registries = [\"docker.io\"]\n");
    assert_eq!(
        codes(&dockfix(dir.path(), &["Dockerfile"])),
        ["DF511", "DF511"]
    );
    std::fs::write(dir.path().join("Dockerfile"), &unused).unwrap();
    assert_eq!(codes(&dockfix(dir.path(), &["Dockerfile"])), ["DF511"]);
    // A pattern with `*` inside is an error.
    let stderr = config_error(
        dir.path(),
        "[rules.DF511]\nallowed-registries = [\"a*b\"]\n",
    );
    assert!(
        stderr.contains("`a*b` is not a registry pattern"),
        "{stderr}"
    );
}

#[test]
fn hadolint_shell_pragma_leaves_the_stage_alone_unless_pragmas_are_off() {
    let dockerfile =
        "FROM registry.example.com/windows:2022\n# hadolint shell=powershell\nRUN pip install flask\n";
    let dir = tree(&[("Dockerfile", dockerfile.as_bytes())]);
    let out = dockfix(dir.path(), &["--diff", "Dockerfile"]);
    assert_eq!(text(&out.stdout), "");
    let out = dockfix(dir.path(), &["--show-skipped", "Dockerfile"]);
    assert!(
        text(&out.stdout).contains("DF120 skipped (non-posix)"),
        "{}",
        text(&out.stdout)
    );
    configure(dir.path(), "hadolint-pragmas = false\n");
    let out = dockfix(dir.path(), &["--diff", "Dockerfile"]);
    assert!(
        text(&out.stdout).contains("+RUN pip install --no-cache-dir flask"),
        "{}",
        text(&out.stdout)
    );
    // --isolated ignores the file: the pragma counts again.
    let out = dockfix(dir.path(), &["--diff", "--isolated", "Dockerfile"]);
    assert_eq!(text(&out.stdout), "");
}

#[test]
fn default_codename_gives_a_runtime_to_a_go_version_the_table_lacks() {
    let dockerfile = "FROM golang:1.18\nWORKDIR /app\nCOPY . .\nRUN go build -o /app/server .\nCMD [\"/app/server\"]\n";
    let dir = tree(&[
        ("Dockerfile", dockerfile.as_bytes()),
        ("go.mod", b"module example.com/server\n\ngo 1.18\n"),
    ]);
    let args = [
        "--select",
        "DF300",
        "--unsafe-fixes",
        "--diff",
        "Dockerfile",
    ];
    let out = dockfix(
        dir.path(),
        &["--select", "DF300", "--show-skipped", "Dockerfile"],
    );
    assert!(
        text(&out.stdout).contains("DF300 skipped (version-unknown)"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(text(&dockfix(dir.path(), &args).stdout), "");
    configure(
        dir.path(),
        "[rules.DF300]\ndefault-codename = \"bullseye\"\n",
    );
    let diff = text(&dockfix(dir.path(), &args).stdout);
    assert!(diff.contains("+FROM debian:bullseye-slim\n"), "{diff}");
    // Only the Debian releases dockfix knows, as a string.
    for (value, error) in [
        ("\"sid\"", "`sid` is not a Debian release dockfix knows"),
        ("12", "`rules.DF300.default-codename` must be a string"),
    ] {
        configure(
            dir.path(),
            &format!("[rules.DF300]\ndefault-codename = {value}\n"),
        );
        let stderr = text(&dockfix(dir.path(), &args).stderr);
        assert!(stderr.contains(error), "{stderr}");
    }
}

#[test]
fn static_runtime_image_replaces_nginx_for_a_node_static_site() {
    let dockerfile = "FROM node:18-bookworm\nWORKDIR /app\nCOPY . .\nRUN npm install && npm run build\nCMD [\"npx\", \"serve\", \"-s\", \"build\"]\n";
    let dir = tree(&[
        ("Dockerfile", dockerfile.as_bytes()),
        (
            "package.json",
            br#"{"scripts":{"build":"react-scripts build"},"dependencies":{"react-scripts":"5.0.1"}}"#,
        ),
    ]);
    let args = [
        "--select",
        "DF300",
        "--unsafe-fixes",
        "--diff",
        "Dockerfile",
    ];
    let diff = text(&dockfix(dir.path(), &args).stdout);
    assert!(diff.contains("+FROM nginx:stable-bookworm\n"), "{diff}");
    configure(
        dir.path(),
        "[rules.split-build-and-runtime]\nstatic-runtime-image = \"nginx:stable-alpine\"\n",
    );
    let diff = text(&dockfix(dir.path(), &args).stdout);
    assert!(
        diff.contains("+FROM nginx:stable-alpine\n") && !diff.contains("nginx:stable-bookworm"),
        "{diff}"
    );
    configure(
        dir.path(),
        "[rules.DF300]\nstatic-runtime-image = \"nginx stable\"\n",
    );
    let stderr = text(&dockfix(dir.path(), &args).stderr);
    assert!(
        stderr.contains("`nginx stable` is not an image reference"),
        "{stderr}"
    );
}

#[test]
fn show_settings_shows_the_rule_options_and_rules_lists_df511() {
    let dir = tree(&[
        (
            "dockfix.toml",
            b"[rules.DF001]\nmerge-across-metadata = true\n[rules.DF300]\ndefault-codename = \"bookworm\"\nstatic-runtime-image = \"nginx:stable-alpine\"\n[rules.DF511]\nallowed-registries = [\"docker.io\", \"*.corp.example\"]\n",
        ),
        ("Dockerfile", CLEAN.as_bytes()),
    ]);
    let shown = text(&dockfix(dir.path(), &["--show-settings"]).stdout);
    assert!(shown.contains("merge-across-metadata = true\n"), "{shown}");
    assert!(
        shown.contains("[rules.DF300]\ndefault-codename = \"bookworm\"\nstatic-runtime-image = \"nginx:stable-alpine\"\n"),
        "{shown}"
    );
    assert!(
        shown.contains("[rules.DF511]\nallowed-registries = [\"docker.io\", \"*.corp.example\"]\n"),
        "{shown}"
    );
    let shown = text(&dockfix(dir.path(), &["--show-settings", "--isolated"]).stdout);
    assert!(
        shown.contains("merge-across-metadata = false\n")
            && shown.contains("# default-codename: unset")
            && shown.contains("# static-runtime-image: unset")
            && shown.contains("allowed-registries = []\n"),
        "{shown}"
    );
    let table = text(&dockfix(dir.path(), &["rules"]).stdout);
    assert!(table.lines().any(|l| l.starts_with("DF511")
        && l.contains("disallowed-registry")
        && l.contains("DisplayOnly")
        && l.ends_with("on")));
    let explained = text(&dockfix(dir.path(), &["--explain", "DF511"]).stdout);
    assert!(explained.contains("trustedRegistries"), "{explained}");
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let dir = tree(&[("Dockerfile", NEEDS_FLAG.as_bytes())]);
    let out = dockfix(dir.path(), &["--format", "sarif", "."]);
    assert_eq!(out.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let sarif: serde_sarif::sarif::Sarif = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(value["version"], "2.1.0");
    let run = &sarif.runs[0];
    assert_eq!(run.tool.driver.name, "dockfix");
    let results = run.results.as_ref().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(value["runs"][0]["results"][0]["ruleId"], "DF101");
    let region = &value["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 2);
    let replacement =
        &value["runs"][0]["results"][0]["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(
        replacement["insertedContent"]["text"],
        " --no-install-recommends"
    );
    let rules = value["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(rules.iter().any(|rule| rule["id"] == "DF101"
        && rule["help"]["text"]
            .as_str()
            .unwrap()
            .contains("Fix safety")));
}

#[test]
fn json_output_follows_its_schema() {
    let dir = tree(&[
        ("Dockerfile", NEEDS_FLAG.as_bytes()),
        ("bad/Dockerfile", b"\xff"),
    ]);
    let out = dockfix(dir.path(), &["--format", "json", "--write", "."]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["mode"], "write");
    assert!(json["version"].is_string());
    for file in json["files"].as_array().unwrap() {
        assert!(file["path"].is_string() && file["changed"].is_boolean());
        assert!(file["findings"].is_array() && file["applied"].is_array());
        for finding in file["findings"].as_array().unwrap() {
            for key in ["line", "column", "end_line", "end_column"] {
                assert!(finding[key].is_u64(), "{key}");
            }
            assert!(finding["code"].is_string() && finding["message"].is_string());
        }
    }
    let good = &json["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "Dockerfile")
        .unwrap()
        .clone();
    assert_eq!(good["changed"], true);
    assert_eq!(good["applied"][0]["code"], "DF101");
    for key in [
        "files",
        "changed",
        "findings",
        "fixable",
        "unsafe_fixable",
        "fixed",
        "errors",
    ] {
        assert!(json["summary"][key].is_u64(), "summary.{key}");
    }
    assert_eq!(json["summary"]["errors"], 1);
}

#[test]
fn github_annotations_and_markdown_body() {
    let dir = tree(&[("Dockerfile", NEEDS_FLAG.as_bytes())]);
    let out = dockfix(dir.path(), &["--format", "github", "."]);
    assert!(text(&out.stdout).starts_with("::warning file=Dockerfile,line=2,col=23,"));
    let body = dockfix(dir.path(), &["--format", "markdown", "--diff", "."]);
    insta::with_settings!({snapshot_path => Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots"), prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("cli__markdown_body", text(&body.stdout).replace(env!("CARGO_PKG_VERSION"), "VERSION"));
    });
}

#[test]
fn a_tree_with_bad_files_reports_each_and_processes_the_rest() {
    let dir = tree(&[
        ("a/Dockerfile", NEEDS_FLAG.as_bytes()),
        ("a/nested/Dockerfile.prod", NEEDS_FLAG.as_bytes()),
        ("a/nested/.gitignore", b"ignored/\n"),
        ("a/nested/ignored/Dockerfile", b"\xff\xfe"),
        ("b/Dockerfile", b"FROM a\nRUN echo \xff\n"),
        ("c/Containerfile", CLEAN.as_bytes()),
    ]);
    #[cfg(unix)]
    std::os::unix::fs::symlink("missing-target", dir.path().join("c/Dockerfile")).unwrap();
    let out = dockfix(dir.path(), &["--check", "."]);
    assert_eq!(out.status.code(), Some(2));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("a/Dockerfile\n") && stdout.contains("a/nested/Dockerfile.prod\n"),
        "{stdout}"
    );
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("b/Dockerfile: error: line 2: not valid UTF-8"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("ignored/Dockerfile"),
        "the nested .gitignore is honoured: {stderr}"
    );
}
