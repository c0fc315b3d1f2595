//! DF001 `merge-adjacent-runs` · Safe · all stages · hadolint DL3059
//!
//! **What it does.** Merges consecutive RUN instructions of a stage (only blank lines or
//! comments between them) into one RUN: `RUN a` ⏎ `RUN b` → `RUN a \` ⏎ `    && b`. A whole
//! run of short RUNs becomes one RUN in one fix.
//!
//! **Why.** Every RUN is a layer: more layers to build, push and pull, and files a later RUN
//! deletes still ship in the layer that made them.
//!
//! **How the join keeps what the shell does.** The RUNs are joined with `&&`, so the merged RUN
//! fails when any part fails, as the build did. A RUN that changes the shell (`cd`, `export`,
//! `set`, an assignment, a function, `exit` …) is wrapped as `( A )` so the next part still
//! starts in a fresh shell (WORKDIR, image environment, SHELL options); a later RUN with a
//! top-level `;`, newline list or `||` is grouped as `{ B ; }` so `&&` binds to all of it. Each
//! later RUN starts a new line in the file's continuation style (leading `&&` or trailing
//! `&& \`, its indentation, line endings and escape character); comments between the RUNs move
//! inside the continuation just before their RUN (Docker drops comment lines there); blank
//! lines between them are removed.
//!
//! **Policy** (`[rules.DF001]` in `dockfix.toml`): `merge = "simple"` (default): each RUN has
//! at most `max-commands` (3) top-level commands (longer chains are deliberate layers, as in
//! hadolint's heuristic) and the merged line stays within `max-length` (2000) bytes; `"all"`
//! drops the command limit; `"off"` merges nothing. The limit is checked on the original RUNs,
//! so the merged RUN is stable on the next run.
//!
//! **Across metadata** (`merge-across-metadata = true`, off by default): RUNs with only LABEL,
//! EXPOSE, MAINTAINER, STOPSIGNAL, HEALTHCHECK, CMD or ENTRYPOINT between them merge too; those
//! instructions move, unchanged and in their order with the comment lines above them, below
//! the merged RUN: `RUN a` ⏎ `EXPOSE 80` ⏎ `RUN b` → `RUN a \` ⏎ `    && b` ⏎ `EXPOSE 80`.
//! They only set the image's configuration, which no RUN reads: the second RUN runs with the
//! same environment, directory, user, shell and files, and the image gets the same
//! configuration. Not across ENV or ARG (they change the second RUN's environment), WORKDIR,
//! USER, SHELL, COPY, ADD (its directory, user, shell, files), VOLUME (changes under it after
//! it are discarded) or ONBUILD.
//!
//! **Fix safety.** Safe: the same commands run in the same order under the same shell, in one
//! layer instead of several.
//!
//! **Never merged** (counted, not reported): an instruction between the RUNs (ENV, WORKDIR,
//! COPY, USER …; with `merge-across-metadata`, any but the metadata above, or one the grammar
//! could not read); different flags (`--mount`, `--network`, `--security`); exec form; heredocs;
//! a non-POSIX shell or Windows image; ONBUILD; text the grammar could not read; a shell syntax
//! error; a `# hadolint`/`# dockfix:` pragma between them (it would change scope); a login or
//! interactive SHELL, `BASH_ENV` or `ENV` set (the shell reads startup files at every RUN); RUN
//! pairs that DF002 (cleanup) or DF003 (download and extract) merge instead, in shipped stages.
//!
//! **Skips** (shown with `--show-skipped`): `limits` (a RUN with more than `max-commands`
//! top-level commands, or a merged line over `max-length` bytes); `background-job` (a `&` job would outlive its RUN);
//! `trailing-comment` (a shell comment would swallow what follows); `replaces-shell` (a RUN that
//! replaces `/bin/sh` must end before the next shell starts); `merged-syntax` (each RUN's script
//! parses but the joined one does not, e.g. `echo { ; }.` after `&&`).

use crate::config::{MergeOptions, MergePolicy, Settings};
use crate::document::Document;
use crate::fix::Finding;
use crate::shell::{Nesting, Script};
use crate::shell_rules::{
    archive_uses, cleanup_tools, join_runs, never_merge, only_metadata_between, ArchiveAction,
};

const CODE: &str = "DF001";

/// What DF001 decides for two consecutive RUNs of a stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Merge,
    /// Never one RUN (a statistic): the reason.
    Never(&'static str),
    /// DF002 or DF003 merge this pair.
    Owned,
    /// Could be one RUN but the policy or the join refuses: the reason.
    Skip(&'static str),
}

/// Every pair of consecutive RUNs in each stage (no RUN between them) with DF001's verdict, in
/// file order; the length limit is applied to whole sequences, as the fix merges them.
pub fn pairs(document: &Document, options: &MergeOptions) -> Vec<(usize, usize, Verdict)> {
    let mut out = Vec::new();
    for stage in 0..document.stages.len() {
        let runs: Vec<usize> = document
            .stage_instructions(stage)
            .filter(|(_, i)| i.keyword == crate::document::Keyword::Run)
            .map(|(index, _)| index)
            .collect();
        let mut length = 0;
        for pair in runs.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let mut verdict = verdict(document, a, b, options);
            if verdict == Verdict::Merge {
                if length == 0 {
                    length = document.instructions[a].args().len();
                }
                length += document.instructions[b].args().len() + " && ".len();
                if length > options.max_length {
                    verdict = Verdict::Skip("limits");
                }
            }
            if verdict != Verdict::Merge {
                length = 0;
            }
            out.push((a, b, verdict));
        }
    }
    out
}

