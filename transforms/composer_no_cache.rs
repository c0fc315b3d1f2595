//! DF152 `composer-no-cache` · Safe · shipped stages · no hadolint rule
//!
//! **What it does.** Keeps Composer's download cache out of the layer for `composer install`,
//! `update`, `require`, `create-project` (and `i`, `u`, `upgrade`, `r`; `composer.phar` and
//! `php composer.phar` too). When Composer is known to be 1.9 or later (copied from the official
//! `composer` image untagged or tagged ≥ 1.9, a `composer` base image, the installer run with
//! `--2`/`--version=…`, `self-update --2`), it inserts the global `--no-cache` option after the
//! subcommand: `composer install --no-interaction` → `composer install --no-cache
//! --no-interaction`. Otherwise it appends `composer clear-cache` (every 1.x/2.x has it) to the
//! RUN, with the same command word and prefixes.
//!
//! **Why.** Composer keeps every downloaded package archive in `~/.composer/cache` (or
//! `$COMPOSER_HOME/cache`, `~/.cache/composer`): a second copy of the vendor tree in the layer.
//!
//! **When it is already satisfied.** `--no-cache`; `COMPOSER_CACHE_DIR=/dev/null` as the
//! command sees it (what `--no-cache` itself sets); a later `composer clear-cache`
//! (`clearcache`, `cc`) or `rm` of a Composer cache directory in the same RUN; a cache mount on
//! the cache directory. `--no-dev` is never added here (DF153).
//!
//! **Fix safety.** Safe: the same packages are installed; only their cached archives are not
//! kept. `--no-cache` is added only when Composer is known to have it (since 1.9.0).
//!
//! **Skips** (shown with `--show-skipped`): options from a variable before the subcommand;
//! `$( )`/`eval`; for the appended cleanup, every install inside `if`/`case`/loops, an
//! `xargs`/`exec` wrapper, `cannot-append`; the RULES.md §2 gates.

use crate::config::Settings;
use crate::document::{Document, EnvValue, Keyword};
use crate::fix::{Finding, Fix};
use crate::shell::{Nesting, Word};
use crate::shell_rules::{
    append_cleanup, cache_covered, commands_by_run, environment, first_operand, gated_finding,
    has_option, scan_runs, uncleaned_trigger, Operand, RunCommand, Scope,
};

const CODE: &str = "DF152";

/// Composer's options that take their value as the next word.
const OPTIONS_WITH_VALUE: &[&str] = &["-d", "--working-dir"];

/// Subcommands that download packages.
const DOWNLOADS: &[&str] = &[
    "install",
    "i",
    "update",
    "u",
    "upgrade",
    "require",
    "r",
    "create-project",
];

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let scan = scan_runs(document, Scope::Shipped, |text| text.contains("composer"));
    let mut findings: Vec<Finding> = scan
        .gated
        .iter()
        .filter(|(instruction, _)| {
            let text = &instruction.logical.text;
            text.contains("install") && !text.contains("--no-cache") && !text.contains("clear")
        })
        .map(|(instruction, reason)| {
            gated_finding(
                CODE,
                instruction,
                reason,
                "Composer cache left in the layer",
            )
        })
        .collect();
    for run_commands in commands_by_run(&scan.commands) {
        findings.extend(check_run(document, run_commands));
    }
    findings
}

/// A Composer invocation: the word naming Composer (`composer`, `composer.phar`, or the script
/// after `php`) and the arguments after it.
pub(super) fn composer_args<'r>(run: &'r RunCommand) -> Option<(&'r Word, &'r [Word])> {
    let is_composer = |name: &str| matches!(name, "composer" | "composer.phar");
    let command = &run.command;
    if is_composer(command.basename()?) {
        return Some((&command.name, &command.args));
    }
    if !command.basename()?.starts_with("php") {
        return None;
    }
    // php [-d setting] [-n] composer.phar …
    let script = match first_operand(&command.args, &["-d", "-c", "-z"]) {
        Operand::At(i) => i,
        _ => return None,
    };
    let name = command.args[script].as_str()?;
    is_composer(name.rsplit('/').next().unwrap_or(name))
        .then(|| (&command.args[script], &command.args[script + 1..]))
}

