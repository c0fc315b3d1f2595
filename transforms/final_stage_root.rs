//! DF505 `final-stage-root` · DisplayOnly · off by default · all stages · hadolint DL3002 (explicit root only)
//!
//! **What it does.** Reports a final stage that runs as root: no USER in it (or in the stages it
//! builds on), or a last USER of `root` or `0`. Bases known to run as an unprivileged user
//! (distroless `nonroot` tags, base fact `user-non-root`) are exempt.
//!
//! **Why.** A process running as root in the container is root on the host's kernel: a
//! container escape or a mounted path is far more dangerous.
//!
//! **Fix safety.** No fix here (advice only); DF410 inserts `USER` where the base's user is
//! known. Off by default: most Dockerfiles never set a USER (81% of the corpus), so the advice
//! would be on nearly every file and make every run exit 1; hadolint's DL3002 only reports an
//! explicit `USER root` for the same reason.

use crate::config::Settings;
use crate::document::{Document, Keyword};
use crate::fix::Finding;
use crate::shell_rules::final_user;

const CODE: &str = "DF505";

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let Some(stage) = document.stages.len().checked_sub(1) else {
        return Vec::new();
    };
    if final_user(document).is_some() || document.base_fact(stage, "user-non-root") {
        return Vec::new();
    }
    // Reported at the last USER (root) if any, else at the final FROM.
    let at = document
        .stage_chain(stage)
        .into_iter()
        .rev()
        .find(|&i| document.instructions[i].keyword == Keyword::User)
        .unwrap_or(document.stages[stage].from);
    let instruction = &document.instructions[at];
    if instruction.opaque {
        return Vec::new();
    }
    vec![Finding::new(
        CODE,
        instruction.logical.range.clone(),
        "the final stage runs as root: add `USER <unprivileged user>`",
    )]
}
