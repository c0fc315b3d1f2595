//! DF507 `multiple-cmd-entrypoint` · DisplayOnly · all stages · hadolint DL4003, DL4004
//!
//! **What it does.** Reports every CMD (ENTRYPOINT) of a stage that a later CMD (ENTRYPOINT) of
//! the same stage overrides.
//!
//! **Why.** Only the last one takes effect; the earlier ones mislead the reader.
//!
//! **Fix safety.** No fix (advice only): which one was meant is the author's call.

use crate::config::Settings;
use crate::document::{Document, Keyword};
use crate::fix::Finding;

const CODE: &str = "DF507";

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let mut findings = Vec::new();
    for stage in 0..document.stages.len() {
        for (keyword, name) in [(Keyword::Cmd, "CMD"), (Keyword::Entrypoint, "ENTRYPOINT")] {
            let all: Vec<_> = document
                .stage_instructions(stage)
                .filter(|(_, i)| i.keyword == keyword && !i.onbuild)
                .collect();
            let Some(((_, last), earlier)) = all.split_last() else {
                continue;
            };
            for (_, instruction) in earlier {
                findings.push(Finding::new(
                    CODE,
                    instruction.logical.range.clone(),
                    format!(
                        "this {name} has no effect: the {name} at line {} overrides it",
                        last.logical.start_line
                    ),
                ));
            }
        }
    }
    findings
}
