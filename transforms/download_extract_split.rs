//! DF003 `download-extract-split` · Safe (merge) / Unsafe (delete) · shipped stages · no hadolint rule
//!
//! **What it does.** Finds an archive downloaded in one RUN (`curl -o F`, `curl -O URL`, `wget
//! URL`, `wget -O F`) and extracted in a later one (`tar x…f F`, `unzip F`, `gunzip F`), with
//! its `rm F` in a third RUN or nowhere. When the RUNs are consecutive (only comments or blank
//! lines between, DF001's conditions), they are merged with DF001's join. When the archive is
//! never deleted and no later instruction names it, it offers `&& rm -f F` right after the
//! extraction (also when download and extraction already share a RUN, so the advice survives
//! the merge).
//!
//! **Why.** The archive ships in the download's layer even when a later RUN extracts and
//! deletes it: the image carries it twice (packed and unpacked).
//!
//! **Fix safety.** The merge is Safe: the same commands in the same order, joined with `&&`
//! as DF001 joins them. Deleting the archive is Unsafe: something outside the Dockerfile (an
//! entrypoint script, the application) may still read it.
//!
//! **Skips** (shown with `--show-skipped`): an instruction between the RUNs (the message names
//! the layer that keeps the archive, `intervening-instruction`); the archive path is not literal
//! (`dynamic-path`); the RUNs may never be one (different flags, exec form, heredoc …) or the
//! join is not possible (a background job, a trailing comment).

use crate::config::Settings;
use crate::document::{Document, Keyword};
use crate::fix::{Edit, Finding, Fix};
use crate::shell::Nesting;
use crate::shell_rules::{
    archive_uses, join_runs, never_merge, removes, ArchiveAction, ArchiveUse,
};

const CODE: &str = "DF003";

/// One RUN's archive uses.
struct RunUses {
    index: usize,
    uses: Vec<ArchiveUse>,
}

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let mut findings = Vec::new();
    for stage in document.stages.iter().filter(|stage| stage.shipped) {
        let downloads = document.stage_instructions(stage.index).any(|(_, i)| {
            i.keyword == Keyword::Run && ["curl", "wget"].iter().any(|t| i.logical.text.contains(t))
        });
        if !downloads {
            continue;
        }
        let all: Vec<RunUses> = document
            .stage_instructions(stage.index)
            .filter(|(_, i)| i.keyword == Keyword::Run && !i.onbuild)
            .filter_map(|(index, i)| {
                let body = i.editable_shell(document.text()).ok()?;
                Some(RunUses {
                    index,
                    uses: archive_uses(&body.script),
                })
            })
            .filter(|run| !run.uses.is_empty())
            .collect();
        for download_run in &all {
            for download in download_run
                .uses
                .iter()
                .filter(|u| u.action == ArchiveAction::Download)
            {
                check_download(document, download_run, download, &all, &mut findings);
            }
        }
    }
    findings
}

