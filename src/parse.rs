//! The Dockerfile grammar behind one door: building the parse buffer, running tree-sitter and
//! finding where the grammar failed.
//!
//! The grammar is the project's own (`grammar/`, crate `tree-sitter-dockfix-dockerfile`), which
//! follows BuildKit's parser; only this module knows it.

use std::cell::RefCell;
use std::ops::Range;
use std::sync::LazyLock;

use tree_sitter::{InputEdit, Node, Parser, Point, Tree};

thread_local! {
    static PARSER: RefCell<Parser> = RefCell::new({
        let mut parser = Parser::new();
        parser
            .set_language(&tree_sitter_dockfix_dockerfile::LANGUAGE.into())
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
/// - A missing final newline is appended: the grammar accepts a last instruction without one,
///   but a continuation at the very end (`RUN ls \\` + EOF) needs its newline.
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
    if !buf.ends_with(b"\n") {
        buf.push(b'\n');
    }
    buf
}

/// Parse a buffer made by [`parse_buffer`].
pub fn parse(buf: &[u8]) -> Tree {
    parse_from(buf, None)
}

fn parse_from(buf: &[u8], old: Option<&Tree>) -> Tree {
    PARSER.with(|parser| {
        parser
            .borrow_mut()
            .parse(buf, old)
            .expect("parsing without a timeout or cancellation flag always yields a tree")
    })
}

/// A replaced byte range of a text and the text put in its place.
pub type TextEdit<'t> = (Range<usize>, &'t str);

/// Parse `buf` (the buffer of a text made from `old_text` by replacing each range of `edits`
/// with its text) reusing the unchanged parts of `old`, the tree of `old_text`: a fix round
/// edits a few instructions, and tree-sitter then re-reads only those.
///
/// The edits must not overlap, and both buffers must have been made the same way around the
/// edits (same escape character, the same missing final newline, no edit in a BOM).
pub fn reparse(old: &Tree, old_text: &str, edits: &[TextEdit], buf: &[u8]) -> Tree {
    let mut tree = old.clone();
    let mut edits = edits.to_vec();
    // From the last edit to the first, so the offsets and points of each are still those of
    // the old text when it is applied.
    edits.sort_by_key(|(range, _)| std::cmp::Reverse((range.start, range.end)));
    // Rows by binary search over the line ends, so many edits cost no rescan each.
    let newlines: Vec<usize> = old_text.match_indices('\n').map(|(i, _)| i).collect();
    let point_at = |offset: usize| {
        let row = newlines.partition_point(|&newline| newline < offset);
        let line_start = row
            .checked_sub(1)
            .map_or(0, |previous| newlines[previous] + 1);
        Point::new(row, offset - line_start)
    };
    for (range, replacement) in edits {
        let start_position = point_at(range.start);
        tree.edit(&InputEdit {
            start_byte: range.start,
            old_end_byte: range.end,
            new_end_byte: range.start + replacement.len(),
            start_position,
            old_end_position: point_at(range.end),
            new_end_position: advance(start_position, replacement),
        });
    }
    parse_from(buf, Some(&tree))
}

/// The point reached from `start` after `text`.
fn advance(start: Point, text: &str) -> Point {
    match text.rfind('\n') {
        Some(last) => Point::new(
            start.row + text.bytes().filter(|&b| b == b'\n').count(),
            text.len() - last - 1,
        ),
        None => Point::new(start.row, start.column + text.len()),
    }
}

/// Byte ranges where the grammar failed: ERROR and MISSING nodes, and the innermost node whose
/// `has_error()` is set without an erroneous child to blame (MISSING leaves of hidden tokens are
/// invisible to a cursor walk but still set the flag). Instructions with a keyword Docker does
/// not know (`unknown_instruction`, also under `ONBUILD`) count as failures too: BuildKit's
/// parser accepts them, a build does not.
pub fn error_ranges(tree: &Tree) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let root = tree.root_node();
    if root.has_error() {
        collect_errors(root, &mut ranges);
    }
    let mut cursor = root.walk();
    for node in root.children(&mut cursor) {
        let mut inner = node;
        while inner.kind_id() == KINDS.onbuild {
            match inner.named_child(0) {
                Some(child) => inner = child,
                None => break,
            }
        }
        if inner.kind_id() == KINDS.unknown {
            ranges.push(node.byte_range());
        }
    }
    ranges
}

/// What the walks above ask of a node kind, by kind id: `Node::kind` re-validates the name's
/// UTF-8 at every call.
struct Kinds {
    /// Per kind id: an `*_instruction` node.
    instruction: Vec<bool>,
    onbuild: u16,
    unknown: u16,
}

static KINDS: LazyLock<Kinds> = LazyLock::new(|| {
    let language: tree_sitter::Language = tree_sitter_dockfix_dockerfile::LANGUAGE.into();
    let instruction = (0..language.node_kind_count() as u16)
        .map(|id| {
            language
                .node_kind_for_id(id)
                .is_some_and(|name| name.ends_with("_instruction"))
        })
        .collect();
    Kinds {
        instruction,
        onbuild: language.id_for_node_kind("onbuild_instruction", true),
        unknown: language.id_for_node_kind("unknown_instruction", true),
    }
});

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
        .filter(|node| {
            KINDS
                .instruction
                .get(usize::from(node.kind_id()))
                .copied()
                .unwrap_or(false)
        })
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
    fn legacy_label_parses() {
        let tree = parse(&parse_buffer(
            "FROM a\nLABEL maintainer \"x\"\nRUN echo\n",
            b'\\',
        ));
        assert!(error_ranges(&tree).is_empty());
    }

    #[test]
    fn unknown_instruction_is_an_error_inside_its_instruction() {
        let text = "FROM a\nRUN apt-get update \n  && apt-get install x\nRUN echo\n";
        let tree = parse(&parse_buffer(text, b'\\'));
        let errors = error_ranges(&tree);
        let unknown = text.find("&&").unwrap()..text.rfind("RUN").unwrap();
        assert!(!errors.is_empty());
        assert!(errors
            .iter()
            .all(|e| e.start >= unknown.start && e.start < unknown.end));
    }

    /// Every reproduction in `../shared/grammar-cases` (beside the repository) parses without
    /// ERROR/MISSING and leaves no instruction opaque. Skipped when the folder is absent.
    #[test]
    fn grammar_cases_parse_clean() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/grammar-cases");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            eprintln!("skipped: {} is absent", dir.display());
            return;
        };
        let mut checked = 0;
        for entry in entries {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let source = crate::source::Source::from_bytes(bytes).unwrap();
            let document = crate::document::Document::parse(source);
            let tree = parse(&parse_buffer(document.text(), document.directives.escape));
            assert!(
                error_ranges(&tree).is_empty(),
                "{}: {}",
                path.display(),
                tree.root_node().to_sexp()
            );
            assert_eq!(document.opaque_count(), 0, "{}", path.display());
            checked += 1;
        }
        assert!(checked > 0, "{} holds no files", dir.display());
    }
}
