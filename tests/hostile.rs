//! Hostile and odd input, each through the CLI as a user would hit it: every case gets the
//! correct result or a clear error, no file is truncated or lost, nothing panics, and big or
//! pathological files finish in bounded time.

#[path = "support/run.rs"]
mod run;
use run::dockfix;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A file that needs one safe fix (DF101 adds `--no-install-recommends`).
const NEEDS_FIX: &str =
    "FROM debian:bookworm\nRUN apt-get install -y jq && rm -rf /var/lib/apt/lists/*\n";
const FIXED: &str = "FROM debian:bookworm\nRUN apt-get install --no-install-recommends -y jq && rm -rf /var/lib/apt/lists/*\n";

/// Debug builds are slow and CI machines are shared: generous, but far below what a
/// super-linear pass takes on these inputs (minutes).
const BOUND: Duration = Duration::from_secs(20);

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Run `--write` on a file holding `bytes`: the exit status, stderr, the bytes left, and the
/// time taken; asserts that nothing panicked and the time is bounded.
fn write_file(bytes: &[u8]) -> (Option<i32>, String, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    std::fs::write(&path, bytes).unwrap();
    let start = Instant::now();
    // Advice left after the fixes (exit 1) is not what these tests are about.
    let out = dockfix(dir.path(), &["--write", "--exit-zero", "Dockerfile"]);
    let elapsed = start.elapsed();
    let err = stderr(&out);
    assert!(!err.contains("internal error"), "{err}");
    assert!(elapsed < BOUND, "took {elapsed:?}");
    (out.status.code(), err, std::fs::read(&path).unwrap())
}

#[test]
fn empty_file_is_left_alone() {
    let (status, _, after) = write_file(b"");
    assert_eq!(status, Some(0));
    assert!(after.is_empty());
}

#[test]
fn comment_only_file_is_left_alone() {
    let text = b"# syntax=docker/dockerfile:1\n# just a comment\n\n#\n";
    let (status, _, after) = write_file(text);
    assert_eq!(status, Some(0));
    assert_eq!(after, text);
}

/// 5 MB of text around one instruction to fix (a big heredoc, as generated configuration
/// files are): fixed, every other byte kept.
#[test]
fn five_megabyte_file_is_fixed_whole() {
    let body = "key = \"value\" # a generated configuration line\n".repeat(5 * 1024 * 1024 / 48);
    let text = format!("{NEEDS_FIX}COPY <<EOF /etc/app.conf\n{body}EOF\n");
    let (status, err, after) = write_file(text.as_bytes());
    assert_eq!(status, Some(0), "{err}");
    let expected = format!("{FIXED}COPY <<EOF /etc/app.conf\n{body}EOF\n");
    assert!(String::from_utf8(after).unwrap() == expected);
}

/// 5 MB of 66,000 chained stages: more instructions than dockfix works on (facts along a
/// stage chain would take minutes); refused at once with a clear error, left unchanged.
#[test]
fn five_megabyte_file_of_instructions_is_refused() {
    let run = "RUN apt-get install -y jq && rm -rf /var/lib/apt/lists/*\n";
    let mut text = format!("FROM debian:bookworm AS s0\n{run}");
    let mut i = 0;
    while text.len() < 5 * 1024 * 1024 {
        text.push_str(&format!("FROM s{i} AS s{}\n{run}", i + 1));
        i += 1;
    }
    let (status, err, after) = write_file(text.as_bytes());
    assert_eq!(status, Some(2));
    assert!(err.contains("Dockerfile: error: 133294 instructions, more than the 5000 dockfix works on; left unchanged"), "{err}");
    assert!(after == text.as_bytes());
}

/// One line of 1 MB (a RUN with a huge argument list): longer than the longest script
/// dockfix parses (`MAX_SCRIPT_LEN`), so it is left as it is, with the reason on request.
#[test]
fn one_megabyte_line_is_skipped_with_a_reason() {
    let packages = " pkg".repeat(256 * 1024);
    let text = format!("FROM debian:bookworm\nRUN apt-get install -y{packages}\n");
    let (status, err, after) = write_file(text.as_bytes());
    assert_eq!(status, Some(0), "{err}");
    assert_eq!(String::from_utf8(after).unwrap(), text);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), &text).unwrap();
    let out = dockfix(dir.path(), &["--show-skipped", "Dockerfile"]);
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("script-too-long"), "{shown}");
}

#[test]
fn ten_thousand_continuation_lines() {
    let lines = "    pkg \\\n".repeat(10_000);
    let text = format!("FROM debian:bookworm\nRUN apt-get install -y \\\n{lines}    last\n");
    let (status, err, after) = write_file(text.as_bytes());
    assert_eq!(status, Some(0), "{err}");
    let expected =
        format!("FROM debian:bookworm\nRUN apt-get install --no-install-recommends -y \\\n{lines}    last\n");
    assert_eq!(String::from_utf8(after).unwrap(), expected);
}

