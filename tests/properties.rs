//! Property tests over generated Dockerfiles, built from a grammar of real constructs:
//! instructions in any case, flags, continuations with either escape character (and a
//! backslash that is not one under a backtick escape), comments and blank lines inside
//! continuations, heredocs, exec form, PowerShell, CRLF and mixed line endings, a BOM, a
//! missing final newline, Unicode. Every generated file is checked against all promises of
//! `tests/support/pipeline.rs`, its instruction count against the model's (the splitter is
//! BuildKit's, see tests/buildkit_split.rs), and batches of files go through the CLI:
//! `patch -p1` of `--diff` reproduces `--write`. Inputs the fuzzer found are replayed from
//! `tests/regressions/`.
//!
//! `PROPTEST_CASES` sets the number of generated files (default 48) and `DOCKFIX_DIFF_CASES`
//! the number of CLI batches (default 6); CI runs more of both in a separate step.

mod support;

#[path = "support/run.rs"]
mod run;
use run::dockfix;
use std::path::Path;
use std::process::{Command, Stdio};

use proptest::prelude::*;
use support::pipeline;

/// How a generated file is written: its escape character and line endings.
#[derive(Debug, Clone)]
struct Style {
    backtick: bool,
    /// Per physical line: CRLF (true) or LF; cycled.
    crlf: Vec<bool>,
}

/// One instruction (or a comment/blank line: no instruction), as physical pieces that the
/// renderer joins with continuations, optional comment lines inside them, and heredoc bodies.
#[derive(Debug, Clone)]
struct Item {
    pieces: Vec<String>,
    /// After piece i (never after the last): a comment line or a blank line.
    inserts: Vec<Option<String>>,
    /// Heredoc bodies and their terminators, after the logical line.
    heredoc: Option<(Vec<String>, String)>,
    counts: bool,
}

#[derive(Debug, Clone)]
struct File {
    bom: bool,
    directives: Vec<String>,
    style: Style,
    items: Vec<Item>,
    final_newline: bool,
}

impl File {
    /// The bytes of the file and the number of instructions BuildKit sees in it.
    fn render(&self) -> (String, usize) {
        let esc = if self.style.backtick { '`' } else { '\\' };
        let mut lines: Vec<String> = Vec::new();
        if self.style.backtick {
            lines.push("# escape=`".to_string());
        }
        lines.extend(self.directives.iter().cloned());
        for item in &self.items {
            let mut current = String::new();
            for (i, piece) in item.pieces.iter().enumerate() {
                current.push_str(piece);
                if i + 1 < item.pieces.len() {
                    current.push(' ');
                    current.push(esc);
                    lines.push(std::mem::take(&mut current));
                    if let Some(Some(insert)) = item.inserts.get(i) {
                        lines.push(insert.clone());
                    }
                    current.push_str("    ");
                }
            }
            lines.push(current);
            if let Some((body, end)) = &item.heredoc {
                lines.extend(body.iter().cloned());
                lines.push(end.clone());
            }
        }
        let mut text = String::new();
        if self.bom {
            text.push('\u{feff}');
        }
        let count = lines.len();
        for (i, line) in lines.into_iter().enumerate() {
            text.push_str(&line);
            if i + 1 < count || self.final_newline {
                let crlf = self.style.crlf[i % self.style.crlf.len()];
                text.push_str(if crlf { "\r\n" } else { "\n" });
            }
        }
        let instructions = self.items.iter().filter(|item| item.counts).count();
        (text, instructions)
    }
}

fn keyword(word: &'static str) -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just(word.to_string()),
        1 => Just(word.to_ascii_lowercase()),
    ]
}

fn unicode_word() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "héllo",
        "日本語",
        "🐳",
        "naïve-café",
        "zero\u{200b}width",
        "Ελληνικά",
        "שלום",
        "plain",
    ])
    .prop_map(str::to_string)
}

/// A shell command of the kinds the passes read.
fn command() -> impl Strategy<Value = String> {
    let package = prop::sample::select(vec!["curl", "ca-certificates", "git", "jq", "python3"]);
    prop_oneof![
        Just("apt-get update".to_string()),
        prop::collection::vec(package.clone(), 1..3)
            .prop_map(|p| format!("apt-get install -y {}", p.join(" "))),
        package
            .clone()
            .prop_map(|p| format!("apt-get install -y --no-install-recommends {p}")),
        Just("rm -rf /var/lib/apt/lists/*".to_string()),
        package.clone().prop_map(|p| format!("apk add {p}")),
        package
            .clone()
            .prop_map(|p| format!("apk add --no-cache {p}")),
        Just("apk update".to_string()),
        Just("apk add --virtual .build-deps gcc".to_string()),
        Just("apk del .build-deps".to_string()),
        Just("pip install requests".to_string()),
        Just("pip3 install --no-cache-dir -r requirements.txt".to_string()),
        Just("npm ci".to_string()),
        Just("gem install bundler".to_string()),
        Just("dnf install -y gcc".to_string()),
        Just("yum install -y make && yum clean all".to_string()),
        Just("zypper install -y vim".to_string()),
        Just("composer install".to_string()),
        Just("curl -fsSL https://example.com/a.tar.gz | tar -xz -C /opt".to_string()),
        Just("wget -q https://example.com/b.tar.gz && tar -xzf b.tar.gz".to_string()),
        unicode_word().prop_map(|w| format!("echo \"{w}\" > /tmp/x")),
        Just("cd /app".to_string()),
        Just("set -eux".to_string()),
        Just("if [ -f a ]; then echo b; fi".to_string()),
        Just("export PATH=/opt/bin:$PATH".to_string()),
        Just("echo $(echo $(date)) ${HOME:-/root}".to_string()),
        Just("make && make install".to_string()),
        Just("sh -c 'apt-get update'".to_string()),
    ]
}

