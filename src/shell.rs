//! Shell command extraction for RUN bodies (RULES.md §1 "Shell parsing").
//!
//! A body is parsed with tree-sitter-bash and flattened into simple commands whose words carry
//! their literal value (after quote removal) and byte range in the parsed text, so passes can
//! match `apt-get install` through wrappers and insert text at exact offsets without
//! re-printing the shell.

use std::cell::{OnceCell, RefCell};
use std::ops::Range;

use tree_sitter::{Node, Parser, Tree, TreeCursor};

thread_local! {
    /// One parser per thread: creating a parser and setting its language is far more expensive
    /// than the parse of a typical RUN body.
    static PARSER: RefCell<Parser> = RefCell::new(new_parser());
}

fn new_parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_bash::LANGUAGE.into())
        .expect("tree-sitter-bash grammar is ABI-compatible with tree-sitter");
    parser
}

/// Node kind names by kind id. `Node::kind` checks the name's UTF-8 on every call, and the
/// command walker asks for it at every node.
static KINDS: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
    let language: tree_sitter::Language = tree_sitter_bash::LANGUAGE.into();
    (0..language.node_kind_count() as u16)
        .map(|id| language.node_kind_for_id(id).unwrap_or(""))
        .collect()
});

/// The kind name of a bash syntax node.
fn kind(node: &Node) -> &'static str {
    KINDS
        .get(usize::from(node.kind_id()))
        .copied()
        .unwrap_or_else(|| node.kind())
}

fn parse_tree(text: &str) -> Tree {
    PARSER.with(|p| {
        let mut parser = p.borrow_mut();
        // `parse` only returns None after a timeout/cancellation, neither of which we set;
        // retry with a fresh parser rather than panicking if it ever happens.
        match parser.parse(text, None) {
            Some(tree) => tree,
            None => {
                *parser = new_parser();
                parser
                    .parse(text, None)
                    .expect("tree-sitter parse without timeout")
            }
        }
    })
}

/// A parsed shell script (a RUN body or heredoc script).
#[derive(Debug)]
pub struct Script {
    tree: Tree,
    text: String,
    /// The commands, walked out of the tree once: every pass asks for them.
    commands: OnceCell<Vec<Command>>,
}

/// A top-level `export` declaration; `end` is where the `export` statement ends, so commands
/// starting after it see the variable (RULES.md §0 "env in scope").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    pub end: usize,
    pub name: String,
    /// Literal value; None when dynamic (`export P=$P:/x`) or absent (`export NAME`).
    pub value: Option<String>,
}

/// A shell word with its literal value after quote removal (None when it contains an expansion,
/// command substitution, glob-free-but-dynamic parts, etc.).
///
/// Globs, `~` and brace lists are not expanded: `/var/lib/apt/lists/*` has that literal value,
/// so passes that care (e.g. `~` paths) must check the text themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub range: Range<usize>,
    pub value: Option<String>,
}

impl Word {
    /// The literal value as `&str`, if any.
    pub fn as_str(&self) -> Option<&str> {
        self.value.as_deref()
    }
}

/// How deeply a command is nested; decides whether passes may edit it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nesting {
    /// A command of the script's top-level list (possibly inside `&&`/`||`/`;` chains or a pipeline at top level).
    TopLevel,
    /// Inside if/while/until/for/case bodies (and conditions), `{ }`, `( )`, function bodies.
    Compound,
    /// Inside a `sh -c`/`bash -c` string argument that was re-parsed (single-quoted, or double-quoted without `$`, backquote or backslash), offsets still valid in the outer text.
    ShellString,
    /// Inside `$( )`, backquotes, `<( )`, `eval`, `su -c`, or an un-re-parseable `sh -c` string: passes must not edit (skip `nested-shell`).
    /// Un-re-parseable strings are parsed from their raw (still escaped) text, so values there are
    /// approximate; concatenated arguments (`'a '"$B"`) are not parsed at all.
    Substitution,
}

impl Nesting {
    /// The stronger of two nestings (TopLevel < Compound < ShellString < Substitution).
    fn deepen(self, other: Nesting) -> Nesting {
        if other.rank() > self.rank() {
            other
        } else {
            self
        }
    }

    fn rank(self) -> u8 {
        match self {
            Nesting::TopLevel => 0,
            Nesting::Compound => 1,
            Nesting::ShellString => 2,
            Nesting::Substitution => 3,
        }
    }
}

/// One simple command with wrappers looked through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// Whole simple command, including assignment prefixes, wrappers and redirections (`> f`,
    /// `2>&1`, a heredoc up to its terminator), so appending after it or moving it keeps them.
    /// Exception: when tree-sitter parses statements into a heredoc redirect (`cat <<EOF | sh`,
    /// `cat <<EOF && x`), the range stops before the heredoc operator.
    pub range: Range<usize>,
    /// `VAR=value` prefixes and `env VAR=value` assignments, in order.
    pub assignments: Vec<(String, Word)>,
    /// Wrapper words looked through (`sudo`, `env`, `command`, `exec`, `time`, `nice`, `nohup`, `stdbuf`, `xargs`, `gosu`, `su-exec` …) and their options.
    pub wrappers: Vec<Word>,
    /// The effective command word (after wrappers), e.g. `/usr/bin/apt-get`. value None → dynamic (`$APT_GET`).
    pub name: Word,
    /// The words after `name`.
    pub args: Vec<Word>,
    pub nesting: Nesting,
    /// Element of a pipeline (`a | b`), or inside a compound that is one.
    pub in_pipeline: bool,
    /// Literal last path segment of `name`, kept because it can exist when `name` is dynamic.
    base: Option<String>,
}

impl Command {
    /// Last path segment of a literal name (`/usr/bin/apt-get` → `apt-get`; `"$VIRTUAL_ENV"/bin/pip` → `pip`: literal last segment even if the prefix is dynamic).
    pub fn basename(&self) -> Option<&str> {
        self.base.as_deref()
    }

    /// Literal values of the args (None for dynamic ones), a convenience for matching.
    pub fn arg_values(&self) -> impl Iterator<Item = Option<&str>> {
        self.args.iter().map(Word::as_str)
    }
}

impl Script {
    /// Parse with a thread-local reused tree_sitter::Parser (parsing is on the hot path: thousands of files/s).
    pub fn parse(text: &str) -> Script {
        Script {
            tree: parse_tree(text),
            text: text.to_owned(),
            commands: OnceCell::new(),
        }
    }

    /// The parsed text; every range of this script indexes into it.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the syntax tree goes deeper than `limit` levels. Only the bytes that open a
    /// nested or chained construct (`$( ) { } \` " ' ; & | < >`, newlines) add levels, a few
    /// each: a script with few of them is not walked.
    pub fn deeper_than(&self, limit: usize) -> bool {
        const NESTS: [bool; 256] = {
            let mut table = [false; 256];
            let bytes = b"$(){}`\"';&|<>\n";
            let mut i = 0;
            while i < bytes.len() {
                table[bytes[i] as usize] = true;
                i += 1;
            }
            table
        };
        let nesting = self.text.bytes().filter(|&b| NESTS[usize::from(b)]).count();
        nesting.saturating_mul(4) > limit && self.depth() > limit
    }

    /// How many levels deep the syntax tree goes (counted without recursion).
    fn depth(&self) -> usize {
        let mut cursor = self.tree.walk();
        let (mut depth, mut deepest) = (0, 0);
        loop {
            if cursor.goto_first_child() {
                depth += 1;
                deepest = deepest.max(depth);
                continue;
            }
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    return deepest;
                }
                depth -= 1;
            }
        }
    }

    /// True when tree-sitter-bash reports an ERROR/MISSING anywhere.
    pub fn has_error(&self) -> bool {
        self.tree.root_node().has_error()
    }

    /// Every simple command, in source order, including those inside compound commands, pipelines,
    /// and `sh -c`/`bash -c` strings.
    ///
    /// Besides ordinary commands this reports `export`/`declare`/`local`/`readonly`/`typeset`/
    /// `unset` (name = the keyword) and `[ … ]`/`[[ … ]]` (name = the bracket, args = the test's
    /// operands and operators), because passes count and inspect them too. Bare assignments
    /// (`A=1`), comments and heredoc bodies are not commands.
    pub fn commands(&self) -> &[Command] {
        self.commands.get_or_init(|| self.walk_commands())
    }

    fn walk_commands(&self) -> Vec<Command> {
        let mut walker = Walker {
            text: &self.text,
            shift: 0,
            extend: None,
            out: Vec::new(),
        };
        let mut cursor = self.tree.walk();
        walker.visit(
            &mut cursor,
            Ctx {
                nesting: Nesting::TopLevel,
                in_pipeline: false,
            },
        );
        let mut out = walker.out;
        // Nested commands (substitutions, re-parsed strings) are found while their outer command
        // is being built; a stable sort restores source order.
        out.sort_by_key(|c| c.range.start);
        out
    }

    /// Top-level `export NAME=value` (and `export NAME`) declarations, in order, with the offset where they end,
    /// value None when not literal. Used for "env in scope" (RULES.md §0).
    pub fn exports(&self) -> Vec<Export> {
        let mut out = Vec::new();
        let mut cursor = self.tree.walk();
        collect_exports(&mut cursor, &self.text, &mut out);
        out
    }
}

