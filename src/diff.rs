//! Unified diffs that `git apply` and `patch -p1` accept.

use similar::TextDiff;

/// The unified diff from `old` to `new` with `a/PATH` / `b/PATH` headers and three lines of
/// context; empty when the texts are equal. A missing final newline gets the
/// `\ No newline at end of file` marker.
pub fn unified(path: &str, old: &str, new: &str) -> String {
    with_headers(&format!("a/{path}"), &format!("b/{path}"), old, new)
}

/// The diff that creates the file at `path` with `text` (`--- /dev/null`).
pub fn creation(path: &str, text: &str) -> String {
    with_headers("/dev/null", &format!("b/{path}"), "", text)
}

fn with_headers(old_header: &str, new_header: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(old_header, new_header)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creation_diffs_start_from_dev_null() {
        assert_eq!(
            creation("app/.dockerignore", ".git\n"),
            "--- /dev/null\n+++ b/app/.dockerignore\n@@ -0,0 +1 @@\n+.git\n"
        );
    }

    #[test]
    fn equal_texts_give_no_diff() {
        assert_eq!(unified("Dockerfile", "FROM a\n", "FROM a\n"), "");
    }

    #[test]
    fn headers_hunks_and_missing_newline_marker() {
        let diff = unified("x/Dockerfile", "FROM a\nRUN b", "FROM a\nRUN b c");
        assert_eq!(
            diff,
            "--- a/x/Dockerfile\n+++ b/x/Dockerfile\n@@ -1,2 +1,2 @@\n FROM a\n-RUN b\n\\ No newline at end of file\n+RUN b c\n\\ No newline at end of file\n"
        );
    }
}