fn verdict(document: &Document, a: usize, b: usize, options: &MergeOptions) -> Verdict {
    let adjacent = b == a + 1;
    let metadata_between = options.across_metadata && only_metadata_between(document, a, b);
    if !adjacent && !metadata_between {
        return Verdict::Never("instruction-between");
    }
    if let Some(reason) = never_merge(document, a, b) {
        return Verdict::Never(reason);
    }
    let script = |index: usize| {
        let instruction = &document.instructions[index];
        let body = instruction.editable_shell(document.text());
        &body.expect("never_merge checked the gates").script
    };
    let shipped = document.instructions[a]
        .stage
        .is_some_and(|stage| document.stages[stage].shipped);
    if shipped && owned(script(a), script(b), adjacent) {
        return Verdict::Owned;
    }
    let too_long = |index| {
        options.policy == MergePolicy::Simple
            && top_level_commands(script(index)) > options.max_commands
    };
    if too_long(a) || too_long(b) {
        return Verdict::Skip("limits");
    }
    match join_runs(document, &[a, b]) {
        Ok(_) => Verdict::Merge,
        Err((_, reason)) => Verdict::Skip(reason),
    }
}

/// RULES.md §4: in shipped stages (theirs), DF002 owns a cleanup-only RUN after its creator
/// (metadata between them too), DF003 a RUN right after one that downloads (or extracts) the
/// archive it extracts (or removes).
fn owned(a: &Script, b: &Script, adjacent: bool) -> bool {
    if cleanup_tools(b).is_some() {
        return true;
    }
    if !adjacent {
        return false;
    }
    let (first, second) = (archive_uses(a), archive_uses(b));
    first.iter().any(|x| {
        second.iter().any(|y| {
            x.path == y.path
                && matches!(
                    (x.action, y.action),
                    (ArchiveAction::Download, ArchiveAction::Extract { .. })
                        | (ArchiveAction::Extract { .. }, ArchiveAction::Remove)
                )
        })
    })
}

fn top_level_commands(script: &Script) -> usize {
    script
        .commands()
        .iter()
        .filter(|command| command.nesting == Nesting::TopLevel)
        .count()
}

pub fn check(document: &Document, settings: &Settings) -> Vec<Finding> {
    let options = &settings.merge;
    if options.policy == MergePolicy::Off {
        return Vec::new();
    }
    let mut findings = Vec::new();
    let mut sequence: Vec<usize> = Vec::new();
    let line = |index: usize| document.instructions[index].logical.start_line;
    let flush = |sequence: &mut Vec<usize>, findings: &mut Vec<Finding>| {
        if sequence.len() > 1 {
            let first = &document.instructions[sequence[0]];
            let last = &document.instructions[sequence[sequence.len() - 1]];
            let range = first.logical.range.start..last.logical.range.end;
            let lines: Vec<String> = sequence.iter().map(|&i| line(i).to_string()).collect();
            let mut message = format!(
                "{} consecutive RUNs (lines {}) make {} layers: merge them into one",
                sequence.len(),
                lines.join(", "),
                sequence.len()
            );
            let moved: Vec<String> = (sequence[0]..sequence[sequence.len() - 1])
                .filter(|i| !sequence.contains(i))
                .map(|i| {
                    let keyword = document.instructions[i]
                        .logical
                        .keyword_upper(document.text());
                    format!("{keyword} (line {})", line(i))
                })
                .collect();
            if !moved.is_empty() {
                message.push_str(&format!(
                    "; {} between them move below it",
                    moved.join(", ")
                ));
            }
            findings.push(match join_runs(document, sequence) {
                Ok(fix) => Finding::new(CODE, range, message).with_fix(fix),
                Err((_, reason)) => Finding::skip(CODE, range, reason, message),
            });
        }
        sequence.clear();
    };
    for (a, b, verdict) in pairs(document, options) {
        if verdict == Verdict::Merge {
            if sequence.last() != Some(&a) {
                flush(&mut sequence, &mut findings);
                sequence.push(a);
            }
            sequence.push(b);
            continue;
        }
        flush(&mut sequence, &mut findings);
        if let Verdict::Skip(reason) = verdict {
            let range = document.instructions[a].logical.range.start
                ..document.instructions[b].logical.range.end;
            findings.push(Finding::skip(
                CODE,
                range,
                reason,
                format!(
                    "consecutive RUNs (lines {} and {}) stay two layers: {}",
                    line(a),
                    line(b),
                    explain(reason, options)
                ),
            ));
        }
    }
    flush(&mut sequence, &mut findings);
    findings
}

fn explain(reason: &str, options: &MergeOptions) -> String {
    match reason {
        "limits" => format!(
            "a RUN has more than {} top-level commands (a deliberate layer) or the merged line would exceed {} bytes",
            options.max_commands, options.max_length
        ),
        "background-job" => "a background job (`&`) would outlive its RUN into the next".into(),
        "trailing-comment" => "a shell comment would swallow the commands joined after it".into(),
        "replaces-shell" => "the RUN replaces the shell, which only the next RUN starts".into(),
        _ => "the RUNs cannot be joined safely".into(),
    }
}
