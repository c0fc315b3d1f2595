//! DF402 `maintainer-to-label` · Safe · all stages · hadolint DL4000
//!
//! **What it does.** Replaces the deprecated `MAINTAINER <rest>` by
//! `LABEL maintainer="<rest>"`: `MAINTAINER Jane <j@x.io>` → `LABEL maintainer="Jane <j@x.io>"`.
//! When the stage already has a `maintainer` LABEL, the MAINTAINER line is deleted.
//!
//! **Why.** MAINTAINER is deprecated (BuildKit warns `MaintainerDeprecated`); the label is what
//! tools read.
//!
//! **Fix safety.** Safe: the image's files, environment and command stay; `docker inspect`
//! shows the maintainer under `Labels` instead of `Author`. The text is kept verbatim: LABEL
//! expands variables and removes quotes, MAINTAINER does not, so `\`, `"` and `$` get the
//! escape character before them.
//!
//! **Skips** (shown with `--show-skipped`): `multi-line` (continuation lines); `onbuild`;
//! `opaque`.

use crate::config::Settings;
use crate::document::{Document, Keyword};
use crate::fix::{Finding, Fix};
use crate::shell_rules::{delete_instruction, keyword_like};

const CODE: &str = "DF402";

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (index, instruction) in document.instructions.iter().enumerate() {
        if instruction.keyword != Keyword::Maintainer {
            continue;
        }
        let range = instruction.logical.range.clone();
        let message = "MAINTAINER is deprecated: use `LABEL maintainer=…`";
        let reason = if instruction.onbuild {
            Some("onbuild")
        } else if instruction.opaque {
            Some("opaque")
        } else if instruction.logical.start_line != instruction.logical.end_line {
            Some("multi-line")
        } else {
            None
        };
        if let Some(reason) = reason {
            findings.push(Finding::skip(CODE, range, reason, message));
            continue;
        }
        let labelled = instruction.stage.is_some_and(|stage| {
            document
                .stage_instructions(stage)
                .any(|(i, other)| i != index && has_maintainer_label(other.args(), other.keyword))
        });
        let fix = if labelled {
            Fix::safe(vec![delete_instruction(document, instruction)]).removing_instructions(1)
        } else {
            let escape = char::from(document.directives.escape);
            let mut value = String::new();
            for c in instruction.args().trim().chars() {
                if matches!(c, '\\' | '"' | '$') || c == escape {
                    value.push(escape);
                }
                value.push(c);
            }
            let keyword = &document.text()[instruction.logical.keyword.clone()];
            let mut fix = Fix::safe(vec![crate::fix::Edit {
                range: instruction.logical.keyword.start..range.end,
                replacement: format!("{} maintainer=\"{value}\"", keyword_like(keyword, "LABEL")),
            }])
            .removing_instructions(1);
            fix.adds_instructions = 1;
            fix
        };
        findings.push(Finding::new(CODE, range, message).with_fix(fix));
    }
    findings
}

/// A LABEL that sets `maintainer` (either form).
fn has_maintainer_label(args: &str, keyword: Keyword) -> bool {
    if keyword != Keyword::Label {
        return false;
    }
    let mut words = args.split_ascii_whitespace();
    let first = words.next().unwrap_or_default();
    let key = |word: &str| word.trim_matches(|c| c == '"' || c == '\'').to_string();
    if !first.contains('=') {
        return key(first) == "maintainer";
    }
    std::iter::once(first)
        .chain(words)
        .filter_map(|word| word.split_once('='))
        .any(|(k, _)| key(k) == "maintainer")
}
