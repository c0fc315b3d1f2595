//! DF302 `slim-base-variant` · Unsafe · shipped stages · no hadolint rule
//!
//! **What it does.** Moves a shipped stage on a full `python`, `node`, `ruby` or `debian` image
//! to its slim variant: `python:3.12-bookworm` → `python:3.12-slim-bookworm`, `node:20` →
//! `node:20-slim`, `debian:bookworm` → `debian:bookworm-slim`.
//!
//! **Why.** The full images carry compilers, version control and hundreds of libraries (about
//! 1 GB for `python:3.12` against 130 MB for its slim variant); an application that installs
//! only wheels and pure packages never uses them.
//!
//! **Fix safety.** Unsafe: full images carry libraries an app may load at run time, and tools
//! a script may call. The pass refuses (shown with `--show-skipped`) when the stage compiles or
//! may (`gcc`, `make`, `node-gyp`, `pip install` without `--only-binary :all:`, `gem`/`bundle
//! install`, `npm`/`yarn`/`pnpm` installs, which may build native addons) or uses a tool of the
//! full image it does not install itself (`git curl wget ssh make unzip bzip2 xz patch ps file
//! gpg`), and when the base is pinned by digest.

use crate::config::Settings;
use crate::document::{Document, Keyword};
use crate::fix::{Edit, Finding, Fix};
use crate::shell_rules::{scan_runs, Scope};
use crate::stages::{slim_tag, ImageRef};

const CODE: &str = "DF302";

/// Tools the full images have and the slim ones lack.
const FULL_IMAGE_TOOLS: &[&str] = &[
    "git", "curl", "wget", "ssh", "make", "unzip", "bzip2", "xz", "patch", "ps", "file", "gpg",
];

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let mut findings = Vec::new();
    for stage in document
        .stages
        .iter()
        .filter(|s| s.shipped && s.parent.is_none())
    {
        let image = ImageRef::parse(&stage.base);
        if !matches!(
            image.repository.as_str(),
            "python" | "node" | "ruby" | "debian"
        ) || stage.base.contains('$')
        {
            continue;
        }
        let Some(slim) = slim_tag(&image) else {
            continue;
        };
        let from = &document.instructions[stage.from];
        let range = from.logical.range.clone();
        let what = format!("`{}` is the full image", stage.base);
        if image.digest {
            findings.push(Finding::skip(
                CODE,
                range,
                "digest-pinned",
                format!("{what}; no digest of the slim variant can be derived offline"),
            ));
            continue;
        }
        if let Err((reason, why)) = needs_full_image(document, stage.index) {
            findings.push(Finding::skip(
                CODE,
                range,
                reason,
                format!("{what}, but {why}"),
            ));
            continue;
        }
        let word = from.args_offset..from.args_offset + stage.base.len();
        if from.logical.text.get(word.clone()) != Some(stage.base.as_str()) {
            continue;
        }
        let tag_start = match stage
            .base
            .rfind(':')
            .filter(|&i| !stage.base[i..].contains('/'))
        {
            Some(colon) => word.start + colon + 1,
            None => word.end,
        };
        let file = from.logical.map.to_file(tag_start)..from.logical.map.to_file_end(word.end);
        let replacement = if tag_start == word.end {
            format!(":{slim}")
        } else {
            slim.clone()
        };
        let new = format!("{}:{slim}", image.repository);
        let fix = Fix::unsafe_because(
            vec![Edit { range: file, replacement }],
            "the slim image lacks the compilers, tools and libraries of the full image; an app that loads one at run time breaks",
        );
        findings.push(
            Finding::new(
                CODE,
                range,
                format!("{what}: `{new}` is a fraction of its size"),
            )
            .with_fix(fix),
        );
    }
    findings
}

/// Why the stage needs the full image: it compiles or may, or uses a tool only the full image
/// has.
fn needs_full_image(document: &Document, stage: usize) -> Result<(), (&'static str, String)> {
    let scan = scan_runs(document, Scope::All, |_| true);
    if let Some((instruction, reason)) = scan.gated.iter().find(|(i, _)| i.stage == Some(stage)) {
        return Err((
            reason,
            format!(
                "the RUN at line {} cannot be read",
                instruction.logical.start_line
            ),
        ));
    }
    let commands: Vec<_> = scan
        .commands
        .iter()
        .filter(|run| run.instruction.stage == Some(stage))
        .collect();
    let installed: Vec<&str> = commands
        .iter()
        .filter(|run| matches!(run.command.basename(), Some("apt-get" | "apt" | "apk")))
        .flat_map(|run| run.command.arg_values().flatten())
        .collect();
    for run in &commands {
        let name = run.command.basename().unwrap_or_default();
        let args: Vec<&str> = run.command.arg_values().flatten().collect();
        let compiles = match name {
            "gcc" | "cc" | "g++" | "make" | "node-gyp" | "cmake" => true,
            "gem" | "bundle" => args.contains(&"install"),
            "npm" | "yarn" | "pnpm" => {
                args.is_empty()
                    || args
                        .iter()
                        .any(|a| ["install", "i", "ci", "add"].contains(a))
            }
            "pip" | "pip3" => args.first() == Some(&"install") && !only_binary(&args),
            python if python.starts_with("python") => {
                args.windows(2).any(|w| w == ["pip", "install"]) && !only_binary(&args)
            }
            _ => false,
        };
        if compiles {
            return Err((
                "compiles",
                format!(
                    "`{name}` may compile native code (line {})",
                    run.instruction.logical.start_line
                ),
            ));
        }
        if FULL_IMAGE_TOOLS.contains(&name) && !installed.contains(&name) {
            return Err((
                "full-image-tool",
                format!("the build runs `{name}`, which only the full image has"),
            ));
        }
    }
    for instruction in document.stage_instructions(stage).map(|(_, i)| i) {
        if matches!(
            instruction.keyword,
            Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck
        ) {
            let words = instruction
                .args()
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'));
            if let Some(tool) = words
                .into_iter()
                .find(|w| FULL_IMAGE_TOOLS.contains(w) && !installed.contains(w))
            {
                return Err((
                    "full-image-tool",
                    format!("the container runs `{tool}`, which only the full image has"),
                ));
            }
        }
    }
    Ok(())
}

/// `--only-binary :all:` (or `=:all:`): pip installs wheels only, never compiles.
fn only_binary(args: &[&str]) -> bool {
    args.windows(2).any(|w| w == ["--only-binary", ":all:"])
        || args.contains(&"--only-binary=:all:")
}