/// How a script ends, for appending a command after it (RULES.md §3 "Append").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tail {
    /// End of the last statement: before trailing blanks, a final `;`/`&` and a trailing comment.
    pub end: usize,
    /// The top-level terminator after the last statement, if any (`;` or `&`).
    pub terminator: Option<char>,
    /// Name of the last top-level command when it is a literal (`exit`, `exec` …).
    pub last_command: Option<String>,
}

impl Script {
    /// Where the script's last statement ends and how; `None` for a script with no statement.
    pub fn tail(&self) -> Option<Tail> {
        let root = self.tree.root_node();
        let mut cursor = root.walk();
        let children: Vec<Node> = root.children(&mut cursor).collect();
        let last = children
            .iter()
            .rposition(|node| node.is_named() && kind(node) != "comment")?;
        let terminator = children[last + 1..]
            .iter()
            .find_map(|node| match kind(node) {
                ";" => Some(';'),
                "&" => Some('&'),
                _ => None,
            });
        Some(Tail {
            end: children[last].end_byte(),
            terminator,
            last_command: last_command_name(children[last], &self.text),
        })
    }

    /// True when `set -e` (`set -o errexit`, a cluster such as `-eux`) runs at top level
    /// before `offset` and no later top-level `set +e` undoes it.
    pub fn errexit_before(&self, offset: usize) -> bool {
        let mut errexit = false;
        for command in self.commands() {
            if command.nesting != Nesting::TopLevel || command.range.start >= offset {
                continue;
            }
            if command.name.value.as_deref() != Some("set") {
                continue;
            }
            let args: Vec<Option<&str>> = command.arg_values().collect();
            for (i, arg) in args.iter().enumerate() {
                let Some(arg) = arg else { continue };
                let option_e = |cluster: &str| cluster.len() > 1 && cluster[1..].contains('e');
                let errexit_named = args.get(i + 1).copied().flatten() == Some("errexit");
                if arg.starts_with('-') && !arg.starts_with("--") {
                    errexit |= option_e(arg) || (arg.contains('o') && errexit_named);
                } else if arg.starts_with('+') {
                    errexit &= !(option_e(arg) || (arg.contains('o') && errexit_named));
                }
            }
        }
        errexit
    }
}

/// The literal name of the last simple command of a statement (`a && exit 0` → `exit`).
fn last_command_name(node: Node, text: &str) -> Option<String> {
    match kind(&node) {
        "command" => {
            let name = node.child_by_field_name("name")?;
            Some(text[name.byte_range()].to_owned())
        }
        "list" | "pipeline" => {
            let last = node.named_child(node.named_child_count().checked_sub(1)?)?;
            last_command_name(last, text)
        }
        "redirected_statement" => last_command_name(node.child_by_field_name("body")?, text),
        _ => None,
    }
}

