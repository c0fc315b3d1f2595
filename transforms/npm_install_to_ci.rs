//! DF130 `npm-install-to-ci` · Unsafe · all stages · no hadolint rule
//!
//! **What it does.** Replaces `npm install` (or `npm i`) without package arguments by `npm ci`,
//! flags kept (`RUN npm install --omit=dev` → `RUN npm ci --omit=dev`), when the install's
//! working directory (WORKDIR and a literal leading `cd`) holds `package.json` and a lockfile
//! (`package-lock.json` or `npm-shrinkwrap.json`) that an earlier COPY/ADD brought from the build
//! context (`--context`), and `.dockerignore` does not exclude them.
//!
//! **Why.** `npm install` may resolve other versions than the lockfile records and rewrites it;
//! `npm ci` installs exactly the locked tree, faster, and fails loudly when package.json and the
//! lock disagree: reproducible images.
//!
//! **Fix safety.** Unsafe: `npm ci` fails when package.json and the lock disagree (where
//! `install` quietly updated the lock); it deletes an existing `node_modules` (one copied in by
//! `COPY . .`, for instance); it installs the lock's exact versions, which may differ from what
//! `install` resolved; npm before 5.7 has no `ci`, and npm 6 cannot read lockfileVersion 3.
//!
//! **Skips** (shown with `--show-skipped`): no lockfile copied from the context (`no-lockfile`:
//! `ci` would fail; a lock generated during the build is not followed); `--no-package-lock`
//! (`package-lock=false`); package.json declares `workspaces`; `--prefix`/`-C`/`--workspace`
//! (another folder); the working directory, a copy or a WORKDIR uses a variable or comes from
//! another stage (`unknown-files`); no build context (`no-context`); `$( )`/`eval`; the RULES.md
//! §2 gates.

use crate::config::Settings;
use crate::document::{Document, ImageFile};
use crate::fix::{Finding, Fix};
use crate::package_caches::{command_cwd, npm_subcommand, NPM_OPTIONS_WITH_VALUE};
use crate::shell::{Nesting, Word};
use crate::shell_rules::{gated_finding, has_option, scan_runs, Operand, RunCommand, Scope};

const CODE: &str = "DF130";

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let scan = scan_runs(document, Scope::All, |text| text.contains("npm"));
    let mut findings: Vec<Finding> = scan
        .gated
        .iter()
        .filter(|(instruction, _)| {
            let text = &instruction.logical.text;
            text.contains("npm install") || text.contains("npm i ")
        })
        .map(|(instruction, reason)| {
            gated_finding(
                CODE,
                instruction,
                reason,
                "`npm install` where `npm ci` may do",
            )
        })
        .collect();
    findings.extend(
        scan.commands
            .iter()
            .filter_map(|run| check_command(document, run)),
    );
    findings
}

fn check_command(document: &Document, run: &RunCommand) -> Option<Finding> {
    let Some(Operand::At(at)) = npm_subcommand(run.command) else {
        return None;
    };
    let args = &run.command.args;
    let subcommand = &args[at];
    if !matches!(subcommand.as_str(), Some("install" | "i")) {
        return None;
    }
    // Package arguments, a global install or a dynamic word: not a lockfile install.
    if package_arguments(&args[at + 1..])
        || ["-g", "--global"].iter().any(|o| has_option(args, o))
        || args.iter().any(|w| w.as_str() == Some("--location=global"))
    {
        return None;
    }
    let message = "`npm install` where `npm ci` would install exactly the locked versions";
    let skip = |reason, why: &str| {
        Some(Finding::skip(
            CODE,
            run.file_range(&run.command.range),
            reason,
            format!("{message}; {why}"),
        ))
    };
    if has_option(args, "--no-package-lock")
        || args
            .iter()
            .any(|w| w.as_str() == Some("--package-lock=false"))
    {
        return skip(
            "no-lockfile",
            "`--no-package-lock` ignores the lockfile on purpose",
        );
    }
    if ["--prefix", "-C", "-w", "--workspace", "--workspaces"]
        .iter()
        .any(|o| has_option(args, o))
    {
        return skip(
            "other-folder",
            "the install works on another folder or a workspace",
        );
    }
    if run.command.nesting == Nesting::Substitution {
        return skip("nested-shell", "the command runs in a nested shell");
    }
    let Some(context) = document.context.as_deref() else {
        return skip("no-context", "the build context is unknown (use --context)");
    };
    let Some(cwd) = command_cwd(document, run) else {
        return skip(
            "unknown-files",
            "the working directory uses a variable or an unknown `cd`",
        );
    };
    let file = |name: &str| document.image_file_source(run.index, &format!("{cwd}/{name}"));
    let package = match file("package.json") {
        ImageFile::Context(path) => path,
        ImageFile::Unknown => {
            return skip(
                "unknown-files",
                "package.json comes from another stage or a path dockfix cannot follow",
            );
        }
        ImageFile::Absent => {
            return skip(
                "no-package-json",
                "no package.json copied from the build context",
            );
        }
    };
    let lock = ["npm-shrinkwrap.json", "package-lock.json"]
        .into_iter()
        .map(file)
        .find(|source| *source != ImageFile::Absent);
    match lock {
        Some(ImageFile::Context(_)) => {}
        Some(_) => {
            return skip(
                "unknown-files",
                "the lockfile comes from another stage or a path dockfix cannot follow",
            );
        }
        None => {
            return skip(
                "no-lockfile",
                "no package-lock.json or npm-shrinkwrap.json copied from the build context: `npm ci` would fail",
            );
        }
    }
    let workspaces = context
        .read(&package)
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .is_some_and(|json| json.get("workspaces").is_some());
    if workspaces {
        return skip(
            "workspaces",
            "package.json declares workspaces: `npm ci` installs all of them",
        );
    }
    let edit = crate::fix::Edit {
        range: run.file_range(&subcommand.range),
        replacement: "ci".to_string(),
    };
    Some(run.finding(CODE, message).with_fix(Fix::unsafe_because(
        vec![edit],
        "`npm ci` fails when package.json and the lock disagree, deletes an existing node_modules, needs npm ≥ 5.7 (lockfileVersion 3: npm ≥ 7)",
    )))
}

/// A non-option word (a package) or a dynamic one among the arguments after the subcommand;
/// the values of options such as `--omit dev` are not packages.
fn package_arguments(args: &[Word]) -> bool {
    let mut words = args.iter();
    while let Some(word) = words.next() {
        match word.as_str() {
            Some(option) if NPM_OPTIONS_WITH_VALUE.contains(&option) => {
                words.next();
            }
            Some(value) if value.starts_with('-') => {}
            _ => return true,
        }
    }
    false
}
