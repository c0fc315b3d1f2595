//! DF506 `missing-healthcheck` · DisplayOnly · off by default · all stages · hadolint DL3057
//!
//! **What it does.** Reports a final stage that EXPOSEs a port (a long-running service) but has
//! no HEALTHCHECK (its own or a parent stage's).
//!
//! **Why.** Without a health check, Docker and Compose only know whether the process runs, not
//! whether it serves.
//!
//! **Fix safety.** No fix (advice only): the check depends on the service. Off by default:
//! orchestrators such as Kubernetes ignore HEALTHCHECK and use their own probes.

use crate::config::Settings;
use crate::document::{Document, Keyword};
use crate::fix::Finding;

const CODE: &str = "DF506";

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let Some(stage) = document.stages.len().checked_sub(1) else {
        return Vec::new();
    };
    let chain = document.stage_chain(stage);
    let has = |keyword| {
        chain
            .iter()
            .any(|&i| document.instructions[i].keyword == keyword)
    };
    if !has(Keyword::Expose) || has(Keyword::Healthcheck) {
        return Vec::new();
    }
    let from = &document.instructions[document.stages[stage].from];
    vec![Finding::new(
        CODE,
        from.logical.range.clone(),
        "the final stage exposes a port but has no HEALTHCHECK",
    )]
}
