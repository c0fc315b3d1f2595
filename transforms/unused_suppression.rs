//! DF590 `unused-suppression` · DisplayOnly · all stages · no hadolint rule
//!
//! **What it does.** Reports a code in a `# dockfix: ignore=…` or `# dockfix: global ignore=…`
//! comment that suppressed no finding (ruff's unused-noqa): the rule no longer fires there,
//! the comment is not attached to an instruction (a blank line between), or the code names no
//! rule.
//!
//! **Why.** A stale suppression hides the next real finding of its rule at that place, and
//! readers take it for a reason that no longer holds.
//!
//! **How it decides.** The pass proposes every `# dockfix:` code; the engine, which applies all
//! suppressions, keeps only those that matched nothing. Codes of rules that did not run
//! (not selected) are not reported: nothing can be said about them. hadolint pragmas are never
//! reported (they serve hadolint too), nor DF590 codes, nor a DF001 code above a RUN that
//! follows a RUN (DF001 never merges across a pragma, so the code keeps the RUNs apart).
//!
//! **Fix safety.** No fix (advice only): delete the code, or the comment.

use crate::config::{pragmas, Settings, Target, UNUSED_SUPPRESSION};
use crate::document::Document;
use crate::fix::Finding;

pub fn check(document: &Document, settings: &Settings) -> Vec<Finding> {
    pragmas(document, settings)
        .into_iter()
        .filter(|pragma| pragma.dockfix && pragma.rule != Some(UNUSED_SUPPRESSION))
        .map(|pragma| {
            let written = &pragma.written;
            let message = match (pragma.rule, pragma.target) {
                (None, _) => format!("`{written}` suppresses nothing: no rule has this code or name"),
                (Some(_), Target::Nothing) => format!(
                    "`{written}` suppresses nothing: the comment is not directly above an instruction (a blank line or the end of the file follows)"
                ),
                (Some(code), _) => format!(
                    "`{written}` suppresses nothing: {code} reports nothing here"
                ),
            };
            Finding::new(UNUSED_SUPPRESSION, pragma.range, message)
        })
        .collect()
}