/// `$( $( … ) )` 1,000 levels deep: no stack overflow, and the RUN is still fixed.
#[test]
fn thousand_levels_of_nested_command_substitution() {
    let depth = 1000;
    let nested = format!("{}date{}", "echo $(".repeat(depth), ")".repeat(depth));
    let text = format!("FROM debian:bookworm\nRUN {nested} && apt-get install -y jq\n");
    let (status, err, after) = write_file(text.as_bytes());
    assert!(status == Some(0) || status == Some(1), "{err}");
    let after = String::from_utf8(after).unwrap();
    assert!(
        after == text || after.contains("install --no-install-recommends -y jq"),
        "{err}"
    );
    // Too deep for the command walker: the RUN is skipped with its reason.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), &text).unwrap();
    let out = dockfix(dir.path(), &["--show-skipped", "Dockerfile"]);
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("script-too-deep"), "{shown}");
}

#[test]
fn nul_bytes_are_refused_with_their_position() {
    let text = b"FROM debian:bookworm\nRUN apt-get install -y\0 jq\n";
    let (status, err, after) = write_file(text);
    assert_eq!(status, Some(2));
    assert!(
        err.contains("Dockerfile: error: line 2: binary file (NUL byte at line 2, column 23)"),
        "{err}"
    );
    assert_eq!(after, text);
}

#[test]
fn invalid_utf8_in_the_middle_is_refused_with_its_position() {
    let mut text = NEEDS_FIX.as_bytes().to_vec();
    text.extend_from_slice(b"LABEL x=\"caf\xe9\"\n");
    text.extend_from_slice(NEEDS_FIX.as_bytes());
    let (status, err, after) = write_file(&text);
    assert_eq!(status, Some(2));
    assert!(
        err.contains("Dockerfile: error: line 3: not valid UTF-8 (line 3, column 13)"),
        "{err}"
    );
    assert_eq!(after, text);
}

/// `# escape=\`` with PowerShell: backslashes are path separators, backticks continue lines;
/// a fix in a Linux stage of the same file keeps the backtick style, and a second run is a
/// no-op.
#[test]
fn windows_backtick_escape_with_powershell() {
    let text = [
        "# escape=`",
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022",
        "SHELL [\"powershell\", \"-Command\", \"$ErrorActionPreference = 'Stop';\"]",
        "RUN Invoke-WebRequest -Uri https://example.com/x.zip -OutFile C:\\x.zip ; `",
        "    Expand-Archive C:\\x.zip -DestinationPath C:\\x\\ ; `",
        "    Remove-Item C:\\x.zip",
        "WORKDIR C:\\app\\",
        "FROM debian:bookworm",
        "RUN apt-get update `",
        "    && apt-get install -y jq",
        "",
    ]
    .join("\r\n");
    let (status, err, after) = write_file(text.as_bytes());
    assert!(status == Some(0) || status == Some(1), "{err}");
    let after = String::from_utf8(after).unwrap();
    let windows_stage = &text[..text.find("FROM debian").unwrap()];
    assert!(after.starts_with(windows_stage), "{after}");
    let linux = "RUN apt-get update `\r\n    && apt-get install --no-install-recommends -y jq `\r\n    && rm -rf /var/lib/apt/lists/*\r\n";
    assert!(after.ends_with(linux), "{after}");
    let (_, _, again) = write_file(after.as_bytes());
    assert_eq!(String::from_utf8(again).unwrap(), after);
}

/// A directory named `Dockerfile`: given on the command line it is searched like any
/// directory; met in a walk it is entered, never read as a file.
#[test]
fn directory_named_dockerfile() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("Dockerfile/inner")).unwrap();
    let inner = dir.path().join("Dockerfile/inner/Dockerfile");
    std::fs::write(&inner, NEEDS_FIX).unwrap();
    for target in ["Dockerfile", "."] {
        std::fs::write(&inner, NEEDS_FIX).unwrap();
        let out = dockfix(dir.path(), &["--write", target]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(std::fs::read_to_string(&inner).unwrap(), FIXED);
    }
}

/// `--write` through a symlink updates the target and keeps the link.
#[cfg(unix)]
#[test]
fn symlink_is_kept_and_its_target_updated() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("real")).unwrap();
    std::fs::write(dir.path().join("real/Dockerfile.base"), NEEDS_FIX).unwrap();
    std::os::unix::fs::symlink("real/Dockerfile.base", dir.path().join("Dockerfile")).unwrap();
    let out = dockfix(dir.path(), &["--write", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let link = std::fs::symlink_metadata(dir.path().join("Dockerfile")).unwrap();
    assert!(link.file_type().is_symlink());
    assert_eq!(
        std::fs::read_link(dir.path().join("Dockerfile")).unwrap(),
        Path::new("real/Dockerfile.base")
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("real/Dockerfile.base")).unwrap(),
        FIXED
    );
}

