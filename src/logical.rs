//! TEMPORARY stub (replaced by the real splitter): one instruction per non-comment line.
use std::ops::Range;

pub struct Directives {
    pub escape: u8,
    pub syntax: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub logical: usize,
    pub file: usize,
    pub len: usize,
}

#[derive(Debug, Clone, Default)]
pub struct LineMap {
    segments: Vec<Segment>,
}
impl LineMap {
    pub fn to_file(&self, pos: usize) -> usize {
        self.segments[0].file + pos
    }
    pub fn to_file_end(&self, end: usize) -> usize {
        self.segments[0].file + end
    }
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }
}

pub struct Heredoc {
    pub delimiter: String,
    pub strip_tabs: bool,
    pub quoted: bool,
    pub marker: Range<usize>,
    pub body: Range<usize>,
    pub terminator: Range<usize>,
}

pub struct LogicalInstruction {
    pub range: Range<usize>,
    pub keyword: Range<usize>,
    pub text: String,
    pub map: LineMap,
    pub heredocs: Vec<Heredoc>,
    pub start_line: usize,
    pub end_line: usize,
}
impl LogicalInstruction {
    pub fn keyword_upper(&self, src: &str) -> String {
        src[self.keyword.clone()].to_ascii_uppercase()
    }
}

pub fn split(src: &str) -> (Directives, Vec<LogicalInstruction>) {
    let mut out = Vec::new();
    let mut pos = 0;
    for (n, line) in src.split_inclusive('\n').enumerate() {
        let content = line.trim_end_matches(['\n', '\r']);
        let lead = content.len() - content.trim_start().len();
        let t = content.trim_start();
        if !t.is_empty() && !t.starts_with('#') {
            let start = pos + lead;
            let kw = t.find(|c: char| c.is_whitespace()).unwrap_or(t.len());
            out.push(LogicalInstruction {
                range: start..pos + content.len(),
                keyword: start..start + kw,
                text: t.to_string(),
                map: LineMap { segments: vec![Segment { logical: 0, file: start, len: t.len() }] },
                heredocs: vec![],
                start_line: n + 1,
                end_line: n + 1,
            });
        }
        pos += line.len();
    }
    (Directives { escape: b'\\', syntax: None }, out)
}
