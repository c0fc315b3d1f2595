//! DF002 `cleanup-in-separate-layer` · Safe · shipped stages · no hadolint rule
//!
//! **What it does.** Moves a RUN that only cleans up (`rm -rf` of absolute paths, `apt-get
//! clean|autoclean`, `yum|dnf|microdnf clean all`, `zypper clean`, `pip cache purge`, `npm cache
//! clean --force`, `yarn cache clean`, `composer clear-cache`) into the RUN that made the files:
//! the nearest earlier RUN of the stage using the same tool (for plain `rm`, the nearest earlier
//! RUN). Right after it, the two RUNs are joined as DF001 joins them; with LABEL, EXPOSE,
//! MAINTAINER, STOPSIGNAL, HEALTHCHECK, CMD or ENTRYPOINT between, the cleanup is appended to the
//! creator (`&& …`, in the file's style) and its RUN deleted.
//!
//! **Why.** A layer only adds files: deleting them in a later RUN hides them but they still
//! ship in the earlier layer. Cleaning in the same RUN keeps them out of the image.
//!
//! **Fix safety.** Safe: the same commands run in the same order; the cleanup runs with `&&`
//! after the creator, so the RUN still fails when either part fails, and its paths are
//! absolute, so the creator's working directory does not matter.
//!
//! **Skips** (shown with `--show-skipped`): another instruction between them (ENV, COPY,
//! WORKDIR, another RUN … — `intervening-instruction`); paths with `~`, `$VAR` or relative
//! (`dynamic-path`); different RUN flags (`different-flags`); the join or append is not
//! possible (the creator ends with `&`, `exit` or a comment, its gates: exec form, heredoc …).

use crate::config::Settings;
use crate::document::{Document, Keyword};
use crate::fix::{Edit, Finding, Fix};
use crate::shell_rules::{append_command, cleanup_tools, join_runs, never_merge, uses_tool};

const CODE: &str = "DF002";

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (index, run) in document.instructions.iter().enumerate() {
        let shipped = run.stage.is_some_and(|s| document.stages[s].shipped);
        if run.keyword != Keyword::Run || !shipped {
            continue;
        }
        let Ok(body) = run.editable_shell(document.text()) else {
            continue;
        };
        let Some(tools) = cleanup_tools(&body.script) else {
            continue;
        };
        let skip = |reason, message: &str| {
            Finding::skip(
                CODE,
                run.logical.range.clone(),
                reason,
                format!("cleanup in its own layer: {message}"),
            )
        };
        let tools = match tools {
            Ok(tools) => tools,
            Err(reason) => {
                findings.push(skip(
                    reason,
                    "its paths are not literal absolute paths (`~`, `$VAR`, relative)",
                ));
                continue;
            }
        };
        let Some((creator, blocker)) = find_creator(document, index, &tools) else {
            continue;
        };
        let line = |i: usize| document.instructions[i].logical.start_line;
        let message = format!(
            "the files it deletes still ship in the layer of line {}",
            line(creator)
        );
        if let Some(blocker) = blocker {
            let keyword = document.instructions[blocker]
                .logical
                .keyword_upper(document.text());
            findings.push(skip(
                "intervening-instruction",
                &format!(
                    "{message}; {keyword} at line {} is between them",
                    line(blocker)
                ),
            ));
            continue;
        }
        match merge(document, creator, index) {
            Ok(fix) => findings.push(
                Finding::new(
                    CODE,
                    run.logical.range.clone(),
                    format!("cleanup in its own layer: {message}; clean up in that RUN"),
                )
                .with_fix(fix),
            ),
            Err(reason) => findings.push(skip(reason, &message)),
        }
    }
    findings
}

/// The RUN that made the files (the nearest earlier RUN of the stage using one of `tools`, or
/// any RUN for plain `rm`), and the nearest instruction between them that keeps them apart.
fn find_creator(
    document: &Document,
    cleanup: usize,
    tools: &[&str],
) -> Option<(usize, Option<usize>)> {
    let stage = document.instructions[cleanup].stage;
    let mut blocker = None;
    for index in (0..cleanup).rev() {
        let instruction = &document.instructions[index];
        if instruction.stage != stage || instruction.keyword == Keyword::From {
            return None;
        }
        let creates = instruction.keyword == Keyword::Run
            && !instruction.onbuild
            && match instruction.editable_shell(document.text()) {
                Ok(body) => tools.is_empty() || tools.iter().any(|t| uses_tool(&body.script, t)),
                Err(_) => tools.is_empty(),
            };
        if creates {
            return Some((index, blocker));
        }
        if !instruction.only_metadata() {
            blocker.get_or_insert(index);
        }
    }
    None
}

/// Right after the creator: DF001's join. Otherwise: append the cleanup to the creator and
/// delete the cleanup RUN with its line.
fn merge(document: &Document, creator: usize, cleanup: usize) -> Result<Fix, &'static str> {
    let (first, run) = (
        &document.instructions[creator],
        &document.instructions[cleanup],
    );
    if first.flags.len() != run.flags.len() || !first.flags.iter().all(|f| run.flags.contains(f)) {
        return Err("different-flags");
    }
    if creator + 1 == cleanup {
        if let Some(reason) = never_merge(document, creator, cleanup) {
            return Err(reason);
        }
        if let Ok(fix) = join_runs(document, &[creator, cleanup]) {
            return Ok(fix);
        }
    }
    let text = document.text();
    let creator_body = first.editable_shell(text)?;
    let script = &run.editable_shell(text)?.script;
    let tail = script.tail().ok_or("empty-run")?;
    let shape = script.shape();
    let commands = &script.text()[..tail.end];
    let commands = if shape.statements > 1 || shape.or_list {
        format!("{{ {commands} ; }}")
    } else {
        commands.to_string()
    };
    let append = append_command(document, first, creator_body, &commands)?;
    let range = &run.logical.range;
    let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let start = if text[line_start..range.start].trim().is_empty() {
        line_start
    } else {
        range.start
    };
    let end = range.end + document.source.line_ending_at(range.end).len();
    let delete = Edit {
        range: start..end.min(text.len()),
        replacement: String::new(),
    };
    Ok(Fix::safe(vec![append, delete]).removing_instructions(1))
}
