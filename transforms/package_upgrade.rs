//! DF501 `package-upgrade` · DisplayOnly · off by default · all stages · hadolint DL3035
//!
//! **What it does.** Reports whole-system upgrades in RUN: `apt-get upgrade|dist-upgrade|
//! full-upgrade`, `apt upgrade`, `apk upgrade`, `yum|dnf|microdnf update|upgrade` without
//! package names, `zypper dup|dist-upgrade`.
//!
//! **Why.** The image then depends on the day it was built, not on its base tag; a rebuild of
//! the same Dockerfile gives different packages. Updating the base image is the reproducible
//! way to get fixes.
//!
//! **Fix safety.** No fix (advice only). Off by default: hadolint dropped most of these checks
//! (DL3005, DL3017, DL3031, DL3039), as upgrades also bring security fixes.

use crate::config::Settings;
use crate::document::Document;
use crate::fix::Finding;
use crate::shell_rules::{first_operand, scan_runs, Operand, Scope};

const CODE: &str = "DF501";

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let scan = scan_runs(document, Scope::All, |text| {
        ["upgrade", "update", "dup"]
            .iter()
            .any(|w| text.contains(w))
    });
    scan.commands
        .iter()
        .filter_map(|run| {
            let tool = run.command.basename()?;
            let words: Vec<&str> = run.command.arg_values().map(Option::unwrap_or_default).collect();
            let operands: Vec<&&str> = words.iter().filter(|w| !w.starts_with('-')).collect();
            let sub = match first_operand(&run.command.args, &["-o", "-c", "-t"]) {
                Operand::At(index) => words.get(index).copied()?,
                _ => return None,
            };
            let upgrade = match tool {
                "apt-get" | "apt" => matches!(sub, "upgrade" | "dist-upgrade" | "full-upgrade"),
                "apk" => sub == "upgrade",
                "yum" | "dnf" | "microdnf" => {
                    matches!(sub, "update" | "upgrade") && operands.len() == 1
                }
                "zypper" => matches!(sub, "dup" | "dist-upgrade"),
                _ => false,
            };
            upgrade.then(|| {
                run.finding(
                    CODE,
                    format!("`{tool} {sub}` upgrades the whole system: the image depends on the build day, not on its base tag"),
                )
            })
        })
        .collect()
}
