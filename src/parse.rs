//! The Dockerfile grammar behind one door: building the parse buffer, running tree-sitter and
//! finding where the grammar failed.
//!
//! The grammar is the published `tree-sitter-dockerfile` one (re-published for current
//! tree-sitter); it is replaced by the project's own grammar later, and only this module knows.

use std::cell::RefCell;
use std::ops::Range;

use tree_sitter::{Node, Parser, Tree};

thread_local! {
    static PARSER: RefCell<Parser> = RefCell::new({
        let mut parser = Parser::new();
        parser
            .set_language(&tree_sitter_dockerfile_updated::language())
            .expect("the Dockerfile grammar's ABI is supported by the tree-sitter runtime");
        parser
    });
}

/// The bytes tree-sitter sees: same length and offsets as the file (plus at most one trailing
/// newline), so node ranges are file ranges.
///
/// - A BOM becomes blanks (the grammar knows no BOM).
/// - With a backtick escape, backticks and backslashes are swapped: the grammar hard-codes `\`
///   as the continuation and escape character, and Windows paths' backslashes become inert.
/// - In a CRLF continuation (`\\` + blanks + `\r\n`) the `\r` moves in front of the escape
///   character: the grammar's continuation tokens know only `\n`, while a `\r` inside the
///   preceding text is harmless. Offsets move by at most one byte inside the continuation.
/// - A missing final newline is appended (the grammar requires one after every instruction).
pub fn parse_buffer(text: &str, escape: u8) -> Vec<u8> {
    let mut buf = text.as_bytes().to_vec();
    if text.starts_with('\u{feff}') {
        buf[..3].fill(b' ');
    }
    if escape == b'`' {
        for byte in &mut buf {
            *byte = match *byte {
                b'`' => b'\\',
                b'\\' => b'`',
                other => other,
            };
        }
    }
    move_continuation_carriage_returns(&mut buf);
    if !buf.ends_with(b"\n") {
        buf.push(b'\n');
    }
    buf
}

/// `\\ \t\r\n` → `\r\\ \t\n` (the buffer's escape character is always `\\` here).
fn move_continuation_carriage_returns(buf: &mut [u8]) {
    for cr in 1..buf.len().saturating_sub(1) {
        if buf[cr] != b'\r' || buf[cr + 1] != b'\n' {
            continue;
        }
        let mut escape = cr;
        while escape > 0 && matches!(buf[escape - 1], b' ' | b'\t') {
            escape -= 1;
        }
        if escape > 0 && buf[escape - 1] == b'\\' {
            buf[escape - 1..=cr].rotate_right(1);
        }
    }
}

/// Parse a buffer made by [`parse_buffer`].
pub fn parse(buf: &[u8]) -> Tree {
    PARSER.with(|parser| {
        parser
            .borrow_mut()
            .parse(buf, None)
            .expect("parsing without a timeout or cancellation flag always yields a tree")
    })
}

/// Byte ranges where the grammar failed: ERROR and MISSING nodes, and the innermost node whose
/// `has_error()` is set without an erroneous child to blame (MISSING leaves of hidden tokens are
/// invisible to a cursor walk but still set the flag).
pub fn error_ranges(tree: &Tree) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    if tree.root_node().has_error() {
        collect_errors(tree.root_node(), &mut ranges);
    }
    ranges
}

fn collect_errors(node: Node, ranges: &mut Vec<Range<usize>>) {
    if node.is_error() || node.is_missing() {
        ranges.push(node.byte_range());
        return;
    }
    let mut blamed_child = false;
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        if child.has_error() || child.is_missing() {
            blamed_child = true;
            collect_errors(child, ranges);
        }
    }
    if !blamed_child {
        ranges.push(node.byte_range());
    }
}

/// The top-level instruction nodes (`*_instruction`), in order.
pub fn instruction_nodes(tree: &Tree) -> Vec<Node<'_>> {
    let root = tree.root_node();
    let mut cursor = root.walk();
    root.children(&mut cursor)
        .filter(|node| node.kind().ends_with("_instruction"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffer_keeps_offsets_and_swaps_backticks() {
        let text = "\u{feff}FROM a\nRUN x `\n  y C:\\z";
        let buf = parse_buffer(text, b'`');
        assert_eq!(&buf[..3], b"   ");
        assert_eq!(buf.len(), text.len() + 1);
        assert_eq!(&buf[3..text.len()], "FROM a\nRUN x \\\n  y C:`z".as_bytes());
        assert_eq!(buf.last(), Some(&b'\n'));
    }

    #[test]
    fn crlf_continuations_parse() {
        let text = "FROM a\r\nRUN apt-get update \\\r\n    && apt-get install -y x\r\nENV A=1 \\ \r\n    B=2\r\n";
        let buf = parse_buffer(text, b'\\');
        assert_eq!(buf.len(), text.len());
        assert!(error_ranges(&parse(&buf)).is_empty());
    }

    #[test]
    fn clean_file_has_no_errors() {
        let tree = parse(&parse_buffer("FROM debian:12\nRUN echo hi\n", b'\\'));
        assert!(error_ranges(&tree).is_empty());
        let kinds: Vec<_> = instruction_nodes(&tree).iter().map(|n| n.kind()).collect();
        assert_eq!(kinds, ["from_instruction", "run_instruction"]);
    }

    #[test]
    fn legacy_label_is_an_error_inside_its_instruction() {
        let text = "FROM a\nLABEL maintainer \"x\"\nRUN echo\n";
        let tree = parse(&parse_buffer(text, b'\\'));
        let errors = error_ranges(&tree);
        assert!(!errors.is_empty());
        let label = text.find("LABEL").unwrap()..text.find("RUN").unwrap();
        assert!(errors
            .iter()
            .all(|e| e.start >= label.start && e.start < label.end));
    }
}