#[test]
fn read_only_file_is_refused_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    std::fs::write(&path, NEEDS_FIX).unwrap();
    let mut permissions = std::fs::metadata(&path).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&path, permissions).unwrap();
    let out = dockfix(dir.path(), &["--write", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("Dockerfile: error: cannot write: the file is read-only"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), NEEDS_FIX);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}

/// A real race: dockfix pauses (debug-build hook) after writing its temporary file and right
/// before its check; this process then rewrites the Dockerfile, as an editor would. dockfix
/// must notice and keep the editor's bytes.
#[test]
fn file_changed_between_read_and_write_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    std::fs::write(&path, NEEDS_FIX).unwrap();
    let flag = dir.path().join("paused");
    let child = Command::new(env!("CARGO_BIN_EXE_dockfix"))
        .args(["--write", "Dockerfile"])
        .current_dir(dir.path())
        .env("DOCKFIX_TEST_PAUSE_BEFORE_WRITE", &flag)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !flag.exists() {
        assert!(start.elapsed() < BOUND, "dockfix never reached its write");
        std::thread::sleep(Duration::from_millis(5));
    }
    let edited = "FROM debian:bookworm\n# edited meanwhile\n";
    std::fs::write(&path, edited).unwrap();
    std::fs::remove_file(&flag).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "Dockerfile: error: the file changed while dockfix was working on it; not overwritten"
        ),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), edited);
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "no temporary file left");
}

/// Two dockfix processes write the same tree at once, several times over: every file ends
/// up fixed exactly once (never half-written, never fixed twice), and no temporary file is
/// left. A process that loses a race says so (exit 2, "changed while") and changes nothing.
#[test]
fn two_processes_writing_the_same_tree() {
    let files = 40;
    for _ in 0..3 {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..files {
            let sub = dir.path().join(format!("s{i}"));
            std::fs::create_dir(&sub).unwrap();
            std::fs::write(sub.join("Dockerfile"), NEEDS_FIX).unwrap();
        }
        let spawn = || {
            Command::new(env!("CARGO_BIN_EXE_dockfix"))
                .args(["--write", "-q", "."])
                .current_dir(dir.path())
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn(), spawn());
        for out in [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()] {
            let err = stderr(&out);
            assert!(!err.contains("internal error"), "{err}");
            for line in err.lines() {
                assert!(
                    line.contains("changed while dockfix was working on it"),
                    "{err}"
                );
            }
        }
        for i in 0..files {
            let sub = dir.path().join(format!("s{i}"));
            assert_eq!(
                std::fs::read_to_string(sub.join("Dockerfile")).unwrap(),
                FIXED
            );
            assert_eq!(
                std::fs::read_dir(&sub).unwrap().count(),
                1,
                "temporary file left"
            );
        }
    }
}

/// Pathological shapes, just under `MAX_INSTRUCTIONS`, finish well under the bound: many
/// RUNs to merge, a long `&&` chain, many stages, a chain of stages each built on the one
/// before, many heredocs, unbalanced quotes, unclosed `if`s. (Release-build timings are in the reliability note.)
#[test]
fn pathological_shapes_finish_in_bounded_time() {
    let cases = [
        format!("FROM debian:bookworm\n{}", "RUN echo a\n".repeat(4_900)),
        format!(
            "FROM debian:bookworm\nRUN {}\n",
            vec!["echo a"; 20_000].join(" && ")
        ),
        "FROM alpine AS s\nRUN apk add curl\n".repeat(2_400),
        (0..2_400)
            .map(|i| format!("FROM s{i} AS s{}\nRUN apt-get install -y jq\n", i + 1))
            .collect(),
        format!(
            "FROM debian:bookworm\n{}",
            "RUN <<EOF\necho a\nEOF\n".repeat(4_900)
        ),
        format!("FROM debian:bookworm\nRUN {}\n", "\"".repeat(100_000)),
        format!(
            "FROM debian:bookworm\nRUN {}\n",
            "if true; then ".repeat(2_000)
        ),
    ];
    for text in cases {
        let (status, err, _) = write_file(text.as_bytes());
        assert!(status == Some(0) || status == Some(1), "{err}");
    }
}

/// Stdin that is not text gets the same clear error.
#[test]
fn binary_stdin_is_refused() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dockfix"))
        .args(["--write", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"FROM a\n\xff\xfe\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        out.stdout.is_empty(),
        "nothing is printed as the fixed file"
    );
    assert!(
        stderr(&out).contains("-: error: line 2: not valid UTF-8"),
        "{}",
        stderr(&out)
    );
}
