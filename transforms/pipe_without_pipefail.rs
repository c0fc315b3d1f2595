//! DF510 `pipe-without-pipefail` · DisplayOnly · all stages · hadolint DL4006
//!
//! **What it does.** Reports a RUN with a pipeline (`curl … | tar x`) when the stage's SHELL is
//! bash, zsh or ksh without `-o pipefail`, and the RUN does not `set -o pipefail` itself.
//!
//! **Why.** A pipeline's status is its last command's: `curl` failing while `tar` reads nothing
//! still passes the build, and the image silently lacks the files. With pipefail the build
//! fails. The default `/bin/sh` (dash, busybox ash) may lack the option, so only shells that
//! have it are reported.
//!
//! **Fix safety.** No fix (advice only): `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` changes
//! every later RUN, and a pipeline that is allowed to fail (`grep` finding nothing) would then
//! break the build.

use crate::config::Settings;
use crate::document::{Document, Keyword};
use crate::fix::Finding;
use crate::shell_rules::{commands_by_run, scan_runs, Scope};

const CODE: &str = "DF510";

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let scan = scan_runs(document, Scope::All, |text| text.contains('|'));
    let mut findings = Vec::new();
    for commands in commands_by_run(&scan.commands) {
        let Some(first) = commands.iter().find(|run| run.command.in_pipeline) else {
            continue;
        };
        let shell = document
            .instructions_before(first.index)
            .into_iter()
            .map(|i| &document.instructions[i])
            .find(|i| i.keyword == Keyword::Shell && !i.onbuild)
            .and_then(|i| i.exec_form.clone());
        let Some(argv) = shell else {
            continue;
        };
        let program = argv.first().map(|p| p.rsplit('/').next().unwrap_or(p));
        let pipefail_shell = matches!(program, Some("bash" | "zsh" | "ksh" | "mksh"));
        let set = |text: &str| text.contains("pipefail");
        if !pipefail_shell || argv.iter().any(|a| set(a)) || set(first.body.script.text()) {
            continue;
        }
        findings.push(first.finding(
            CODE,
            "a pipeline's status is its last command's: a failing first command passes the build; add `set -o pipefail &&` or `-o pipefail` to SHELL",
        ));
    }
    findings
}