/// Walks top-level statements only: `;`/newline lists, `&&`/`||` chains and redirected
/// statements. Pipelines and compounds run in subshells or conditionally nested scopes we do
/// not model, so exports there are ignored.
fn collect_exports(cursor: &mut TreeCursor, text: &str, out: &mut Vec<Export>) {
    // Iterative pre-order walk (`&&` chains nest one level per command).
    loop {
        let node = cursor.node();
        let descend = match kind(&node) {
            "program" | "list" | "redirected_statement" => cursor.field_name() != Some("redirect"),
            "declaration_command" => {
                export_declaration(node, text, out);
                false
            }
            _ => false,
        };
        if descend && cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// `export A=1 B` → one [`Export`] per name; `export -n` (un-export) contributes nothing.
fn export_declaration(node: Node, text: &str, out: &mut Vec<Export>) {
    let Some(keyword) = node.child(0) else { return };
    if kind(&keyword) != "export" {
        return;
    }
    let start = out.len();
    let mut unexport = false;
    let mut i = 1;
    while let Some(child) = node.child(i) {
        i += 1;
        match kind(&child) {
            "variable_name" => out.push(Export {
                end: node.end_byte(),
                name: text[child.byte_range()].to_owned(),
                value: None,
            }),
            "variable_assignment" => {
                let Some(name) = child.child_by_field_name("name") else {
                    continue;
                };
                if kind(&name) != "variable_name" {
                    continue;
                }
                let value = match child.child_by_field_name("value") {
                    Some(v) => literal(v, text),
                    None => Some(String::new()),
                };
                // `export A+=x` appends to a value we do not know.
                let appends = text[name.end_byte()..child.end_byte()].starts_with("+=");
                out.push(Export {
                    end: node.end_byte(),
                    name: text[name.byte_range()].to_owned(),
                    value: if appends { None } else { value },
                });
            }
            _ => {
                if literal(child, text).is_some_and(|w| w.starts_with('-') && w.contains('n')) {
                    unexport = true;
                }
            }
        }
    }
    if unexport {
        out.truncate(start);
    }
}

/// Literal value of a word node without visiting substitutions (used outside the main walk).
fn literal(node: Node, text: &str) -> Option<String> {
    let mut w = Walker {
        text,
        shift: 0,
        extend: None,
        out: Vec::new(),
    };
    let mut cursor = node.walk();
    let mut value = Some(String::new());
    w.eval_word(&mut cursor, None, &mut value);
    value
}

#[derive(Clone, Copy)]
struct Ctx {
    nesting: Nesting,
    in_pipeline: bool,
}

impl Ctx {
    fn deeper(self, nesting: Nesting) -> Ctx {
        Ctx {
            nesting: self.nesting.deepen(nesting),
            in_pipeline: self.in_pipeline,
        }
    }

    /// A new script context (substitution or re-parsed string): pipeline membership restarts.
    fn script(self, nesting: Nesting) -> Ctx {
        Ctx {
            nesting: self.nesting.deepen(nesting),
            in_pipeline: false,
        }
    }
}

/// One word of a command as collected during the walk, with what wrapper and `sh -c` handling
/// need to know about its syntax.
struct RawWord {
    word: Word,
    kind: &'static str,
    /// Literal text after the last `/` of the word's trailing literal part (the basename),
    /// when that part is literal even if the word as a whole is not.
    tail: Option<String>,
    /// Length of a leading unquoted `NAME=` (an `env`/`sudo` assignment candidate).
    assign: Option<usize>,
}

struct Walker<'t> {
    /// Text the current tree was parsed from (a `sh -c` string's inner text when re-parsing).
    text: &'t str,
    /// Offset of `text` in the script's text; added to every reported range.
    shift: usize,
    /// Innermost enclosing redirected statement: (end of its body, end of its redirections).
    extend: Option<(usize, usize)>,
    out: Vec<Command>,
}

impl<'t> Walker<'t> {
    fn range(&self, node: Node) -> Range<usize> {
        node.start_byte() + self.shift..node.end_byte() + self.shift
    }

    /// Visits the node under the cursor; the cursor is back on it when this returns.
    fn visit(&mut self, cursor: &mut TreeCursor, ctx: Ctx) {
        let node = cursor.node();
        match kind(&node) {
            "comment" | "heredoc_start" | "heredoc_end" | "simple_heredoc_body" => {}
            "command" => self.command(cursor, ctx),
            "declaration_command" | "unset_command" => self.declaration(cursor, ctx),
            "test_command" => self.test_command(cursor, ctx),
            "list" => self.list(cursor, ctx),
            "pipeline" => self.children(
                cursor,
                Ctx {
                    nesting: ctx.nesting,
                    in_pipeline: true,
                },
            ),
            "redirected_statement" => {
                // `cat <<EOF | sh` / `cat <<EOF && x`: tree-sitter parses what follows the
                // heredoc operator inside the heredoc redirect.
                let mut piped = false;
                let mut chained = false;
                for r in (0..node.named_child_count()).filter_map(|i| node.named_child(i)) {
                    if kind(&r) != "heredoc_redirect" {
                        continue;
                    }
                    for c in (0..r.named_child_count()).filter_map(|j| r.named_child(j)) {
                        match kind(&c) {
                            "heredoc_start"
                            | "heredoc_body"
                            | "heredoc_end"
                            | "file_redirect"
                            | "file_descriptor"
                            | "herestring_redirect" => {}
                            "pipeline" => piped = true,
                            _ => chained = true,
                        }
                    }
                }
                let ctx = Ctx {
                    nesting: ctx.nesting,
                    in_pipeline: ctx.in_pipeline || piped,
                };
                // Redirections belong to the simple command they follow, but tree-sitter-bash
                // attaches `a && b > f` to the whole chain: extend the command that ends where
                // the body ends (`b`) over them, unless statements were parsed into a heredoc.
                let saved = self.extend.take();
                if !piped && !chained {
                    if let Some(body) = node.child_by_field_name("body") {
                        self.extend =
                            Some((body.end_byte() + self.shift, node.end_byte() + self.shift));
                    }
                }
                self.children(cursor, ctx);
                self.extend = saved;
            }
            "subshell"
            | "compound_statement"
            | "if_statement"
            | "elif_clause"
            | "else_clause"
            | "while_statement"
            | "for_statement"
            | "c_style_for_statement"
            | "do_group"
            | "case_statement"
            | "case_item"
            | "function_definition" => self.children(cursor, ctx.deeper(Nesting::Compound)),
            "command_substitution" | "process_substitution" => {
                self.children(cursor, ctx.script(Nesting::Substitution))
            }
            _ => {
                if node.child_count() > 0 {
                    self.children(cursor, ctx)
                }
            }
        }
    }

    fn children(&mut self, cursor: &mut TreeCursor, ctx: Ctx) {
        if cursor.goto_first_child() {
            loop {
                self.visit(cursor, ctx);
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
            cursor.goto_parent();
        }
    }

    /// `a && b || c` is left-nested (`list(list(a, b), c)`), so long Dockerfile chains would
    /// recurse once per command; walk down the left spine iteratively instead.
    fn list(&mut self, cursor: &mut TreeCursor, ctx: Ctx) {
        let mut depth = 0usize;
        if !cursor.goto_first_child() {
            return;
        }
        while kind(&cursor.node()) == "list" {
            if !cursor.goto_first_child() {
                break;
            }
            depth += 1;
        }
        loop {
            loop {
                self.visit(cursor, ctx);
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
            cursor.goto_parent();
            if depth == 0 {
                break;
            }
            depth -= 1;
            // On a nested list that is its parent's first child: continue with its siblings.
            if !cursor.goto_next_sibling() {
                // Cannot happen for a well-formed list; climb to stay balanced.
                for _ in 0..depth {
                    cursor.goto_parent();
                }
                cursor.goto_parent();
                return;
            }
        }
    }

    /// Evaluates the word under the cursor: appends its literal value to `value` (set to None
    /// on anything dynamic), tracks the basename tail in `tail`, and visits substitutions inside
    /// it with `ctx` (None: do not visit).
    fn eval_word(&mut self, cursor: &mut TreeCursor, ctx: Option<Ctx>, value: &mut Option<String>) {
        let node = cursor.node();
        let text = &self.text[node.byte_range()];
        match kind(&node) {
            "word" | "number" | "variable_name" | "extglob_pattern" | "test_operator" | "regex"
            | "$" | "==" | "=~" | "=" | "!=" => {
                if kind(&node) == "number" && node.child_count() > 0 {
                    // `16#$x`: a base with an expansion.
                    self.dynamic(cursor, ctx, value);
                } else if let Some(v) = value {
                    if kind(&node) == "word" {
                        unescape_unquoted(text, v);
                    } else {
                        v.push_str(text);
                    }
                }
            }
            "raw_string" => match (value, text.get(1..text.len().saturating_sub(1))) {
                (Some(v), Some(inner)) if text.len() >= 2 => v.push_str(inner),
                (value, _) => *value = None,
            },
            "string" => {
                if cursor.goto_first_child() {
                    loop {
                        let child = cursor.node();
                        match kind(&child) {
                            "\"" => {}
                            "string_content" => {
                                if let Some(v) = value {
                                    unescape_double_quoted(&self.text[child.byte_range()], v);
                                }
                            }
                            // A `$` before the closing quote is literal.
                            "$" => {
                                if let Some(v) = value {
                                    v.push('$');
                                }
                            }
                            _ => self.dynamic(cursor, ctx, value),
                        }
                        if !cursor.goto_next_sibling() {
                            break;
                        }
                    }
                    cursor.goto_parent();
                }
            }
            "concatenation" => {
                if cursor.goto_first_child() {
                    loop {
                        self.eval_word(cursor, ctx, value);
                        if !cursor.goto_next_sibling() {
                            break;
                        }
                    }
                    cursor.goto_parent();
                }
            }
            _ => self.dynamic(cursor, ctx, value),
        }
    }

    /// A dynamic part: the value is unknown; still look for commands inside it.
    fn dynamic(&mut self, cursor: &mut TreeCursor, ctx: Option<Ctx>, value: &mut Option<String>) {
        *value = None;
        if let Some(ctx) = ctx {
            self.visit(cursor, ctx);
        }
    }

    /// Builds a [`RawWord`] for the word node under the cursor.
    fn raw_word(&mut self, cursor: &mut TreeCursor, ctx: Ctx) -> RawWord {
        let node = cursor.node();
        let mut value = Some(String::new());
        self.eval_word(cursor, Some(ctx), &mut value);
        let tail = match &value {
            Some(v) => Some(v.rsplit('/').next().unwrap_or(v).to_owned()),
            None => self.dynamic_tail(node),
        };
        let lead = match kind(&node) {
            "word" => Some(node),
            "concatenation" => node.child(0).filter(|c| kind(c) == "word"),
            _ => None,
        };
        let assign = lead.and_then(|l| name_eq_len(&self.text[l.byte_range()]));
        RawWord {
            word: Word {
                range: self.range(node),
                value,
            },
            kind: kind(&node),
            tail,
            assign,
        }
    }

    /// Basename of a partly dynamic word: the literal text after the last `/`, provided that
    /// `/` and everything after it are literal (`"$VENV"/bin/pip`, `"$VENV/bin/pip"`).
    fn dynamic_tail(&self, node: Node) -> Option<String> {
        // Gather the trailing literal leaves, last first, until a `/` is seen.
        let mut parts: Vec<String> = Vec::new();
        let mut stack = vec![node];
        // Depth-first from the right: push children left to right, pop right-most first.
        while let Some(n) = stack.pop() {
            let piece = match kind(&n) {
                "concatenation" => {
                    for i in 0..n.child_count() {
                        if let Some(c) = n.child(i) {
                            stack.push(c);
                        }
                    }
                    continue;
                }
                "string" => {
                    for i in 0..n.child_count() {
                        if let Some(c) = n.child(i) {
                            if kind(&c) != "\"" {
                                stack.push(c);
                            }
                        }
                    }
                    continue;
                }
                "word" => {
                    let mut s = String::new();
                    unescape_unquoted(&self.text[n.byte_range()], &mut s);
                    s
                }
                "string_content" => {
                    let mut s = String::new();
                    unescape_double_quoted(&self.text[n.byte_range()], &mut s);
                    s
                }
                "raw_string" => {
                    let t = &self.text[n.byte_range()];
                    t.get(1..t.len().saturating_sub(1))?.to_owned()
                }
                _ => return None,
            };
            if let Some(pos) = piece.rfind('/') {
                parts.push(piece[pos + 1..].to_owned());
                parts.reverse();
                let base: String = parts.concat();
                return (!base.is_empty()).then_some(base);
            }
            parts.push(piece);
        }
        None
    }

    fn command(&mut self, cursor: &mut TreeCursor, ctx: Ctx) {
        let node = cursor.node();
        let mut assignments = Vec::new();
        let mut words: Vec<RawWord> = Vec::new();
        if cursor.goto_first_child() {
            loop {
                let child = cursor.node();
                match (cursor.field_name(), kind(&child)) {
                    (_, "variable_assignment") => {
                        if let Some(a) = self.assignment(cursor, ctx) {
                            assignments.push(a);
                        }
                    }
                    (Some("redirect"), _) => self.visit(cursor, ctx),
                    (Some("name"), _) => {
                        if cursor.goto_first_child() {
                            words.push(self.raw_word(cursor, ctx));
                            cursor.goto_parent();
                        }
                    }
                    (Some("argument"), _) => words.push(self.raw_word(cursor, ctx)),
                    // `cmd (sub)` and stray tokens.
                    _ => self.visit(cursor, ctx),
                }
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
            cursor.goto_parent();
        }
        if words.is_empty() {
            return;
        }
        let mut wrappers = Vec::new();
        let start = skip_wrappers(
            &words,
            &mut wrappers,
            &mut assignments,
            self.text,
            self.shift,
        );
        let mut rest = words.into_iter().skip(start);
        let Some(name) = rest.next() else { return };
        let args: Vec<RawWord> = rest.collect();
        let base = name.tail.clone();
        self.nested_scripts(base.as_deref(), &args, ctx);
        let mut range = self.range(node);
        if let Some((body_end, end)) = self.extend {
            if range.end == body_end {
                range.end = end;
            }
        }
        self.out.push(Command {
            range,
            assignments,
            wrappers,
            name: name.word,
            args: args.into_iter().map(|w| w.word).collect(),
            nesting: ctx.nesting,
            in_pipeline: ctx.in_pipeline,
            base,
        });
    }

    /// `NAME=value` prefix under the cursor.
    fn assignment(&mut self, cursor: &mut TreeCursor, ctx: Ctx) -> Option<(String, Word)> {
        let node = cursor.node();
        let mut result = None;
        let mut name = None;
        if cursor.goto_first_child() {
            loop {
                match cursor.field_name() {
                    Some("name") => name = Some(self.text[cursor.node().byte_range()].to_owned()),
                    Some("value") => {
                        let w = self.raw_word(cursor, ctx);
                        result = Some(w.word);
                    }
                    _ => {}
                }
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
            cursor.goto_parent();
        }
        let name = name?;
        let word = result.unwrap_or(Word {
            range: self.range(node).end..self.range(node).end,
            value: Some(String::new()),
        });
        Some((name, word))
    }

    /// `export`/`declare`/`local`/`readonly`/`typeset`/`unset`: reported with the keyword as
    /// name and each operand (`A=1`, `B`, `-x`) as an argument.
    fn declaration(&mut self, cursor: &mut TreeCursor, ctx: Ctx) {
        let node = cursor.node();
        let mut name = None;
        let mut args = Vec::new();
        if cursor.goto_first_child() {
            loop {
                let child = cursor.node();
                if name.is_none() {
                    let t = &self.text[child.byte_range()];
                    name = Some(Word {
                        range: self.range(child),
                        value: Some(t.to_owned()),
                    });
                } else if kind(&child) == "variable_assignment" {
                    // Value: `NAME=` + literal value, if literal.
                    let mut value = Some(String::new());
                    if cursor.goto_first_child() {
                        loop {
                            let part = cursor.node();
                            match cursor.field_name() {
                                Some("value") => self.eval_word(cursor, Some(ctx), &mut value),
                                _ => {
                                    if let Some(v) = &mut value {
                                        v.push_str(&self.text[part.byte_range()]);
                                    }
                                }
                            }
                            if !cursor.goto_next_sibling() {
                                break;
                            }
                        }
                        cursor.goto_parent();
                    }
                    args.push(Word {
                        range: self.range(child),
                        value,
                    });
                } else if kind(&child) != "comment" {
                    args.push(self.raw_word(cursor, ctx).word);
                }
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
            cursor.goto_parent();
        }
        let Some(name) = name else { return };
        let base = name.value.clone();
        self.out.push(Command {
            range: self.range(node),
            assignments: Vec::new(),
            wrappers: Vec::new(),
            name,
            args,
            nesting: ctx.nesting,
            in_pipeline: ctx.in_pipeline,
            base,
        });
    }

    /// `[ … ]` / `[[ … ]]`: name is the opening bracket, args the expression's leaves.
    fn test_command(&mut self, cursor: &mut TreeCursor, ctx: Ctx) {
        let node = cursor.node();
        let Some(open) = node.child(0) else { return };
        let mut args = Vec::new();
        if cursor.goto_first_child() {
            while cursor.goto_next_sibling() {
                if !matches!(kind(&cursor.node()), "]" | "]]") {
                    self.test_leaves(cursor, ctx, &mut args);
                }
            }
            cursor.goto_parent();
        }
        let open_text = self.text[open.byte_range()].to_owned();
        self.out.push(Command {
            range: self.range(node),
            assignments: Vec::new(),
            wrappers: Vec::new(),
            name: Word {
                range: self.range(open),
                value: Some(open_text.clone()),
            },
            args,
            nesting: ctx.nesting,
            in_pipeline: ctx.in_pipeline,
            base: Some(open_text),
        });
    }

    fn test_leaves(&mut self, cursor: &mut TreeCursor, ctx: Ctx, args: &mut Vec<Word>) {
        match kind(&cursor.node()) {
            "binary_expression"
            | "unary_expression"
            | "parenthesized_expression"
            | "ternary_expression"
            | "postfix_expression" => {
                if cursor.goto_first_child() {
                    loop {
                        self.test_leaves(cursor, ctx, args);
                        if !cursor.goto_next_sibling() {
                            break;
                        }
                    }
                    cursor.goto_parent();
                }
            }
            "comment" => {}
            "redirected_statement" => self.visit(cursor, ctx),
            _ if !cursor.node().is_named() => {
                let node = cursor.node();
                args.push(Word {
                    range: self.range(node),
                    value: Some(self.text[node.byte_range()].to_owned()),
                });
            }
            _ => args.push(self.raw_word(cursor, ctx).word),
        }
    }

    /// `sh -c STRING`, `eval …`, `su -c STRING`: parse the script inside and report its commands.
    fn nested_scripts(&mut self, base: Option<&str>, args: &[RawWord], ctx: Ctx) {
        match base {
            Some("sh" | "bash" | "dash" | "ash" | "ksh" | "mksh" | "zsh") => {
                if let Some(i) = shell_c_index(args) {
                    self.reparse(&args[i], ctx, false);
                }
            }
            Some("busybox")
                if args
                    .first()
                    .and_then(|w| w.word.as_str())
                    .is_some_and(|s| matches!(s, "sh" | "ash" | "bash")) =>
            {
                if let Some(i) = shell_c_index(&args[1..]) {
                    self.reparse(&args[i + 1], ctx, false);
                }
            }
            Some("eval") => {
                if let [only] = args {
                    self.reparse(only, ctx, true);
                } else if let (Some(first), Some(last)) = (args.first(), args.last()) {
                    // `eval apt-get install x`: the words joined by spaces are the script.
                    let range = first.word.range.start..last.word.range.end;
                    self.parse_nested(range, ctx.script(Nesting::Substitution));
                }
            }
            Some("su") => {
                if let Some(i) = su_c_index(args) {
                    self.reparse(&args[i], ctx, true);
                }
            }
            _ => {}
        }
    }

    /// Re-parses a string argument. Editable (ShellString) only when its inner text is exactly
    /// what the inner shell sees: single quotes, double quotes without `$`, backquote or
    /// backslash, or a plain unquoted word; anything else (and `force_substitution`) is parsed
    /// from the raw text as Substitution so passes can still say what they skipped.
    fn reparse(&mut self, w: &RawWord, ctx: Ctx, force_substitution: bool) {
        let r = w.word.range.clone();
        if r.len() < 2 {
            return;
        }
        let raw = &self.text[r.start - self.shift..r.end - self.shift];
        let (inner, exact) = match w.kind {
            "raw_string" => (r.start + 1..r.end - 1, true),
            "string" => (
                r.start + 1..r.end - 1,
                !raw.contains(['$', '`', '\\']) && w.word.value.is_some(),
            ),
            "word" => (r.clone(), !raw.contains('\\')),
            _ => return,
        };
        if inner.start >= inner.end {
            return;
        }
        let nesting = if exact && !force_substitution {
            Nesting::ShellString
        } else {
            Nesting::Substitution
        };
        self.parse_nested(inner, ctx.script(nesting));
    }

    /// Parses `range` (offsets in the outer script) and walks it with shifted offsets.
    fn parse_nested(&mut self, range: Range<usize>, ctx: Ctx) {
        let local = range.start - self.shift..range.end - self.shift;
        let Some(inner_text) = self.text.get(local.clone()) else {
            return;
        };
        let tree = parse_tree(inner_text);
        let mut inner = Walker {
            text: inner_text,
            shift: range.start,
            extend: None,
            out: std::mem::take(&mut self.out),
        };
        let mut cursor = tree.walk();
        inner.visit(&mut cursor, ctx);
        self.out = inner.out;
    }
}

/// Index (in `args`) of the script string of `sh [opts] -c STRING`, if `-c` is given.
/// `-o NAME`/`-O NAME`/`--rcfile F`/`--init-file F` consume a value; `-c` may sit in a
/// cluster (`-ec`, `-xc`, `-euxc`).
fn shell_c_index(args: &[RawWord]) -> Option<usize> {
    let mut has_c = false;
    let mut i = 0;
    while i < args.len() {
        let Some(a) = args[i].word.as_str() else {
            break;
        };
        if a == "--" {
            i += 1;
            break;
        }
        if a.len() < 2 || !(a.starts_with('-') || a.starts_with('+')) {
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            if matches!(long, "rcfile" | "init-file") {
                i += 1;
            }
        } else {
            for ch in a[1..].chars() {
                match ch {
                    'c' => has_c = true,
                    'o' | 'O' => i += 1,
                    _ => {}
                }
            }
        }
        i += 1;
    }
    (has_c && i < args.len()).then_some(i)
}

/// Index of the command string of `su [opts] [user] -c CMD` / `--command=CMD` / `--command CMD`.
fn su_c_index(args: &[RawWord]) -> Option<usize> {
    for (i, a) in args.iter().enumerate() {
        let Some(s) = a.word.as_str() else { continue };
        if s == "--command" || (s.starts_with('-') && !s.starts_with("--") && s.ends_with('c')) {
            return (i + 1 < args.len()).then_some(i + 1);
        }
    }
    None
}

/// How a wrapper's option words are read.
struct WrapperSpec {
    /// Short options taking a value (`-u USER`, or attached `-uUSER`).
    short_with_value: &'static str,
    /// Long options taking a value when written without `=` (`--user USER`).
    long_with_value: &'static [&'static str],
    /// Operands before the command (`gosu USER cmd`).
    operands: usize,
    /// `VAR=value` words before the command are assignments (`env`, `sudo`).
    assignments: bool,
}

fn wrapper_spec(name: &str) -> Option<WrapperSpec> {
    let spec = |short_with_value, long_with_value, operands, assignments| WrapperSpec {
        short_with_value,
        long_with_value,
        operands,
        assignments,
    };
    Some(match name {
        "sudo" => spec(
            "ugpCDhrtTUR",
            &[
                "user",
                "group",
                "prompt",
                "close-from",
                "chdir",
                "host",
                "role",
                "type",
                "other-user",
                "command-timeout",
                "chroot",
            ],
            0,
            true,
        ),
        "env" => spec("uCSP", &["unset", "chdir", "split-string"], 0, true),
        "command" | "nohup" | "time" => spec("fo", &["format", "output"], 0, false),
        "exec" => spec("a", &[], 0, false),
        "nice" => spec("n", &["adjustment"], 0, false),
        "stdbuf" => spec("ioe", &["input", "output", "error"], 0, false),
        "xargs" => spec(
            "nILPsdEa",
            &[
                "max-args",
                "max-lines",
                "max-procs",
                "max-chars",
                "delimiter",
                "arg-file",
                "process-slot-var",
            ],
            0,
            false,
        ),
        "gosu" | "su-exec" => spec("", &[], 1, false),
        _ => return None,
    })
}

/// Looks through wrappers (RULES.md §1): returns the index of the effective command word,
/// moving wrapper words into `wrappers` and `env`/`sudo` assignments into `assignments`.
/// A dynamic word where an option could be ends the options and becomes the name, so the
/// command is reported as dynamic rather than guessed.
fn skip_wrappers(
    words: &[RawWord],
    wrappers: &mut Vec<Word>,
    assignments: &mut Vec<(String, Word)>,
    text: &str,
    shift: usize,
) -> usize {
    let mut i = 0;
    'outer: while i + 1 < words.len() {
        let Some(name) = words[i].word.as_str() else {
            break;
        };
        let base = name.rsplit('/').next().unwrap_or(name);
        let Some(spec) = wrapper_spec(base) else {
            break;
        };
        let mut j = i + 1;
        let kept = assignments.len();
        // Options.
        while j < words.len() {
            // A dynamic word ends the options: it is taken as the command (`sudo "$X"/bin/pip`,
            // and `sudo $OPTS apt-get` reports the dynamic `$OPTS` as the name).
            let Some(a) = words[j].word.as_str() else {
                break;
            };
            if a == "--" {
                j += 1;
                break;
            }
            if !a.starts_with('-') || a.len() < 2 {
                break;
            }
            match base {
                // `command -v/-V` looks a name up instead of running it.
                "command" if a.contains(['v', 'V']) => break 'outer,
                // `env -S 'cmd args'` splits a string we do not re-parse.
                "env" if a.starts_with("-S") || a.starts_with("--split-string") => break 'outer,
                // `nice -10 cmd`: old-style adjustment.
                "nice" if a[1..].bytes().all(|b| b.is_ascii_digit()) => {
                    j += 1;
                    continue;
                }
                // `env -` is `env -i`.
                _ => {}
            }
            if let Some(long) = a.strip_prefix("--") {
                if !long.contains('=') && spec.long_with_value.contains(&long) {
                    j += 1;
                }
            } else if base == "xargs" && matches!(a.as_bytes()[1], b'i' | b'e' | b'l') {
                // Optional attached values only (`-i{}`, `-l1`).
            } else {
                // A cluster: the first option taking a value takes the rest or the next word.
                for (k, ch) in a[1..].char_indices() {
                    if spec.short_with_value.contains(ch) {
                        if k + 1 + ch.len_utf8() == a.len() {
                            j += 1;
                        }
                        break;
                    }
                }
            }
            j += 1;
        }
        // Assignments (`env A=1 B=2 cmd`, `sudo A=1 cmd`).
        let first_assignment = j;
        if spec.assignments {
            while j < words.len() {
                let Some(a) = split_assignment(&words[j], text, shift) else {
                    break;
                };
                assignments.push(a);
                j += 1;
            }
        }
        let last_assignment = j;
        j += spec.operands;
        if j >= words.len() {
            // Nothing left to run: the wrapper itself is the command (`sudo -l`, `env`).
            assignments.truncate(kept);
            break;
        }
        for (k, w) in words[i..j].iter().enumerate() {
            if !(first_assignment..last_assignment).contains(&(i + k)) {
                wrappers.push(w.word.clone());
            }
        }
        i = j;
    }
    if i >= words.len() {
        0
    } else {
        i
    }
}

/// `NAME=value` word → (NAME, value word with the range after `=`; value None when dynamic).
fn split_assignment(w: &RawWord, text: &str, shift: usize) -> Option<(String, Word)> {
    let len = w.assign?;
    let start = w.word.range.start;
    Some((
        text[start - shift..start - shift + len - 1].to_owned(),
        Word {
            range: start + len..w.word.range.end,
            value: w.word.value.as_ref().map(|v| v[len..].to_owned()),
        },
    ))
}

/// Length of `NAME=` when `s` starts with a shell variable name and `=`.
fn name_eq_len(s: &str) -> Option<usize> {
    let eq = s.find('=')?;
    let name = &s[..eq];
    let mut chars = name.chars();
    let first = chars.next()?;
    ((first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_'))
    .then_some(eq + 1)
}

/// Quote removal for an unquoted word: `\x` → `x`, `\<newline>` → nothing.
fn unescape_unquoted(s: &str, out: &mut String) {
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('\n') | None => {}
                Some(n) => out.push(n),
            }
        } else {
            out.push(c);
        }
    }
}

/// Quote removal inside double quotes: backslash only escapes `$`, backquote, `"`, `\` and
/// newline; elsewhere it stays.
fn unescape_double_quoted(s: &str, out: &mut String) {
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.peek() {
                Some('$' | '`' | '"' | '\\') => out.push(chars.next().unwrap_or('\\')),
                Some('\n') => {
                    chars.next();
                }
                _ => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
}

/// What joining a script to another with `&&` must respect (RULES.md §6 DF001 "Join").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Shape {
    /// Top-level statements (separated by `;`, `&` or newlines).
    pub statements: usize,
    /// A `||` in the top-level and-or list: `A && p || q` would run `q` when `A` fails.
    pub or_list: bool,
    /// A background `&` anywhere: the job would outlive its RUN into the next one.
    pub background: bool,
    /// A shell comment anywhere: it would swallow what follows it on the logical line.
    pub comment: bool,
    /// Shell state set outside a command's own prefix: a bare assignment, a function definition
    /// or a `for` loop variable (anywhere, subshells included: a conservative over-estimate).
    pub sets_state: bool,
}

impl Script {
    pub fn shape(&self) -> Shape {
        let mut shape = Shape::default();
        let root = self.tree.root_node();
        let mut cursor = root.walk();
        shape.statements = root
            .named_children(&mut cursor)
            .filter(|node| kind(node) != "comment")
            .count();
        let mut cursor = root.walk();
        // Iterative pre-order walk: `&&` chains nest one level per command.
        loop {
            let node = cursor.node();
            match kind(&node) {
                "&" => shape.background = true,
                "comment" => shape.comment = true,
                "||" => shape.or_list |= top_level(node),
                "function_definition" | "for_statement" | "c_style_for_statement" => {
                    shape.sets_state = true
                }
                "variable_assignment" | "variable_assignments" => {
                    shape.sets_state |= !node.parent().is_some_and(|parent| {
                        matches!(
                            kind(&parent),
                            "command" | "declaration_command" | "variable_assignments"
                        )
                    })
                }
                _ => {}
            }
            if cursor.goto_first_child() {
                continue;
            }
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    return shape;
                }
            }
        }
    }
}

/// The node belongs to the script's own and-or lists, not to a compound or substitution.
fn top_level(node: Node) -> bool {
    let mut current = node.parent();
    while let Some(parent) = current {
        match kind(&parent) {
            "program" => return true,
            "list" | "redirected_statement" | "negated_command" => current = parent.parent(),
            _ => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Commands of `text` with their source text checked against the reported ranges.
    fn cmds(text: &str) -> Vec<Command> {
        let s = Script::parse(text);
        let cs = s.commands().to_vec();
        for c in &cs {
            assert!(text.get(c.range.clone()).is_some(), "bad range {c:?}");
            for w in c.args.iter().chain([&c.name]).chain(&c.wrappers) {
                assert!(
                    c.range.start <= w.range.start && w.range.end <= c.range.end
                        || c.nesting != Nesting::TopLevel
                );
            }
        }
        cs
    }

    fn src<'a>(text: &'a str, w: &Word) -> &'a str {
        &text[w.range.clone()]
    }

    fn names(cs: &[Command]) -> Vec<&str> {
        cs.iter()
            .map(|c| c.name.as_str().unwrap_or("<dyn>"))
            .collect()
    }

    fn args(c: &Command) -> Vec<&str> {
        c.args
            .iter()
            .map(|w| w.as_str().unwrap_or("<dyn>"))
            .collect()
    }

    fn wrappers<'a>(text: &'a str, c: &Command) -> Vec<&'a str> {
        c.wrappers.iter().map(|w| src(text, w)).collect()
    }

    fn one(text: &str) -> Command {
        let mut cs = cmds(text);
        assert_eq!(cs.len(), 1, "{cs:#?}");
        cs.remove(0)
    }

    #[test]
    fn chain_of_lists() {
        let t = "a && b x || c; d";
        let cs = cmds(t);
        assert_eq!(names(&cs), ["a", "b", "c", "d"]);
        let texts: Vec<&str> = cs.iter().map(|c| &t[c.range.clone()]).collect();
        assert_eq!(texts, ["a", "b x", "c", "d"]);
        assert!(cs
            .iter()
            .all(|c| c.nesting == Nesting::TopLevel && !c.in_pipeline));
        assert_eq!(src(t, &cs[1].args[0]), "x");
    }

    #[test]
    fn long_chain_does_not_recurse_per_command() {
        let t = (0..20_000)
            .map(|i| format!("c{i}"))
            .collect::<Vec<_>>()
            .join(" && ");
        let cs = cmds(&t);
        assert_eq!(cs.len(), 20_000);
        assert_eq!(cs[19_999].name.as_str(), Some("c19999"));
        let t = format!("{t} && export A=1");
        assert_eq!(Script::parse(&t).exports()[0].name, "A");
    }

    #[test]
    fn dockerfile_chain() {
        let t = "set -eux; apt-get update; apt-get install -y --no-install-recommends ca-certificates curl; rm -rf /var/lib/apt/lists/*";
        let cs = cmds(t);
        assert_eq!(names(&cs), ["set", "apt-get", "apt-get", "rm"]);
        assert_eq!(args(&cs[0]), ["-eux"]);
        assert_eq!(
            args(&cs[2]),
            [
                "install",
                "-y",
                "--no-install-recommends",
                "ca-certificates",
                "curl"
            ]
        );
        assert_eq!(&t[cs[2].args[0].range.clone()], "install");
        assert_eq!(args(&cs[3]), ["-rf", "/var/lib/apt/lists/*"]);
        assert_eq!(&t[cs[3].range.clone()], "rm -rf /var/lib/apt/lists/*");
        assert!(cs.iter().all(|c| c.nesting == Nesting::TopLevel));

        let t = "apt-get update \t&& apt-get install -y \t\tcurl \t&& rm -rf /var/lib/apt/lists/*";
        assert_eq!(names(&cmds(t)), ["apt-get", "apt-get", "rm"]);
    }

    #[test]
    fn pipelines() {
        let t = "curl -fsSL https://x | tar -xz -C /opt && echo ok";
        let cs = cmds(t);
        assert_eq!(names(&cs), ["curl", "tar", "echo"]);
        assert!(cs[0].in_pipeline && cs[1].in_pipeline && !cs[2].in_pipeline);
        assert_eq!(args(&cs[1]), ["-xz", "-C", "/opt"]);
        assert!(cs.iter().all(|c| c.nesting == Nesting::TopLevel));
        let cs = cmds("a |& b | { c; d; }");
        assert_eq!(names(&cs), ["a", "b", "c", "d"]);
        assert!(cs.iter().all(|c| c.in_pipeline));
        assert_eq!(cs[2].nesting, Nesting::Compound);
    }

    #[test]
    fn compound_bodies() {
        let t = "if [ -f x ]; then apt-get install y; elif b; then c; else d; fi; \
                 for p in a b; do pip install $p; done; while read l; do e; done < f; \
                 until g; do h; done; case $A in x) i ;; *) j ;; esac";
        let cs = cmds(t);
        assert_eq!(
            names(&cs),
            ["[", "apt-get", "b", "c", "d", "pip", "read", "e", "g", "h", "i", "j"]
        );
        assert!(cs.iter().all(|c| c.nesting == Nesting::Compound), "{cs:#?}");
        assert_eq!(args(&cs[0]), ["-f", "x"]);
        assert_eq!(args(&cs[5]), ["install", "<dyn>"]);
        assert_eq!(&t[cs[5].args[1].range.clone()], "$p");
    }

    #[test]
    fn subshells_groups_functions() {
        let cs = cmds("(cd /src && make) && { apt-get update; } ; f() { pip install x; }; function g { h; }; f");
        assert_eq!(names(&cs), ["cd", "make", "apt-get", "pip", "h", "f"]);
        let n: Vec<Nesting> = cs.iter().map(|c| c.nesting).collect();
        assert_eq!(n[..5], [Nesting::Compound; 5]);
        assert_eq!(n[5], Nesting::TopLevel);
        // Negation and `[[ ]]` stay at top level.
        let cs = cmds("! grep -q x f && [[ $a == b ]]");
        assert_eq!(names(&cs), ["grep", "[["]);
        assert_eq!(cs[0].nesting, Nesting::TopLevel);
        assert_eq!(args(&cs[1]), ["<dyn>", "==", "b"]);
    }

    #[test]
    fn sudo_wrapper() {
        let t = "sudo -E -H -n -u app -g grp --preserve-env apt-get install x";
        let c = one(t);
        assert_eq!(c.name.as_str(), Some("apt-get"));
        assert_eq!(args(&c), ["install", "x"]);
        assert_eq!(
            wrappers(t, &c),
            [
                "sudo",
                "-E",
                "-H",
                "-n",
                "-u",
                "app",
                "-g",
                "grp",
                "--preserve-env"
            ]
        );
        assert_eq!(&t[c.range.clone()], t);
        let c = one("sudo -uapp --user=x -- pip install y");
        assert_eq!(c.name.as_str(), Some("pip"));
        let c = one("sudo A=1 apt-get update");
        assert_eq!(c.name.as_str(), Some("apt-get"));
        assert_eq!(c.assignments[0].0, "A");
        // Nothing to run: sudo itself is the command.
        let c = one("sudo -l");
        assert_eq!(c.name.as_str(), Some("sudo"));
        assert!(c.wrappers.is_empty());
    }

    #[test]
    fn env_wrapper() {
        let t = "env -i A=1 B=\"x y\" C=$D cmd arg";
        let c = one(t);
        assert_eq!(c.name.as_str(), Some("cmd"));
        assert_eq!(args(&c), ["arg"]);
        assert_eq!(wrappers(t, &c), ["env", "-i"]);
        let a: Vec<(&str, Option<&str>, &str)> = c
            .assignments
            .iter()
            .map(|(n, w)| (n.as_str(), w.as_str(), src(t, w)))
            .collect();
        assert_eq!(
            a,
            [
                ("A", Some("1"), "1"),
                ("B", Some("x y"), "\"x y\""),
                ("C", None, "$D")
            ]
        );
        let t = "env -u X --chdir /tmp -- make";
        let c = one(t);
        assert_eq!(c.name.as_str(), Some("make"));
        assert_eq!(wrappers(t, &c), ["env", "-u", "X", "--chdir", "/tmp", "--"]);
        // `env` alone / with only assignments prints the environment.
        assert_eq!(one("env A=1").name.as_str(), Some("env"));
        assert!(one("env A=1").assignments.is_empty());
    }

    #[test]
    fn simple_wrappers() {
        let cases = [
            ("command apt-get update", "apt-get", vec!["command"]),
            (
                "command -p apt-get update",
                "apt-get",
                vec!["command", "-p"],
            ),
            ("exec apt-get update", "apt-get", vec!["exec"]),
            (
                "exec -a name apt-get update",
                "apt-get",
                vec!["exec", "-a", "name"],
            ),
            ("time apt-get update", "apt-get", vec!["time"]),
            ("time -p apt-get update", "apt-get", vec!["time", "-p"]),
            (
                "nice -n 10 apt-get update",
                "apt-get",
                vec!["nice", "-n", "10"],
            ),
            ("nice -10 apt-get update", "apt-get", vec!["nice", "-10"]),
            ("nice apt-get update", "apt-get", vec!["nice"]),
            ("nohup apt-get update", "apt-get", vec!["nohup"]),
            (
                "stdbuf -oL -e 0 apt-get update",
                "apt-get",
                vec!["stdbuf", "-oL", "-e", "0"],
            ),
            (
                "stdbuf --output=L apt-get update",
                "apt-get",
                vec!["stdbuf", "--output=L"],
            ),
            (
                "xargs -n 1 -I {} apt-get update",
                "apt-get",
                vec!["xargs", "-n", "1", "-I", "{}"],
            ),
            (
                "xargs -0r -P4 -i{} apt-get update",
                "apt-get",
                vec!["xargs", "-0r", "-P4", "-i{}"],
            ),
            (
                "xargs --max-args 1 apt-get update",
                "apt-get",
                vec!["xargs", "--max-args", "1"],
            ),
            ("gosu app apt-get update", "apt-get", vec!["gosu", "app"]),
            (
                "su-exec app:app apt-get update",
                "apt-get",
                vec!["su-exec", "app:app"],
            ),
            (
                "/usr/bin/sudo -E env nohup apt-get update",
                "apt-get",
                vec!["/usr/bin/sudo", "-E", "env", "nohup"],
            ),
        ];
        for (t, name, wr) in cases {
            let c = one(t);
            assert_eq!(c.name.as_str(), Some(name), "{t}");
            assert_eq!(args(&c), ["update"], "{t}");
            assert_eq!(wrappers(t, &c), wr, "{t}");
            assert_eq!(src(t, &c.name), "apt-get");
        }
        // `command -v` looks a name up, it does not run it.
        let c = one("command -v apt-get");
        assert_eq!(c.name.as_str(), Some("command"));
        assert_eq!(args(&c), ["-v", "apt-get"]);
        // A dynamic word in option position is taken as the (dynamic) command.
        let c = one("sudo $OPTS apt-get install");
        assert_eq!(c.name.as_str(), None);
        assert_eq!(args(&c), ["apt-get", "install"]);
    }

    #[test]
    fn assignment_prefixes() {
        let t = "DEBIAN_FRONTEND=noninteractive apt-get install -y x";
        let c = one(t);
        assert_eq!(c.name.as_str(), Some("apt-get"));
        assert_eq!(args(&c), ["install", "-y", "x"]);
        assert_eq!(c.assignments.len(), 1);
        assert_eq!(c.assignments[0].0, "DEBIAN_FRONTEND");
        assert_eq!(c.assignments[0].1.as_str(), Some("noninteractive"));
        assert_eq!(src(t, &c.assignments[0].1), "noninteractive");
        assert_eq!(&t[c.range.clone()], t);
        let cs = cmds("A= B=$(pwd) C='q' make");
        assert_eq!(names(&cs), ["make", "pwd"]);
        let c = &cs[0];
        let a: Vec<(&str, Option<&str>)> = c
            .assignments
            .iter()
            .map(|(n, w)| (n.as_str(), w.as_str()))
            .collect();
        assert_eq!(a, [("A", Some("")), ("B", None), ("C", Some("q"))]);
        // Bare assignments are not commands, but substitutions inside them are.
        let cs = cmds("A=1; B=$(id -u)");
        assert_eq!(names(&cs), ["id"]);
        assert_eq!(cs[0].nesting, Nesting::Substitution);
    }

    #[test]
    fn words_and_quoting() {
        let t = r#"cmd "apt-get" 'in stall' a\ b "x\"y\n" "$X" ${Y} pre$Z "a"'b'c -- foo$ 10 ~/x {a,b}"#;
        let c = one(t);
        assert_eq!(
            args(&c),
            [
                "apt-get", "in stall", "a b", "x\"y\\n", "<dyn>", "<dyn>", "<dyn>", "abc", "--",
                "foo$", "10", "~/x", "{a,b}"
            ]
        );
        let srcs: Vec<&str> = c.args.iter().map(|w| src(t, w)).collect();
        assert_eq!(srcs[2], r"a\ b");
        assert_eq!(srcs[7], r#""a"'b'c"#);
        let c = one("\"/usr/bin/apt-get\" install");
        assert_eq!(c.name.as_str(), Some("/usr/bin/apt-get"));
        assert_eq!(c.basename(), Some("apt-get"));
    }

    #[test]
    fn path_prefixes_and_basename() {
        let cases = [
            (
                "/usr/bin/apt-get install",
                Some("/usr/bin/apt-get"),
                Some("apt-get"),
            ),
            ("\"$VENV\"/bin/pip install x", None, Some("pip")),
            ("\"$VENV/bin/pip\" install x", None, Some("pip")),
            ("${HOME}/.local/bin/pip install x", None, Some("pip")),
            ("$VENV/bin/'pi'p install x", None, Some("pip")),
            ("\"$X\"pip install", None, None),
            ("$APT_GET install", None, None),
            ("$(which pip) install", None, None),
            ("pip install", Some("pip"), Some("pip")),
        ];
        for (t, name, base) in cases {
            let c = cmds(t).into_iter().next().unwrap();
            assert_eq!(c.name.as_str(), name, "{t}");
            assert_eq!(c.basename(), base, "{t}");
        }
        let t = "\"$VENV\"/bin/pip install x";
        let c = one(t);
        assert_eq!(src(t, &c.name), "\"$VENV\"/bin/pip");
        assert_eq!(args(&c), ["install", "x"]);
    }

    #[test]
    fn python_m_pip() {
        let c = one("python3 -m pip install -r r.txt");
        assert_eq!(c.name.as_str(), Some("python3"));
        assert_eq!(args(&c), ["-m", "pip", "install", "-r", "r.txt"]);
    }

    #[test]
    fn sh_c_single_quoted() {
        let t = "sh -c 'apt-get update && apt-get install -y x'";
        let cs = cmds(t);
        assert_eq!(names(&cs), ["sh", "apt-get", "apt-get"]);
        assert_eq!(cs[0].nesting, Nesting::TopLevel);
        assert_eq!(
            args(&cs[0]),
            ["-c", "apt-get update && apt-get install -y x"]
        );
        assert_eq!(cs[2].nesting, Nesting::ShellString);
        assert_eq!(&t[cs[2].range.clone()], "apt-get install -y x");
        assert_eq!(&t[cs[2].args[0].range.clone()], "install");
        assert_eq!(cs[2].args[0].range, 33..40);
    }

    #[test]
    fn sh_c_double_quoted_and_clusters() {
        for t in [
            "bash -c \"pip install x\"",
            "sh -ec \"pip install x\"",
            "bash -xc 'pip install x'",
            "bash -o pipefail -c 'pip install x'",
            "bash --norc -euxo pipefail -c 'pip install x' name",
            "/bin/sh -c 'pip install x'",
            "sudo -u app bash -c 'pip install x'",
            "busybox sh -c 'pip install x'",
        ] {
            let cs = cmds(t);
            let pip = cs
                .iter()
                .find(|c| c.name.as_str() == Some("pip"))
                .unwrap_or_else(|| panic!("{t}"));
            assert_eq!(pip.nesting, Nesting::ShellString, "{t}");
            assert_eq!(&t[pip.range.clone()], "pip install x", "{t}");
            assert_eq!(args(pip), ["install", "x"]);
        }
        // A script file, not `-c`.
        assert_eq!(names(&cmds("sh ./install.sh 'pip install x'")), ["sh"]);
        // Nested re-parse keeps offsets.
        let t = "sh -c 'bash -c \"pip install x\"'";
        let cs = cmds(t);
        assert_eq!(names(&cs), ["sh", "bash", "pip"]);
        assert_eq!(&t[cs[2].range.clone()], "pip install x");
        assert_eq!(cs[2].nesting, Nesting::ShellString);
    }

    #[test]
    fn sh_c_not_reparseable() {
        for t in [
            "sh -c \"pip install $PKG\"",
            "sh -c \"pip install \\\"x\\\"\"",
            "sh -c \"pip install `cat f`\"",
        ] {
            let cs = cmds(t);
            let pip = cs
                .iter()
                .find(|c| c.basename() == Some("pip"))
                .unwrap_or_else(|| panic!("{t}"));
            assert_eq!(pip.nesting, Nesting::Substitution, "{t}");
            assert!(t[pip.range.clone()].starts_with("pip install"));
        }
        // Concatenated strings are not parsed at all.
        assert_eq!(names(&cmds("sh -c 'pip install '\"$P\"")), ["sh"]);
    }

    #[test]
    fn substitutions() {
        let t = "echo $(apt-get install x) `pip install y` && a=\"$(id -u)\" && diff <(ls a) b";
        let cs = cmds(t);
        assert_eq!(names(&cs), ["echo", "apt-get", "pip", "id", "diff", "ls"]);
        let n: Vec<Nesting> = cs.iter().map(|c| c.nesting).collect();
        use Nesting::*;
        assert_eq!(
            n,
            [
                TopLevel,
                Substitution,
                Substitution,
                Substitution,
                TopLevel,
                Substitution
            ]
        );
        assert_eq!(&t[cs[1].range.clone()], "apt-get install x");
        assert_eq!(&t[cs[2].range.clone()], "pip install y");
        assert_eq!(args(&cs[0]), ["<dyn>", "<dyn>"]);
        // Substitution inside a re-parsed string is still a substitution.
        let cs = cmds("sh -c 'echo $(pip install x)'");
        assert_eq!(cs[2].nesting, Nesting::Substitution);
        // Command name from a substitution.
        let cs = cmds("$(command -v pip) install x");
        assert_eq!(names(&cs), ["<dyn>", "command"]);
        assert_eq!(cs[0].basename(), None);
        assert_eq!(cs[1].nesting, Nesting::Substitution);
    }

    #[test]
    fn eval_and_su() {
        let t = "eval \"apt-get install x\"; eval apt-get update; su -c 'pip install y' app; su app -c \"npm i\"";
        let cs = cmds(t);
        assert_eq!(
            names(&cs),
            ["eval", "apt-get", "eval", "apt-get", "su", "pip", "su", "npm"]
        );
        for i in [1, 3, 5, 7] {
            assert_eq!(cs[i].nesting, Nesting::Substitution);
        }
        assert_eq!(&t[cs[1].range.clone()], "apt-get install x");
        assert_eq!(&t[cs[3].range.clone()], "apt-get update");
        assert_eq!(&t[cs[5].range.clone()], "pip install y");
    }

    #[test]
    fn redirections_are_not_args() {
        let t =
            "apt-get install -y x > /dev/null 2>&1 && cat <<EOF > /etc/f\napt-get install z\nEOF\n";
        let cs = cmds(t);
        assert_eq!(names(&cs), ["apt-get", "cat"]);
        assert_eq!(args(&cs[0]), ["install", "-y", "x"]);
        assert_eq!(
            &t[cs[0].range.clone()],
            "apt-get install -y x > /dev/null 2>&1"
        );
        // tree-sitter attaches a heredoc after `&&` to the whole chain; it is still `cat`'s.
        assert_eq!(
            &t[cs[1].range.clone()],
            "cat <<EOF > /etc/f\napt-get install z\nEOF"
        );
        assert!(args(&cs[1]).is_empty());
        let t = "cat <<EOF > /etc/f\napt-get install z\nEOF\necho";
        let cs = cmds(t);
        assert_eq!(names(&cs), ["cat", "echo"]);
        assert_eq!(
            &t[cs[0].range.clone()],
            "cat <<EOF > /etc/f\napt-get install z\nEOF"
        );
        let cs = cmds("> /tmp/log 2>&1 make all; tr a b <<< \"$(id)\"; cat < in");
        assert_eq!(names(&cs), ["make", "tr", "id", "cat"]);
        assert_eq!(args(&cs[0]), ["all"]);
        assert_eq!(args(&cs[1]), ["a", "b"]);
        assert_eq!(cs[2].nesting, Nesting::Substitution);
        assert!(args(&cs[3]).is_empty());
        let t = "cat <<EOF | sh\napt-get install z\nEOF";
        let cs = cmds(t);
        assert_eq!(names(&cs), ["cat", "sh"]);
        assert!(cs[0].in_pipeline && cs[1].in_pipeline);
        assert_eq!(&t[cs[0].range.clone()], "cat");
        let t = "{ a; b; } > f && c 2>/dev/null; sh -c 'd > f' ";
        let cs = cmds(t);
        assert_eq!(names(&cs), ["a", "b", "c", "sh", "d"]);
        assert_eq!(&t[cs[1].range.clone()], "b");
        assert_eq!(&t[cs[2].range.clone()], "c 2>/dev/null");
        assert_eq!(&t[cs[4].range.clone()], "d > f");
        let t = "apt-get update && apt-get install -y x > /dev/null; (a && b) > f; c | d 2>&1";
        let cs = cmds(t);
        assert_eq!(&t[cs[1].range.clone()], "apt-get install -y x > /dev/null");
        assert_eq!(args(&cs[1]), ["install", "-y", "x"]);
        assert_eq!(&t[cs[3].range.clone()], "b");
        assert_eq!(&t[cs[5].range.clone()], "d 2>&1");
    }

    #[test]
    fn comments() {
        let t = "apt-get update # refresh && rm -rf x\n# a line\necho '# not a comment' # c";
        let cs = cmds(t);
        assert_eq!(names(&cs), ["apt-get", "echo"]);
        assert_eq!(args(&cs[0]), ["update"]);
        assert_eq!(args(&cs[1]), ["# not a comment"]);
        assert!(cmds("# only a comment").is_empty());
    }

    #[test]
    fn declarations_and_exports() {
        let t = "set -e; export A=1 B C=\"$x\" D='q'; export -n E; apt-get update && export F=2; (export G=3); local -r H=4; unset I";
        let s = Script::parse(t);
        let ex = s.exports();
        let got: Vec<(&str, Option<&str>, usize)> = ex
            .iter()
            .map(|e| (e.name.as_str(), e.value.as_deref(), e.end))
            .collect();
        let first_end = t.find("; export -n").unwrap();
        let f_end = t.find("; (export").unwrap();
        assert_eq!(
            got,
            [
                ("A", Some("1"), first_end),
                ("B", None, first_end),
                ("C", None, first_end),
                ("D", Some("q"), first_end),
                ("F", Some("2"), f_end),
            ]
        );
        let cs = s.commands();
        assert_eq!(
            names(cs),
            ["set", "export", "export", "apt-get", "export", "export", "local", "unset"]
        );
        assert_eq!(args(&cs[1]), ["A=1", "B", "<dyn>", "D=q"]);
        assert_eq!(cs[5].nesting, Nesting::Compound);
        assert_eq!(args(&cs[7]), ["I"]);
    }

    #[test]
    fn depth_counts_nesting_levels() {
        let flat = Script::parse("a && b && c");
        let nested = Script::parse(&format!("{}x{}", "echo $(".repeat(50), ")".repeat(50)));
        assert!(flat.depth() < 10, "{}", flat.depth());
        assert!(nested.depth() > 100, "{}", nested.depth());
        assert!(nested.deeper_than(100) && !nested.deeper_than(1000));
        // No byte that nests or chains: a flat command is never walked for its depth.
        let plain = Script::parse("apt-get install -y curl");
        assert!(plain.depth() > 1 && !plain.deeper_than(1));
    }

    #[test]
    fn errors_still_yield_commands() {
        let s = Script::parse("apt-get update && if then fi )) ; pip install x");
        assert!(s.has_error());
        let cs = s.commands();
        assert!(cs.iter().any(|c| c.name.as_str() == Some("apt-get")));
        assert!(!Script::parse("apt-get update").has_error());
        assert!(Script::parse("echo 'unterminated").has_error());
        let _ =
            Script::parse("Invoke-WebRequest $('https://x/{0}' -f $env:V) -OutFile 'n.zip' ; `")
                .commands();
    }

    #[test]
    fn unicode_offsets() {
        let t = "echo 'héllo ✓' && apt-get install ünï";
        let cs = cmds(t);
        assert_eq!(args(&cs[0]), ["héllo ✓"]);
        assert_eq!(&t[cs[1].args[1].range.clone()], "ünï");
    }

    #[test]
    fn text_roundtrip() {
        let s = Script::parse("a b");
        assert_eq!(s.text(), "a b");
    }

    #[test]
    fn tail_finds_the_last_statement_terminator_and_command() {
        let script = Script::parse("set -e; a && b > /dev/null; c ; # done");
        let tail = script.tail().unwrap();
        assert_eq!(&script.text()[..tail.end], "set -e; a && b > /dev/null; c");
        assert_eq!(tail.terminator, Some(';'));
        assert_eq!(tail.last_command.as_deref(), Some("c"));
        let background = Script::parse("a && exec b &").tail().unwrap();
        assert_eq!(background.terminator, Some('&'));
        assert_eq!(background.last_command.as_deref(), Some("exec"));
        assert!(Script::parse("# only a comment").tail().is_none());
    }

    #[test]
    fn errexit_is_tracked_at_top_level() {
        let script = Script::parse("set -eux; a; set +e; b; set -o errexit; c");
        let at = |needle: &str| script.text().find(needle).unwrap();
        assert!(script.errexit_before(at("a;")));
        assert!(!script.errexit_before(at("b;")));
        assert!(script.errexit_before(at("c")));
        assert!(!Script::parse("set -o pipefail; a").errexit_before(17));
        assert!(!Script::parse("if x; then set -e; fi; a").errexit_before(23));
    }

    #[test]
    fn shapes() {
        let shape = |text: &str| Script::parse(text).shape();
        assert_eq!(
            shape("a && b"),
            Shape {
                statements: 1,
                ..Shape::default()
            }
        );
        assert_eq!(shape("a; b").statements, 2);
        assert_eq!(shape("a;").statements, 1);
        assert_eq!(shape("a & b").statements, 2);
        assert!(shape("a & b").background);
        assert!(!shape("a 2>&1 &>/dev/null").background);
        assert!(shape("a || b && c").or_list);
        assert!(shape("a || b > f").or_list);
        assert!(!shape("{ a || b; } && c").or_list);
        assert!(!shape("x=$(a || b)").or_list);
        assert!(shape("a # c").comment);
        assert!(!shape("echo '#' a#b").comment);
        for state in [
            "A=1",
            "A=1 B=2",
            "a && A=1",
            "f() { :; }",
            "for f in *; do :; done",
        ] {
            assert!(shape(state).sets_state, "{state}");
        }
        for no_state in ["A=1 a", "export A=1", "env A=1 a", "local A"] {
            assert!(!shape(no_state).sets_state, "{no_state}");
        }
    }
}
