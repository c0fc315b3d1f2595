//! `--format json`: one object with every file (findings with positions and fix edits, the
//! diff, errors), a summary and the statistics. The schema is stable: fields are only added.

use serde_json::{json, Map, Value};

use super::{FileReport, Totals};

pub fn document(mode: &str, totals: &Totals, files: &[FileReport]) -> Value {
    json!({
        "version": env!("CARGO_PKG_VERSION"),
        "mode": mode,
        "files": files,
        "summary": {
            "files": totals.files,
            "changed": totals.changed,
            "findings": totals.findings,
            "fixable": totals.fixable,
            "unsafe_fixable": totals.unsafe_fixable,
            "fixed": totals.fixed,
            "errors": totals.errors,
        },
        "statistics": statistics(totals),
    })
}

/// Parse and rule counts (`--statistics --format json`).
pub fn statistics(totals: &Totals) -> Value {
    let rules: Map<String, Value> = totals
        .rules
        .iter()
        .map(|(code, (found, fixed))| {
            let name = crate::transforms::rule(code).map_or("", |rule| rule.name);
            (
                code.to_string(),
                json!({"name": name, "found": found, "fixed": fixed}),
            )
        })
        .collect();
    json!({
        "files": totals.files,
        "changed": totals.changed,
        "instructions": totals.instructions,
        "opaque_instructions": totals.opaque_instructions,
        "opaque_files": totals.opaque_files,
        "rules": rules,
    })
}