fn joiner() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["&&", "&&", ";", "||"])
}

fn insert() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        4 => Just(None),
        1 => unicode_word().prop_map(|w| Some(format!("  # a comment, {w}"))),
        1 => Just(Some("#".to_string())),
        1 => Just(Some(String::new())),
    ]
}

/// A RUN in shell form: commands over continuation pieces, the joiner leading or trailing.
fn run_shell() -> impl Strategy<Value = Item> {
    let flags = prop::sample::select(vec![
        "",
        "--mount=type=cache,target=/var/cache/apt ",
        "--network=none ",
        "--mount=type=secret,id=npmrc ",
    ]);
    (
        keyword("RUN"),
        flags,
        prop::collection::vec((command(), joiner()), 1..6),
        any::<bool>(),
        prop::collection::vec(insert(), 6),
    )
        .prop_map(|(kw, flags, commands, leading, inserts)| {
            let last = commands.len() - 1;
            let pieces = commands
                .iter()
                .enumerate()
                .map(|(i, (command, join))| {
                    let mut piece = String::new();
                    if i == 0 {
                        piece.push_str(&format!("{kw} {flags}"));
                    } else if leading {
                        piece.push_str(&format!("{join} "));
                    }
                    piece.push_str(command);
                    if i < last && !leading {
                        piece.push_str(&format!(" {join}"));
                    }
                    piece
                })
                .collect();
            Item {
                pieces,
                inserts,
                heredoc: None,
                counts: true,
            }
        })
}

fn heredoc() -> impl Strategy<Value = Item> {
    (
        prop::sample::select(vec![
            "RUN <<EOF",
            "RUN <<-EOF",
            "RUN cat <<'EOF' > /etc/motd",
            "COPY <<EOF /etc/app.conf",
            "RUN --mount=type=cache,target=/root/.cache <<EOF",
        ]),
        prop::collection::vec(command(), 0..4),
        prop::sample::select(vec!["EOF", "\tEOF"]),
    )
        .prop_map(|(head, body, end)| {
            // A tab before the terminator only ends a `<<-` heredoc.
            let end = if head.contains("<<-") { end } else { "EOF" };
            Item {
                pieces: vec![head.to_string()],
                inserts: Vec::new(),
                heredoc: Some((body, end.to_string())),
                counts: true,
            }
        })
}

fn single(line: String) -> Item {
    Item {
        pieces: vec![line],
        inserts: Vec::new(),
        heredoc: None,
        counts: true,
    }
}

/// An instruction other than a shell-form RUN.
fn other() -> impl Strategy<Value = Item> {
    prop_oneof![
        (
            keyword("FROM"),
            prop::sample::select(vec![
                "debian:bookworm",
                "alpine:3.20",
                "python:3.12-slim",
                "--platform=$BUILDPLATFORM golang:1.22",
                "ubuntu@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                "mcr.microsoft.com/windows/servercore:ltsc2022",
            ]),
            prop::option::of(prop::sample::select(vec!["build", "base"])),
        )
            .prop_map(|(kw, image, name)| single(match name {
                Some(name) => format!("{kw} {image} AS {name}"),
                None => format!("{kw} {image}"),
            })),
        prop::sample::select(vec![
            "COPY package.json package-lock.json ./",
            "COPY . .",
            "COPY --from=build --chown=1000:1000 /out /app",
            "COPY --link requirements.txt /app/",
            "ADD https://example.com/x.tar.gz /tmp/",
            "ADD app.tar.gz /opt/",
            "WORKDIR /app",
            "USER 1000",
            "ARG VERSION=1.0",
            "ENV DEBIAN_FRONTEND=noninteractive PIP_NO_CACHE_DIR=1",
            "EXPOSE 8080/tcp",
            "CMD [\"python\", \"app.py\"]",
            "ENTRYPOINT [\"/docker-entrypoint.sh\"]",
            "RUN [\"apt-get\", \"install\", \"-y\", \"curl\"]",
            "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]",
            "SHELL [\"powershell\", \"-Command\", \"$ErrorActionPreference = 'Stop';\"]",
            "RUN Invoke-WebRequest -Uri https://example.com/x.zip -OutFile C:\\x.zip",
            "WORKDIR C:\\app\\logs",
            "HEALTHCHECK CMD curl -f http://localhost/ || exit 1",
            "ONBUILD RUN apt-get install -y curl",
            "STOPSIGNAL SIGTERM",
            "VOLUME /data",
        ])
        .prop_map(|line| single(line.to_string())),
        unicode_word().prop_map(|w| single(format!("LABEL description=\"{w}\""))),
        (keyword("ENV"), unicode_word(), unicode_word()).prop_map(|(kw, a, b)| Item {
            pieces: vec![format!("{kw} A=\"{a}\""), format!("B=\"{b}\"")],
            inserts: vec![None],
            heredoc: None,
            counts: true,
        }),
    ]
}

