//! `--format github`: GitHub Actions workflow commands, one annotation per finding, shown on
//! the pull request's lines.

use std::fmt::Write;

use super::FileReport;

/// `::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=DF101::message` lines.
pub fn annotations(files: &[FileReport]) -> String {
    let mut out = String::new();
    for file in files {
        if let Some(error) = &file.error {
            let _ = writeln!(
                out,
                "::error file={}::{}",
                property(&file.path),
                data(error)
            );
        }
        for finding in file.findings.iter().filter(|f| f.skipped.is_none()) {
            let region = &finding.region;
            let level = if finding.code == crate::apply::ROLLED_BACK {
                "error"
            } else {
                "warning"
            };
            let _ = writeln!(
                out,
                "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                property(&file.path),
                region.line,
                region.column,
                region.end_line,
                region.end_column,
                finding.code,
                data(&finding.message)
            );
        }
    }
    out
}

/// Escape a workflow command's message.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a workflow command's property value.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Region, ReportedFinding};

    #[test]
    fn annotations_escape_and_skip_skips() {
        let finding = ReportedFinding {
            code: "DF101",
            name: None,
            message: "100% sure: a\nb".to_string(),
            region: Region {
                line: 2,
                column: 5,
                end_line: 2,
                end_column: 9,
            },
            skipped: None,
            fix: None,
        };
        let skipped = ReportedFinding {
            skipped: Some("opaque"),
            ..finding.clone()
        };
        let file = FileReport {
            path: "a,b/Dockerfile".to_string(),
            findings: vec![finding, skipped],
            ..FileReport::default()
        };
        assert_eq!(
            annotations(&[file]),
            "::warning file=a%2Cb/Dockerfile,line=2,col=5,endLine=2,endColumn=9,title=DF101::100%25 sure: a%0Ab\n"
        );
    }
}