/// The subcommand's index when the command is a Composer call that downloads packages.
pub(super) fn downloading_subcommand(
    args: &[Word],
    subcommands: &[&str],
) -> Result<Option<usize>, ()> {
    match first_operand(args, OPTIONS_WITH_VALUE) {
        Operand::At(i) => Ok(args[i]
            .as_str()
            .is_some_and(|name| subcommands.contains(&name))
            .then_some(i)),
        Operand::Dynamic
            if args
                .iter()
                .any(|w| w.as_str().is_some_and(|v| subcommands.contains(&v))) =>
        {
            Err(())
        }
        _ => Ok(None),
    }
}

fn downloads(run: &RunCommand) -> bool {
    composer_args(run)
        .is_some_and(|(_, args)| !matches!(downloading_subcommand(args, DOWNLOADS), Ok(None)))
}

/// `composer clear-cache` or an `rm` of a Composer cache or home directory.
fn clears_cache(run: &RunCommand) -> bool {
    if let Some((_, args)) = composer_args(run) {
        return matches!(
            first_operand(args, OPTIONS_WITH_VALUE),
            Operand::At(i) if matches!(args[i].as_str(), Some("clear-cache" | "clearcache" | "cc"))
        );
    }
    let text = run.body.script.text();
    run.command.basename() == Some("rm")
        && run.command.args.iter().any(|word| {
            let raw = text[word.range.clone()].trim_end_matches(['/', '*', '"', '\'']);
            let lower = raw.to_ascii_lowercase();
            (lower.contains("composer") && lower.contains("cache"))
                || raw.ends_with(".composer")
                || raw.ends_with("COMPOSER_HOME")
                || raw.ends_with("COMPOSER_HOME}")
        })
}

/// The cache is disabled for this command: `--no-cache` or `COMPOSER_CACHE_DIR=/dev/null`.
fn cache_disabled(document: &Document, run: &RunCommand, args: &[Word]) -> bool {
    has_option(args, "--no-cache")
        || matches!(environment(document, run, "COMPOSER_CACHE_DIR"),
            Some(EnvValue::Literal(dir)) if dir == "/dev/null")
}

fn check_run(document: &Document, run_commands: &[RunCommand]) -> Option<Finding> {
    let uncached = |run: &RunCommand| {
        downloads(run)
            && composer_args(run).is_some_and(|(_, args)| !cache_disabled(document, run, args))
    };
    let last = uncleaned_trigger(run_commands, uncached, clears_cache)?;
    let dirs = cache_dirs(document, last);
    if cache_covered(
        last.instruction,
        &dirs.iter().map(String::as_str).collect::<Vec<_>>(),
    ) {
        return None;
    }
    let (program, args) = composer_args(last)?;
    let message = "Composer keeps downloaded packages in its cache in the layer";
    let skip = |run: &RunCommand, reason, why: &str| {
        Some(Finding::skip(
            CODE,
            run.file_range(&run.command.range),
            reason,
            format!("{message}; {why}"),
        ))
    };
    let Ok(Some(at)) = downloading_subcommand(args, DOWNLOADS) else {
        return skip(
            last,
            "dynamic-flags",
            "options from a variable may hold --no-cache",
        );
    };
    if last.command.nesting == Nesting::Substitution {
        return skip(last, "nested-shell", "the command runs in a nested shell");
    }
    if has_no_cache_option(document, last.index) {
        let fix = Fix::safe(vec![last.insert_after(&args[at], " --no-cache")]);
        return Some(
            last.finding(CODE, format!("{message}: add `--no-cache`"))
                .with_fix(fix),
        );
    }
    let triggers: Vec<&RunCommand> = run_commands.iter().filter(|r| uncached(r)).collect();
    match append_cleanup(document, &triggers, last, program, "clear-cache") {
        Ok(edit) => Some(
            last.finding(
                CODE,
                format!("{message}: no `composer clear-cache` after it"),
            )
            .with_fix(Fix::safe(vec![edit])),
        ),
        Err((reason, why)) => skip(last, reason, why),
    }
}

