//! `--format sarif`: SARIF 2.1.0 for code scanning (GitHub accepts it): every rule with its
//! help text, every finding as a result with its region and, when it has one, its fix.

use serde_json::{json, Value};

use super::{FileReport, Region};
use crate::transforms::RULES;

pub fn document(files: &[FileReport]) -> Value {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|rule| {
            json!({
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": rule.summary()},
                "fullDescription": {"text": rule.summary()},
                "help": {"text": rule.explanation(), "markdown": rule.explanation()},
                "defaultConfiguration": {"level": "warning", "enabled": rule.default_enabled},
            })
        })
        .collect();
    let rule_index = |code: &str| RULES.iter().position(|rule| rule.code == code);
    let mut results = Vec::new();
    for file in files {
        for finding in file.findings.iter().filter(|f| f.skipped.is_none()) {
            let mut result = json!({
                "ruleId": finding.code,
                "level": "warning",
                "message": {"text": finding.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": file.path},
                        "region": region(&finding.region),
                    }
                }],
            });
            if let Some(index) = rule_index(finding.code) {
                result["ruleIndex"] = json!(index);
            }
            if let Some(fix) = finding.fix.as_ref().filter(|fix| !fix.edits.is_empty()) {
                let replacements: Vec<Value> = fix
                    .edits
                    .iter()
                    .map(|edit| {
                        json!({
                            "deletedRegion": region(&edit.region),
                            "insertedContent": {"text": edit.text},
                        })
                    })
                    .collect();
                let description = fix.note.clone().unwrap_or_else(|| finding.message.clone());
                result["fixes"] = json!([{
                    "description": {"text": format!("{} fix: {description}", fix.applicability)},
                    "artifactChanges": [{
                        "artifactLocation": {"uri": file.path},
                        "replacements": replacements,
                    }],
                }]);
            }
            results.push(result);
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "dockfix",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

fn region(region: &Region) -> Value {
    json!({
        "startLine": region.line,
        "startColumn": region.column,
        "endLine": region.end_line,
        "endColumn": region.end_column,
    })
}
