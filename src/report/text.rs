//! Text output: one line per finding, `path:line:col: CODE message (note) [*]`.

use std::fmt::Write;

use crate::fix::{Applicability, Finding};
use crate::source::Source;

/// Append one line per finding to `out`, sorted by position, with the fix's note in
/// parentheses. `[*]` marks a finding whose fix the current mode applies; `[unsafe fix]` one
/// that needs `--unsafe-fixes`.
pub fn findings(
    out: &mut String,
    path: &str,
    source: &Source,
    findings: &[&Finding],
    minimum: Applicability,
) {
    let mut sorted: Vec<&&Finding> = findings.iter().collect();
    sorted.sort_by_key(|finding| (finding.range.start, finding.code));
    for finding in sorted {
        let (line, column) = source.line_col(finding.range.start);
        let marker = match &finding.fix {
            Some(_) if finding.applicable_fix(minimum).is_some() => " [*]",
            Some(fix) if fix.applicability == Applicability::Unsafe => " [unsafe fix]",
            _ => "",
        };
        let note = finding
            .fix
            .as_ref()
            .and_then(|fix| fix.note.as_deref())
            .map_or(String::new(), |note| format!(" ({note})"));
        let _ = writeln!(
            out,
            "{path}:{line}:{column}: {} {}{note}{marker}",
            finding.code, finding.message
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::Fix;

    #[test]
    fn lines_are_sorted_and_marked() {
        let source = Source::new("FROM a\nRUN x\n".to_string());
        let safe = Finding::new("DF101", 7..10, "safe").with_fix(Fix::safe(vec![]));
        let unsafe_fix =
            Finding::new("DF120", 0..4, "unsafe").with_fix(Fix::unsafe_because(vec![], "why"));
        let advice = Finding::new("DF500", 11..12, "advice");
        let mut out = String::new();
        findings(
            &mut out,
            "Dockerfile",
            &source,
            &[&safe, &unsafe_fix, &advice],
            Applicability::Safe,
        );
        assert_eq!(
            out,
            "Dockerfile:1:1: DF120 unsafe (why) [unsafe fix]\nDockerfile:2:1: DF101 safe [*]\nDockerfile:2:5: DF500 advice\n"
        );
    }
}
