//! The bytes of one Dockerfile, decoded once and never normalised.
//!
//! The original text is the single truth: every edit is a byte range into it. This module only
//! checks that the bytes are text (UTF-8, no NUL) and answers position questions; line endings,
//! the BOM and a missing final newline stay exactly as they are.

/// Why a file's bytes are not a Dockerfile we can work on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    #[error("binary file (NUL byte at line {line}, column {column})")]
    Binary { line: usize, column: usize },
    #[error("not valid UTF-8 (line {line}, column {column})")]
    NotUtf8 { line: usize, column: usize },
}

impl SourceError {
    /// 1-based line of the offending byte.
    pub fn line(&self) -> usize {
        match self {
            SourceError::Binary { line, .. } | SourceError::NotUtf8 { line, .. } => *line,
        }
    }
}

const BOM: &str = "\u{feff}";

/// A decoded Dockerfile with its line index.
#[derive(Debug, Clone)]
pub struct Source {
    text: String,
    line_starts: Vec<usize>,
}

impl Source {
    /// Decode bytes, rejecting binary and non-UTF-8 content with the position of the first bad byte.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Source, SourceError> {
        if let Some(nul) = memchr_nul(&bytes) {
            let (line, column) = byte_line_col(&bytes, nul);
            return Err(SourceError::Binary { line, column });
        }
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Source::new(text)),
            Err(err) => {
                let bad = err.utf8_error().valid_up_to();
                let (line, column) = byte_line_col(err.as_bytes(), bad);
                Err(SourceError::NotUtf8 { line, column })
            }
        }
    }

    /// Wrap text that is already known to be valid.
    pub fn new(text: String) -> Source {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Source { text, line_starts }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn into_text(self) -> String {
        self.text
    }

    /// True when the file starts with a UTF-8 byte order mark.
    pub fn has_bom(&self) -> bool {
        self.text.starts_with(BOM)
    }

    /// 1-based line and character column of a byte offset (the BOM does not count as a column).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let mut start = self.line_starts[line];
        if line == 0 && self.has_bom() {
            start = start.max(BOM.len()).min(offset);
        }
        let column = self.text[start..offset].chars().count() + 1;
        (line + 1, column)
    }
}

impl Source {
    /// The line ending of the line holding `offset` (`"\r\n"` or `"\n"`); for a last line
    /// without one, the ending of the line before it, else `"\n"`.
    pub fn line_ending_at(&self, offset: usize) -> &'static str {
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let ending_of = |line: usize| -> Option<&'static str> {
            let next = *self.line_starts.get(line + 1)?;
            Some(if self.text[..next - 1].ends_with('\r') {
                "\r\n"
            } else {
                "\n"
            })
        };
        ending_of(line)
            .or_else(|| line.checked_sub(1).and_then(ending_of))
            .unwrap_or("\n")
    }
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0)
}

/// Line and byte column (1-based) of an offset in raw bytes that may not be valid UTF-8.
fn byte_line_col(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    (line, offset - line_start + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_nul_with_position() {
        let err = Source::from_bytes(b"FROM a\nRUN \0x\n".to_vec()).unwrap_err();
        assert_eq!(err, SourceError::Binary { line: 2, column: 5 });
    }

    #[test]
    fn rejects_invalid_utf8_with_position() {
        let err = Source::from_bytes(b"FROM a\nRUN echo \xff\n".to_vec()).unwrap_err();
        assert_eq!(
            err,
            SourceError::NotUtf8 {
                line: 2,
                column: 10
            }
        );
        assert_eq!(err.line(), 2);
    }

    #[test]
    fn line_col_counts_characters_and_skips_bom() {
        let src = Source::new("\u{feff}FROM é\nRUN x".to_string());
        assert!(src.has_bom());
        assert_eq!(src.line_col(3), (1, 1));
        assert_eq!(src.line_col(src.text().find('\n').unwrap()), (1, 7));
        assert_eq!(src.line_col(src.text().find("RUN").unwrap() + 4), (2, 5));
    }

    #[test]
    fn line_endings_are_read_per_line() {
        let src = Source::new("FROM a\r\nRUN b\nRUN c".to_string());
        assert_eq!(src.line_ending_at(0), "\r\n");
        assert_eq!(src.line_ending_at(9), "\n");
        assert_eq!(src.line_ending_at(src.text().len()), "\n");
        let crlf_last = Source::new("FROM a\r\nRUN c".to_string());
        assert_eq!(crlf_last.line_ending_at(10), "\r\n");
    }
}