/// Composer's cache directories as far as the Dockerfile tells, for cache mounts.
fn cache_dirs(document: &Document, run: &RunCommand) -> Vec<String> {
    let literal = |name| match environment(document, run, name) {
        Some(EnvValue::Literal(value)) => Some(value),
        _ => None,
    };
    let mut dirs = vec![
        ".composer/cache".to_string(),
        ".cache/composer".to_string(),
        // The official composer image sets COMPOSER_HOME=/tmp.
        "/tmp/cache".to_string(),
    ];
    dirs.extend(literal("COMPOSER_CACHE_DIR"));
    dirs.extend(literal("COMPOSER_HOME").map(|home| format!("{home}/cache")));
    dirs
}

/// Composer is known to be 1.9 or later where instruction `index` runs: copied from (or based
/// on) the official image untagged or tagged ≥ 1.9, or installed/updated to an explicit version.
fn has_no_cache_option(document: &Document, index: usize) -> bool {
    let mut instructions = document.instructions_before(index);
    instructions.push(index);
    let root_base = document.instructions[index].stage.map(|stage| {
        let mut root = &document.stages[stage];
        while let Some(parent) = root.parent {
            root = &document.stages[parent];
        }
        root.base.as_str()
    });
    root_base.is_some_and(composer_image_has_no_cache)
        || instructions.into_iter().any(|i| {
            let instruction = &document.instructions[i];
            match instruction.keyword {
                Keyword::Copy | Keyword::Add => instruction
                    .flag("from")
                    .and_then(|flag| flag.value.as_deref())
                    .is_some_and(composer_image_has_no_cache),
                Keyword::Run => installs_new_composer(&instruction.logical.text),
                _ => false,
            }
        })
}

/// `composer`, `composer:latest`, `composer:2…`, `composer:1.9…` (also `composer/composer`).
fn composer_image_has_no_cache(image: &str) -> bool {
    let image = image.to_ascii_lowercase();
    let image = image.split('@').next().unwrap_or_default();
    let image = image.strip_prefix("docker.io/").unwrap_or(image);
    let image = image.strip_prefix("library/").unwrap_or(image);
    let (name, tag) = image.split_once(':').unwrap_or((image, "latest"));
    matches!(name, "composer" | "composer/composer")
        && (tag.starts_with("latest") || version_at_least_1_9(tag))
}

/// The installer (`--2`, `--version=X`) or `self-update` (`--2`, `X`) asks for Composer ≥ 1.9.
fn installs_new_composer(text: &str) -> bool {
    if !text.contains("composer") {
        return false;
    }
    let words: Vec<&str> = text.split_ascii_whitespace().collect();
    words.iter().enumerate().any(|(i, word)| {
        let word = word.trim_matches(['"', '\'', ';']);
        word == "--2"
            || word.starts_with("--2.")
            || word
                .strip_prefix("--version=")
                .is_some_and(version_at_least_1_9)
            || (i > 0 && words[i - 1] == "self-update" && version_at_least_1_9(word))
    })
}

/// `2`, `2.7.1`, `1.9.0`, `1.10` (≥ 1.9); `1.8`, `1`, `abc` are not.
fn version_at_least_1_9(version: &str) -> bool {
    let mut parts = version
        .split(['.', '-'])
        .map(|part| part.parse::<u32>().ok());
    match (parts.next().flatten(), parts.next().flatten()) {
        (Some(major), _) if major >= 2 => true,
        (Some(1), Some(minor)) => minor >= 9,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composer_versions() {
        for yes in ["2", "2.7.1", "1.9.0", "1.10", "2-alpine"] {
            assert!(version_at_least_1_9(yes), "{yes}");
        }
        for no in ["1.8", "1", "abc", ""] {
            assert!(!version_at_least_1_9(no), "{no}");
        }
        assert!(composer_image_has_no_cache("composer"));
        assert!(composer_image_has_no_cache(
            "docker.io/library/composer:2.7"
        ));
        assert!(!composer_image_has_no_cache("composer:1.8"));
        assert!(!composer_image_has_no_cache("php:8.3"));
        assert!(installs_new_composer(
            "php composer-setup.php --version=2.7.1"
        ));
        assert!(installs_new_composer("composer self-update --2"));
        assert!(!installs_new_composer("composer self-update --1"));
    }
}