fn non_instruction() -> impl Strategy<Value = Item> {
    prop_oneof![
        Just(String::new()),
        unicode_word().prop_map(|w| format!("# {w}")),
        Just("   # indented comment".to_string()),
    ]
    .prop_map(|line| Item {
        pieces: vec![line],
        inserts: Vec::new(),
        heredoc: None,
        counts: false,
    })
}

fn file() -> impl Strategy<Value = File> {
    let item = prop_oneof![
        4 => run_shell(),
        1 => heredoc(),
        3 => other(),
        1 => non_instruction(),
    ];
    (
        any::<bool>(),
        prop::option::of(Just("# syntax=docker/dockerfile:1".to_string())),
        any::<bool>(),
        prop::collection::vec(prop_oneof![3 => Just(false), 1 => Just(true)], 1..4),
        prop::sample::select(vec!["debian:bookworm", "alpine:3.20", "ubuntu:24.04"]),
        prop::collection::vec(item, 0..10),
        prop_oneof![4 => Just(true), 1 => Just(false)],
    )
        .prop_map(|(bom, syntax, backtick, crlf, base, rest, final_newline)| {
            let mut items = vec![single(format!("FROM {base}"))];
            if backtick {
                // Not a continuation: the escape character is the backtick.
                items.push(single("WORKDIR C:\\app\\".to_string()));
            }
            items.extend(rest);
            File {
                bom,
                directives: syntax.into_iter().collect(),
                style: Style { backtick, crlf },
                items,
                final_newline,
            }
        })
}

/// `default_cases`, or the number in the environment variable `var`.
fn config(var: &str, default_cases: u32) -> ProptestConfig {
    let cases = std::env::var(var)
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(default_cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config("PROPTEST_CASES", 48))]

    /// Every promise of the pipeline holds, and the splitter sees the model's instructions.
    #[test]
    fn generated_files_keep_every_promise(file in file()) {
        let (text, instructions) = file.render();
        let (_, split) = dockfix::logical::split(&text);
        prop_assert_eq!(split.len(), instructions, "instruction count of:\n{}", text);
        prop_assert!(pipeline::check(text.as_bytes()));
    }
}

proptest! {
    #![proptest_config(config("DOCKFIX_DIFF_CASES", 6))]

    /// `patch -p1` of `--diff` on one copy of a tree gives the tree `--write` makes of another.
    #[test]
    fn diff_applied_reproduces_write(files in prop::collection::vec(file(), 1..8)) {
        let written = tempfile::tempdir().unwrap();
        let patched = tempfile::tempdir().unwrap();
        for (i, file) in files.iter().enumerate() {
            let (text, _) = file.render();
            for root in [written.path(), patched.path()] {
                std::fs::create_dir_all(root.join(format!("d{i}"))).unwrap();
                std::fs::write(root.join(format!("d{i}/Dockerfile")), &text).unwrap();
            }
        }
        let diff = dockfix(patched.path(), &["--diff", "-q", "."]);
        let write = dockfix(written.path(), &["--write", "-q", "."]);
        prop_assert!(diff.status.code() != Some(2), "{}", String::from_utf8_lossy(&diff.stderr));
        prop_assert!(write.status.code() != Some(2), "{}", String::from_utf8_lossy(&write.stderr));
        if !diff.stdout.is_empty() {
            let mut patch = Command::new("patch")
                .args(["-p1", "--quiet", "--no-backup-if-mismatch"])
                .current_dir(patched.path())
                .stdin(Stdio::piped())
                .spawn()
                .unwrap();
            use std::io::Write;
            patch.stdin.take().unwrap().write_all(&diff.stdout).unwrap();
            prop_assert!(patch.wait().unwrap().success());
        }
        for i in 0..files.len() {
            let name = format!("d{i}/Dockerfile");
            let a = std::fs::read(written.path().join(&name)).unwrap();
            let b = std::fs::read(patched.path().join(&name)).unwrap();
            prop_assert_eq!(String::from_utf8_lossy(&a), String::from_utf8_lossy(&b), "{}", name);
        }
        let again = dockfix(written.path(), &["--diff", "-q", "."]);
        prop_assert!(again.stdout.is_empty(), "a second run changes:\n{}", String::from_utf8_lossy(&again.stdout));
    }
}

/// Inputs the fuzzer found (`tests/regressions/*`): each keeps every promise now.
#[test]
fn fuzz_regressions_keep_every_promise() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            // `open/`: found, not fixed yet (listed in the reliability note).
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let result = std::panic::catch_unwind(|| pipeline::check(&bytes));
        assert!(result.is_ok(), "{}", path.display());
    }
}
