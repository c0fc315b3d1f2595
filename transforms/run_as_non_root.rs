//! DF410 `run-as-non-root` · Unsafe · off by default · shipped stages · no hadolint rule
//!
//! **What it does.** When the final stage runs as root on a base image with a known
//! unprivileged user (`node:*` → `node`; `gcr.io/distroless/*` → `nonroot`, uid 65532), inserts
//! `USER <user>` before the first CMD/ENTRYPOINT (or at the end of the file): `FROM node:20-slim`
//! … `CMD ["node", "s.js"]` → … `USER node` ⏎ `CMD ["node", "s.js"]`.
//!
//! **Why.** A process that runs as root inside the container is root on the host's kernel: an
//! escape or a mounted path is far more dangerous.
//!
//! **Fix safety.** Unsafe: the program can no longer write files copied as root, bind ports
//! below 1024 or change users. The rule refuses the clear cases: `entrypoint` (ENTRYPOINT or
//! CMD uses `gosu`, `su-exec`, `setpriv` or `su`: it expects to start as root); `low-port`
//! (EXPOSE below 1024: binding fails where unprivileged ports are not lowered, e.g. Kubernetes);
//! `volume` (a VOLUME: its files are created as root); `copied-as-root` (a COPY/ADD without
//! `--chown`: the program may write there); `instruction-after-cmd` (a RUN, COPY or ADD after
//! the CMD would run as the user); `onbuild` (ONBUILD instructions would run as the user in
//! every child build). Off by default.

use crate::config::Settings;
use crate::document::{Document, Keyword};
use crate::fix::{Edit, Finding, Fix};
use crate::shell_rules::final_user;

const CODE: &str = "DF410";

/// Base-fact users, in the order tried.
const USERS: &[&str] = &["node", "nonroot"];

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let Some(stage) = document.stages.len().checked_sub(1) else {
        return Vec::new();
    };
    if final_user(document).is_some() || document.base_fact(stage, "user-non-root") {
        return Vec::new();
    }
    let Some(user) = USERS
        .iter()
        .find(|user| document.base_fact(stage, &format!("user:{user}")))
    else {
        return Vec::new();
    };
    let chain = document.stage_chain(stage);
    let from = &document.instructions[document.stages[stage].from];
    let message = format!("the image runs as root; its base has the unprivileged user `{user}`");
    let own: Vec<usize> = chain
        .iter()
        .copied()
        .filter(|&i| document.instructions[i].stage == Some(stage))
        .collect();
    let program = |i: &usize| {
        matches!(
            document.instructions[*i].keyword,
            Keyword::Cmd | Keyword::Entrypoint
        )
    };
    let first_program = own.iter().copied().find(program);
    let reason = chain.iter().find_map(|&i| {
        let instruction = &document.instructions[i];
        let words = instruction.args().to_ascii_lowercase();
        match instruction.keyword {
            Keyword::Cmd | Keyword::Entrypoint
                if words
                    .split(|c: char| c.is_whitespace() || "\"[],;&|".contains(c))
                    .map(|word| word.rsplit('/').next().unwrap_or(word))
                    .any(|word| ["gosu", "su-exec", "setpriv", "su"].contains(&word)) =>
            {
                Some("entrypoint")
            }
            Keyword::Expose
                if words
                    .split_ascii_whitespace()
                    .filter_map(|port| port.split('/').next()?.parse::<u32>().ok())
                    .any(|port| port < 1024) =>
            {
                Some("low-port")
            }
            Keyword::Volume => Some("volume"),
            Keyword::Copy | Keyword::Add
                if instruction.stage == Some(stage) && instruction.flag("chown").is_none() =>
            {
                Some("copied-as-root")
            }
            Keyword::Run | Keyword::Copy | Keyword::Add
                if first_program.is_some_and(|first| i > first) =>
            {
                Some("instruction-after-cmd")
            }
            _ => None,
        }
    });
    let onbuild = document.stage_instructions(stage).any(|(_, i)| i.onbuild);
    let reason = reason.or(onbuild.then_some("onbuild"));
    let range = from.logical.range.clone();
    if let Some(reason) = reason {
        return vec![Finding::skip(CODE, range, reason, message)];
    }
    let text = document.text();
    let eol = document.source.line_ending_at(from.logical.range.end);
    let keyword = crate::shell_rules::keyword_like(&text[from.logical.keyword.clone()], "USER");
    let edit = match first_program {
        Some(i) => {
            let start = document.instructions[i].logical.range.start;
            let line_start = text[..start].rfind('\n').map_or(0, |n| n + 1);
            Edit::insert(line_start, format!("{keyword} {user}{eol}"))
        }
        None if text.ends_with('\n') => Edit::insert(text.len(), format!("{keyword} {user}{eol}")),
        None => Edit::insert(text.len(), format!("{eol}{keyword} {user}")),
    };
    let mut fix = Fix::unsafe_because(
        vec![edit],
        "the program loses root: writing root-owned files, low ports and user switches fail",
    );
    fix.adds_instructions = 1;
    vec![Finding::new(CODE, range, message).with_fix(fix)]
}
