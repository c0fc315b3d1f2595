//! DF403 `legacy-key-value-format` · Safe · all stages · no hadolint rule
//!
//! **What it does.** Rewrites the legacy `ENV key value` and `LABEL key value` forms to
//! `key=value`: `ENV LANG C.UTF-8` → `ENV LANG=C.UTF-8`; a value with blanks is quoted,
//! `ENV OPTS -a -b` → `ENV OPTS="-a -b"`, or, when it holds quotes, backslashes or backquotes,
//! gets the escape character before each unquoted blank.
//!
//! **Why.** The legacy form is deprecated (BuildKit warns `LegacyKeyValueFormat`) and
//! ambiguous: `ENV A B C=D` sets A to `B C=D`, not two variables.
//!
//! **Fix safety.** Safe: both forms get the same word processing (quote removal, variable
//! expansion); only the legacy one keeps unquoted blanks, and the rewrite quotes or escapes
//! exactly those, so the value is the same.
//!
//! **Skips** (shown with `--show-skipped`): `multi-line` (key and value on different lines,
//! comments or continuations in the value); `windows-escape` (a Windows stage whose value holds
//! the escape character); `onbuild`; `opaque`.

use crate::config::Settings;
use crate::document::{Document, Keyword};
use crate::fix::{Edit, Finding, Fix};

const CODE: &str = "DF403";

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let mut findings = Vec::new();
    let escape = char::from(document.directives.escape);
    for instruction in &document.instructions {
        let keyword = match instruction.keyword {
            Keyword::Env => "ENV",
            Keyword::Label => "LABEL",
            _ => continue,
        };
        let args = instruction.args();
        let Some(key_end) = args.find(|c: char| c.is_ascii_whitespace()) else {
            continue;
        };
        let key = &args[..key_end];
        if key.contains(['=', '"', '\'', '$']) {
            continue;
        }
        let value = args[key_end..].trim();
        if value.is_empty() {
            continue;
        }
        let range = instruction.logical.range.clone();
        let message = format!("legacy `{keyword} {key} value` form: use `{key}=value`");
        let windows = instruction
            .stage
            .is_some_and(|s| document.stages[s].windows);
        let reason = if instruction.onbuild {
            Some("onbuild")
        } else if instruction.opaque {
            Some("opaque")
        } else if instruction.logical.start_line != instruction.logical.end_line {
            Some("multi-line")
        } else if windows && value.contains(escape) {
            Some("windows-escape")
        } else {
            None
        };
        if let Some(reason) = reason {
            findings.push(Finding::skip(CODE, range, reason, message));
            continue;
        }
        let Some(blanks) = unquoted_blanks(value, escape) else {
            continue; // an unterminated quote: BuildKit rejects it
        };
        // The instruction is one physical line: logical offsets map one to one.
        let to_file = |offset: usize| {
            instruction
                .logical
                .map
                .to_file(instruction.args_offset + offset)
        };
        let value_start = args.len() - args[key_end..].trim_start().len();
        let value_end = value_start + value.len();
        let mut edits = vec![Edit {
            range: to_file(key_end)..to_file(value_start),
            replacement: "=".to_string(),
        }];
        let quotable = !value.contains(['"', '\'', '\\', '`']) && !value.contains(escape);
        if !blanks.is_empty() && quotable {
            let end = instruction
                .logical
                .map
                .to_file_end(instruction.args_offset + value_end);
            edits.push(Edit::insert(to_file(value_start), "\""));
            edits.push(Edit::insert(end, "\""));
        } else {
            edits.extend(
                blanks
                    .iter()
                    .map(|&blank| Edit::insert(to_file(value_start + blank), escape.to_string())),
            );
        }
        findings.push(Finding::new(CODE, range, message).with_fix(Fix::safe(edits)));
    }
    findings
}

/// Offsets of the blanks outside quotes and not escaped; `None` for an unterminated quote.
fn unquoted_blanks(value: &str, escape: char) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    let mut quote = None;
    let mut escaped = false;
    for (i, c) in value.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match (quote, c) {
            (Some('\''), '\'') => quote = None,
            (Some('\''), _) => {}
            (_, c) if c == escape => escaped = true,
            (Some(_), '"') => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, ' ' | '\t') => out.push(i),
            _ => {}
        }
    }
    quote.is_none().then_some(out)
}
