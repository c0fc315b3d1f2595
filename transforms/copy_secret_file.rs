//! DF504 `copy-secret-file` · DisplayOnly · all stages · no hadolint rule
//!
//! **What it does.** Reports COPY/ADD from the build context of files that usually hold
//! secrets: `.env`, `.env.*` (not the committed templates `.env.example`, `.env.sample`,
//! `.env.template`, `.env.dist`), `*.pem`, `*.key`, `id_rsa*`, `id_ed25519*`, `*.p12`,
//! `credentials*`.
//!
//! **Why.** Every file copied into a layer can be read by anyone who can pull the image, even if
//! a later RUN deletes it.
//!
//! **Fix safety.** No fix (advice only): pass the secret with `RUN --mount=type=secret` at build
//! time or mount it at run time, and keep it out of the context with `.dockerignore`.

use crate::config::Settings;
use crate::document::Document;
use crate::fix::Finding;

const CODE: &str = "DF504";

const TEMPLATES: &[&str] = &[".env.example", ".env.sample", ".env.template", ".env.dist"];

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let mut findings = Vec::new();
    for instruction in &document.instructions {
        let Some((sources, _)) = instruction.context_copy() else {
            continue;
        };
        for source in sources {
            let name = source
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or(source);
            let secret = (name == ".env" || name.starts_with(".env."))
                && !TEMPLATES.contains(&name)
                || [".pem", ".key", ".p12"]
                    .iter()
                    .any(|ext| name.ends_with(ext))
                || ["id_rsa", "id_ed25519", "credentials"]
                    .iter()
                    .any(|p| name.starts_with(p));
            if secret {
                findings.push(Finding::new(
                    CODE,
                    instruction.logical.range.clone(),
                    format!("`{source}` looks like a secret: copied files can be read by anyone who pulls the image"),
                ));
            }
        }
    }
    findings
}