fn check_download(
    document: &Document,
    download_run: &RunUses,
    download: &ArchiveUse,
    all: &[RunUses],
    findings: &mut Vec<Finding>,
) {
    let later = |run: &RunUses, use_: &ArchiveUse| {
        run.index > download_run.index || use_.command.range.start > download.command.range.start
    };
    fn named<'r>(
        run: &'r RunUses,
        download: &ArchiveUse,
        later: impl Fn(&RunUses, &ArchiveUse) -> bool,
        action: fn(ArchiveAction) -> bool,
    ) -> Option<&'r ArchiveUse> {
        run.uses.iter().find(|u| {
            let same = match u.action {
                ArchiveAction::Remove => removes(&u.path, &download.path),
                _ => u.path == download.path,
            };
            later(run, u) && same && action(u.action)
        })
    }
    let is_extract: fn(ArchiveAction) -> bool = |a| matches!(a, ArchiveAction::Extract { .. });
    let Some((extract_run, extract)) = all
        .iter()
        .filter(|run| run.index >= download_run.index)
        .find_map(|run| named(run, download, later, is_extract).map(|u| (run, u)))
    else {
        return;
    };
    let remove_run = all
        .iter()
        .filter(|run| run.index >= extract_run.index)
        .find(|run| named(run, download, later, |a| a == ArchiveAction::Remove).is_some());
    let line = |i: usize| document.instructions[i].logical.start_line;
    let path = &download.path;
    let first = &document.instructions[download_run.index];
    let skip =
        |reason, message: String| Finding::skip(CODE, first.logical.range.clone(), reason, message);
    if !download.literal || !extract.literal {
        findings.push(skip(
            "dynamic-path",
            format!("the archive `{path}` is not a literal path"),
        ));
        return;
    }
    let last = remove_run.map_or(extract_run.index, |run| run.index.max(extract_run.index));
    if last > download_run.index {
        let message = format!(
            "`{path}` is downloaded at line {} and extracted at line {}: the archive ships in the layer of line {}",
            line(download_run.index),
            line(extract_run.index),
            line(download_run.index)
        );
        let range = first.logical.range.start..document.instructions[last].logical.range.end;
        let between = (download_run.index + 1..last)
            .find(|&i| document.instructions[i].keyword != Keyword::Run);
        if let Some(between) = between {
            let keyword = document.instructions[between]
                .logical
                .keyword_upper(document.text());
            findings.push(skip(
                "intervening-instruction",
                format!(
                    "{message}; {keyword} at line {} is between them",
                    line(between)
                ),
            ));
        } else if let Some(reason) =
            (download_run.index..last).find_map(|i| never_merge(document, i, i + 1))
        {
            findings.push(skip(reason, message));
        } else {
            let runs: Vec<usize> = (download_run.index..=last).collect();
            findings.push(match join_runs(document, &runs) {
                Ok(fix) => {
                    Finding::new(CODE, range, format!("{message}; merge the RUNs")).with_fix(fix)
                }
                Err((_, reason)) => skip(reason, message),
            });
        }
    }
    if remove_run.is_none() {
        if let Some(finding) = delete_archive(document, extract_run, extract) {
            findings.push(finding);
        }
    }
}

/// `&& rm -f F` right after the extraction when the archive is kept, the extraction is a
/// top-level command outside a pipeline, and nothing after it names the archive.
fn delete_archive(
    document: &Document,
    extract_run: &RunUses,
    extract: &ArchiveUse,
) -> Option<Finding> {
    if !matches!(extract.action, ArchiveAction::Extract { keeps: true, .. })
        || extract.command.nesting != Nesting::TopLevel
        || extract.command.in_pipeline
    {
        return None;
    }
    let instruction = &document.instructions[extract_run.index];
    let body = instruction.editable_shell(document.text()).ok()?;
    let script = body.script.text();
    let file_name = extract.path.rsplit('/').next().unwrap_or(&extract.path);
    let removed_after = archive_uses(&body.script).iter().any(|u| {
        u.action == ArchiveAction::Remove
            && u.command.range.start >= extract.command.range.end
            && (removes(&u.path, &extract.path) || removes(&u.path, file_name))
    });
    if removed_after || script[extract.command.range.end..].contains(file_name) {
        return None;
    }
    let named_later = document.instructions[extract_run.index + 1..]
        .iter()
        .any(|i| document.text()[i.logical.range.clone()].contains(file_name));
    if named_later {
        return None;
    }
    let written = &script[extract.word.clone()];
    let at = instruction.script_end_to_file(body, extract.command.range.end);
    let fix = Fix::unsafe_because(
        vec![Edit::insert(at, format!(" && rm -f {written}"))],
        "something outside the Dockerfile may still read the archive",
    );
    Some(
        Finding::new(
            CODE,
            instruction.script_to_file(body, extract.command.range.start)..at,
            format!(
                "the extracted archive `{}` stays in the layer: delete it after extracting",
                extract.path
            ),
        )
        .with_fix(fix),
    )
}
