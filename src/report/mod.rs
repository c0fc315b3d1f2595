//! What a run reports, in every output format: text lines for people, JSON for scripts and
//! bots, SARIF for code scanning, GitHub workflow annotations, and a Markdown pull-request body.
//!
//! Files are reduced to [`FileReport`]s (positions already turned into lines and columns), so
//! the formats that need the whole run hold little per file.

pub mod github;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod text;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::apply::Applied;
use crate::fix::{Applicability, Finding};
use crate::source::Source;

/// A 1-based line/column range (columns count characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Region {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Region {
    fn of(source: &Source, range: &std::ops::Range<usize>) -> Region {
        let (line, column) = source.line_col(range.start);
        let (end_line, end_column) = source.line_col(range.end);
        Region {
            line,
            column,
            end_line,
            end_column,
        }
    }
}

/// One edit of a fix: replace `region` of the file by `text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportedEdit {
    #[serde(flatten)]
    pub region: Region,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportedFix {
    /// `safe`, `unsafe` or `display-only`.
    pub applicability: &'static str,
    pub note: Option<String>,
    /// This run applies it (`--write`) or would (`--diff`).
    pub applied_by_this_mode: bool,
    pub edits: Vec<ReportedEdit>,
}

/// A finding with its position as lines and columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportedFinding {
    pub code: &'static str,
    pub name: Option<&'static str>,
    pub message: String,
    #[serde(flatten)]
    pub region: Region,
    /// Why the rule did not fix it, when it skipped.
    pub skipped: Option<&'static str>,
    pub fix: Option<ReportedFix>,
}

/// The findings, sorted by position, as they are reported.
pub fn reported(
    source: &Source,
    findings: &[&Finding],
    minimum: Applicability,
) -> Vec<ReportedFinding> {
    let mut sorted: Vec<&&Finding> = findings.iter().collect();
    sorted.sort_by_key(|finding| (finding.range.start, finding.code));
    sorted
        .into_iter()
        .map(|finding| ReportedFinding {
            code: finding.code,
            name: crate::transforms::rule(finding.code).map(|rule| rule.name),
            message: finding.message.clone(),
            region: Region::of(source, &finding.range),
            skipped: finding.skipped,
            fix: finding.fix.as_ref().map(|fix| ReportedFix {
                applicability: applicability_name(fix.applicability),
                note: fix.note.clone(),
                applied_by_this_mode: finding.applicable_fix(minimum).is_some(),
                edits: fix
                    .edits
                    .iter()
                    .map(|edit| ReportedEdit {
                        region: Region::of(source, &edit.range),
                        text: edit.replacement.clone(),
                    })
                    .collect(),
            }),
        })
        .collect()
}

pub fn applicability_name(applicability: Applicability) -> &'static str {
    match applicability {
        Applicability::Safe => "safe",
        Applicability::Unsafe => "unsafe",
        Applicability::DisplayOnly => "display-only",
    }
}

/// A fix this run applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppliedFix {
    pub code: &'static str,
    pub message: String,
}

impl From<&Applied> for AppliedFix {
    fn from(applied: &Applied) -> AppliedFix {
        AppliedFix {
            code: applied.code,
            message: applied.message.clone(),
        }
    }
}

/// What one file contributes to a machine-readable report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileReport {
    pub path: String,
    /// `--write` changed it (or `--diff`/`--check` would).
    pub changed: bool,
    /// Findings of the original text (report mode) or those left after fixing.
    pub findings: Vec<ReportedFinding>,
    /// Fixes applied (or that `--diff` shows).
    pub applied: Vec<AppliedFix>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
    /// The fixed text, for stdin input with `--write`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// First lines of the instructions the grammar could not read (never edited).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub opaque_lines: Vec<usize>,
}

/// Counts over a whole run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    pub files: usize,
    pub changed: usize,
    pub errors: usize,
    /// Findings that count for the exit status (not skips).
    pub findings: usize,
    pub fixable: usize,
    pub unsafe_fixable: usize,
    pub fixed: usize,
    pub instructions: usize,
    pub opaque_instructions: usize,
    pub opaque_files: usize,
    /// Per rule code: (found, fixed).
    pub rules: BTreeMap<&'static str, (usize, usize)>,
}
