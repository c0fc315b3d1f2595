//! Splits a Dockerfile into logical instructions exactly as BuildKit's parser
//! (`frontend/dockerfile/parser`) does. This is dockfix's ground truth for
//! instruction boundaries; the tree-sitter grammar is not trusted for that.
//!
//! BuildKit reads the file line by line (a line ends after `\n`; trailing `\r`s
//! are not content). Parser directives are honoured only until the first line
//! that is not one. Blank and comment lines between instructions are skipped.
//! A line whose (trimmed) end is the escape character, not itself escaped,
//! continues on the next line; comment-only and blank lines inside such a
//! continuation are dropped, even when they are followed by a new keyword.
//! After RUN/COPY/ADD (also below ONBUILD) in shell form, words of the logical
//! line that look like `<<EOF` start heredocs whose bodies follow, in order.
//!
//! Every offset is a byte offset into the original text (BOM included).

use std::ops::Range;

/// Parser directives from the top of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directives {
    /// Escape/continuation character: b'\\' by default, or b'`' from `# escape=\``.
    pub escape: u8,
    /// Value of `# syntax=` if present.
    pub syntax: Option<String>,
}

/// A run of bytes copied verbatim from the file into a logical line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub logical: usize,
    pub file: usize,
    pub len: usize,
}

/// Maps offsets in a logical line back to file offsets.
#[derive(Debug, Clone, Default)]
pub struct LineMap {
    segments: Vec<Segment>,
}

impl LineMap {
    /// File offset of the byte at logical offset `pos` (pos == logical length maps to the end of the last segment).
    pub fn to_file(&self, pos: usize) -> usize {
        // Segments are contiguous in logical space and sorted: find the first one ending after `pos`.
        let i = self.segments.partition_point(|s| s.logical + s.len <= pos);
        match self.segments.get(i) {
            Some(s) if s.logical <= pos => s.file + (pos - s.logical),
            Some(s) => s.file,
            None => self.segments.last().map_or(0, |s| s.file + s.len),
        }
    }

    /// File offset just after the byte at `end - 1`: use for the exclusive end of a range, so that a range ending at the
    /// end of a physical line maps to that line (before ` \` + newline), not to the start of the next one. end == 0 → first segment's file start.
    pub fn to_file_end(&self, end: usize) -> usize {
        if end == 0 {
            return self.segments.first().map_or(0, |s| s.file);
        }
        let total = self.segments.last().map_or(0, |s| s.logical + s.len);
        if end >= total {
            return self.segments.last().map_or(0, |s| s.file + s.len);
        }
        self.to_file(end - 1) + 1
    }

    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    /// Delimiter without quotes.
    pub delimiter: String,
    /// `<<-`: leading tabs are stripped (also from the terminator line before comparing).
    pub strip_tabs: bool,
    /// `<<"EOF"` / `<<'EOF'` (no expansion in body).
    pub quoted: bool,
    /// File range of the `<<-"EOF"` word (including a file-descriptor prefix such as `2<<EOF`).
    pub marker: Range<usize>,
    /// File range of the content lines: start of first content line .. just after the line terminator of the last
    /// content line (empty range at the terminator line's start if there are none).
    pub body: Range<usize>,
    /// The terminator line, without its line ending (empty at EOF if unterminated).
    pub terminator: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct LogicalInstruction {
    /// First byte of the keyword .. end of the last physical line that belongs to the instruction, EXCLUDING that
    /// line's terminator (`\n` or `\r\n`). Includes continuation lines, comment/blank lines dropped inside the
    /// continuation, and heredoc bodies + terminator lines. (In the rare case where a line holding only the escape
    /// char starts the instruction, BuildKit counts that line as its start, and so does `range`.)
    pub range: Range<usize>,
    /// File range of the keyword as written (`run`, `RUN`, `Run`).
    pub keyword: Range<usize>,
    /// The logical line as BuildKit sees it: from the keyword to the end of the (continued) first logical line,
    /// continuations joined (escape char + trailing blanks + line terminator removed, nothing inserted), comment-only
    /// and blank lines inside the continuation dropped. Heredoc bodies are NOT part of it.
    pub text: String,
    /// Maps offsets in `text` to file offsets.
    pub map: LineMap,
    pub heredocs: Vec<Heredoc>,
    /// 1-based first and last physical line numbers, as BuildKit reports them (`StartLine`/`EndLine`).
    pub start_line: usize,
    pub end_line: usize,
}

impl LogicalInstruction {
    /// Keyword in upper case (`RUN`).
    pub fn keyword_upper(&self, src: &str) -> String {
        let len = keyword_len(&self.text);
        match src.get(self.keyword.clone()) {
            // The keyword is normally contiguous in the file; it is only split when a continuation cuts it (`RU\`⏎`N`).
            Some(kw) if kw.len() == len => kw.to_ascii_uppercase(),
            _ => self.text[..len].to_ascii_uppercase(),
        }
    }
}

/// Split `src` into its parser directives and logical instructions.
pub fn split(src: &str) -> (Directives, Vec<LogicalInstruction>) {
    let b = src.as_bytes();
    let bom = if b.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    let mut lines = Lines { b, pos: 0, no: 0 };
    let mut dir = DirectiveState::default();
    let mut out = Vec::new();
    // Reused between instructions: (file start, file end) of each piece of the logical line.
    let mut parts: Vec<(usize, usize)> = Vec::new();

    while let Some(first) = lines.next_line() {
        let cs = if first.start == 0 { bom } else { first.start };
        let ts = skip_space(src, cs, first.end);
        dir.check(&src[ts..first.end]);
        // Comment (BuildKit strips it to "") or blank: skipped between instructions.
        if ts == first.end || b[ts] == b'#' {
            continue;
        }
        let start_line = lines.no;
        let esc = dir.escape;
        parts.clear();
        let (pend, mut cont) = continuation(b, ts, first.end, esc);
        parts.push((ts, pend));
        let mut last_end = first.end;
        while cont {
            let Some(l) = lines.next_line() else { break };
            last_end = l.end;
            let t = skip_space(src, l.start, l.end);
            // Comment-only and blank lines inside a continuation are dropped, continuation state unchanged.
            if t == l.end || b[t] == b'#' {
                continue;
            }
            let (pend, c) = continuation(b, l.start, l.end, esc);
            parts.push((l.start, pend));
            cont = c;
        }

        let (text, map) = build_text(src, &parts, ts);
        let kw_len = keyword_len(&text);
        let keyword = map.to_file(0)..map.to_file_end(kw_len);

        let mut heredocs = Vec::new();
        if text.contains("<<") && can_contain_heredoc(&text) {
            for (word, ws, we) in heredoc_candidates(&text) {
                let Some((name, chomp, quoted)) = parse_heredoc_word(&word) else {
                    continue;
                };
                let body_start = lines.pos;
                let mut body = body_start..b.len();
                let mut terminator = b.len()..b.len();
                while let Some(l) = lines.next_line() {
                    last_end = l.end;
                    let mut t = l.start;
                    if chomp {
                        while t < l.end && b[t] == b'\t' {
                            t += 1;
                        }
                    }
                    if &b[t..l.end] == name.as_bytes() {
                        body = body_start..l.start;
                        terminator = l.start..l.end;
                        break;
                    }
                }
                heredocs.push(Heredoc {
                    delimiter: name,
                    strip_tabs: chomp,
                    quoted,
                    marker: map.to_file(ws)..map.to_file_end(we),
                    body,
                    terminator,
                });
            }
        }

        out.push(LogicalInstruction {
            range: ts..last_end.max(ts),
            keyword,
            text,
            map,
            heredocs,
            start_line,
            end_line: lines.no,
        });
    }

    let directives = Directives {
        escape: dir.escape,
        syntax: dir.syntax,
    };
    (directives, out)
}

/// One physical line: `start`, `end` = end of content (before `\r*\n`).
struct Line {
    start: usize,
    end: usize,
}

/// Physical-line scanner with BuildKit's splitting: a line ends after `\n`; `TrimRight("\r\n")` gives its content.
struct Lines<'a> {
    b: &'a [u8],
    /// Start of the next line.
    pos: usize,
    /// 1-based number of the line returned last.
    no: usize,
}

impl Lines<'_> {
    fn next_line(&mut self) -> Option<Line> {
        let b = self.b;
        if self.pos >= b.len() {
            return None;
        }
        let start = self.pos;
        let nl = b[start..]
            .iter()
            .position(|&c| c == b'\n')
            .map(|i| start + i);
        let mut end = nl.unwrap_or(b.len());
        self.pos = nl.map_or(b.len(), |i| i + 1);
        while end > start && b[end - 1] == b'\r' {
            end -= 1;
        }
        self.no += 1;
        Some(Line { start, end })
    }
}

/// Directive scanning state (`# escape=`, `# syntax=`, `# check=`), active until the first non-directive line.
struct DirectiveState {
    done: bool,
    escape: u8,
    syntax: Option<String>,
    seen_escape: bool,
}

impl Default for DirectiveState {
    fn default() -> Self {
        DirectiveState {
            done: false,
            escape: b'\\',
            syntax: None,
            seen_escape: false,
        }
    }
}

impl DirectiveState {
    /// `line` is the left-trimmed line without its terminator. Mirrors `DirectiveParser.ParseLine`:
    /// `#`, blanks, `key\s*=\s*(.+?)\s*$`; an unknown key, a comment or anything else ends the scan.
    fn check(&mut self, line: &str) {
        if self.done {
            return;
        }
        let Some((key, value)) = parse_directive(line) else {
            self.done = true;
            return;
        };
        // BuildKit rejects repeated directives and invalid escape values (the build fails); keep the first valid value.
        if key.eq_ignore_ascii_case("escape") {
            if !self.seen_escape && (value == "`" || value == "\\") {
                self.escape = value.as_bytes()[0];
            }
            self.seen_escape = true;
        } else if key.eq_ignore_ascii_case("syntax") {
            if self.syntax.is_none() {
                self.syntax = Some(value.to_string());
            }
        } else if !key.eq_ignore_ascii_case("check") {
            // Unknown key: not a directive. (`check` is valid and keeps the scan going; only the linter reads it.)
            self.done = true;
        }
    }
}

/// Go's RE2 `\s`: `[\t\n\f\r ]`.
fn is_re_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn parse_directive(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix('#')?.trim_start();
    let b = rest.as_bytes();
    if !b.first()?.is_ascii_alphabetic() {
        return None;
    }
    let klen = b
        .iter()
        .position(|c| !c.is_ascii_alphanumeric())
        .unwrap_or(b.len());
    let mut i = klen;
    while i < b.len() && is_re_space(b[i]) {
        i += 1;
    }
    if b.get(i) != Some(&b'=') {
        return None;
    }
    let after = &rest[i + 1..];
    if after.is_empty() {
        return None;
    }
    let trimmed = after.trim_matches(|c: char| c.is_ascii() && is_re_space(c as u8));
    // `(.+?)` needs one character: with an all-blank value the regex captures the last blank.
    let value = if trimmed.is_empty() {
        &after[after.len() - 1..]
    } else {
        trimmed
    };
    Some((&rest[..klen], value))
}

/// First byte at or after `from` (before `to`) that is not Unicode white space (Go's `unicode.IsSpace`).
fn skip_space(src: &str, from: usize, to: usize) -> usize {
    let s = &src[from..to];
    to - s.trim_start().len()
}

/// BuildKit's `([^E])E[ \t]*$|^E[ \t]*$` on the line `b[start..end]`: returns the end of the kept part and whether the
/// line continues. An escape char preceded by another escape char does not continue the line.
fn continuation(b: &[u8], start: usize, end: usize, esc: u8) -> (usize, bool) {
    let mut e = end;
    while e > start && matches!(b[e - 1], b' ' | b'\t') {
        e -= 1;
    }
    if e > start && b[e - 1] == esc {
        let p = e - 1;
        if p == start || b[p - 1] != esc {
            return (p, true);
        }
    }
    (end, false)
}

/// Joins the pieces into the logical text and its map. `anchor` is used for an empty line (a lone escape char at EOF).
fn build_text(src: &str, parts: &[(usize, usize)], anchor: usize) -> (String, LineMap) {
    let total: usize = parts.iter().map(|&(a, e)| e - a).sum();
    let mut text = String::with_capacity(total);
    let mut segments = Vec::with_capacity(parts.len());
    // Normally the first piece starts at the keyword; only after a line holding just the escape char can the text
    // start with blanks, which BuildKit's TrimSpace ignores — drop them so `text` starts at the keyword.
    let mut leading = true;
    for &(a, e) in parts {
        let mut a = a;
        if leading {
            a = skip_space(src, a, e);
        }
        if a == e {
            continue;
        }
        leading = false;
        segments.push(Segment {
            logical: text.len(),
            file: a,
            len: e - a,
        });
        text.push_str(&src[a..e]);
    }
    if segments.is_empty() {
        segments.push(Segment {
            logical: 0,
            file: anchor,
            len: 0,
        });
    }
    (text, LineMap { segments })
}

/// BuildKit's `[\t\v\f\r ]` (the separator between command and arguments).
fn is_cmd_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\x0b' | b'\x0c' | b'\r' | b' ')
}

fn keyword_len(text: &str) -> usize {
    text.bytes().position(is_cmd_space).unwrap_or(text.len())
}

/// `splitCommand`: command word and the rest after the separating blanks.
fn split_command(line: &str) -> (&str, &str) {
    let t = line.trim();
    match t.bytes().position(is_cmd_space) {
        Some(i) => {
            let rest = &t[i..];
            let skip = rest
                .bytes()
                .position(|c| !is_cmd_space(c))
                .unwrap_or(rest.len());
            (&t[..i], &rest[skip..])
        }
        None => (t, ""),
    }
}

/// Go's `unicode.IsSpace` applied to a single byte, as `extractBuilderFlags` does.
fn is_byte_space(c: u8) -> bool {
    matches!(
        c,
        b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' | b' ' | 0x85 | 0xA0
    )
}

/// `extractBuilderFlags`: skips leading `--flag` words (quotes and backslashes allowed) and returns the arguments.
fn strip_flags(line: &str) -> &[u8] {
    let b = line.as_bytes();
    let mut pos = 0;
    loop {
        while pos < b.len() && is_byte_space(b[pos]) {
            pos += 1;
        }
        if pos >= b.len() {
            return b"";
        }
        if !(b[pos] == b'-' && b.get(pos + 1) == Some(&b'-')) {
            return &b[pos..];
        }
        // Scan one flag word; a bare `--` ends the flags.
        let start = pos;
        let mut quote = 0u8;
        while pos < b.len() {
            let c = b[pos];
            if quote != 0 {
                if c == quote {
                    quote = 0;
                } else if c == b'\\' {
                    pos += 1;
                }
            } else if is_byte_space(c) {
                break;
            } else if c == b'\'' || c == b'"' {
                quote = c;
            } else if c == b'\\' {
                pos += 1;
            }
            pos += 1;
        }
        let pos_end = pos.min(b.len());
        if &b[start..pos_end] == b"--" {
            return &b[pos_end..];
        }
        pos = pos_end;
    }
}

/// `canContainHeredoc`: RUN, COPY, ADD (directly or under ONBUILD), not in JSON (exec) form.
fn can_contain_heredoc(text: &str) -> bool {
    let (cmd, rest) = split_command(text);
    let args = trim_bytes(strip_flags(rest));
    if cmd.eq_ignore_ascii_case("onbuild") {
        let Ok(sub) = std::str::from_utf8(args) else {
            return false;
        };
        if sub.is_empty() {
            return false;
        }
        let (cmd2, rest2) = split_command(sub);
        return heredoc_command(cmd2, trim_bytes(strip_flags(rest2)));
    }
    heredoc_command(cmd, args)
}

fn heredoc_command(cmd: &str, args: &[u8]) -> bool {
    let allowed = ["run", "copy", "add"]
        .iter()
        .any(|k| cmd.eq_ignore_ascii_case(k));
    allowed && !(args.first() == Some(&b'[') && is_json_array(args))
}

/// `strings.TrimSpace` on bytes that may start inside a UTF-8 sequence (then nothing is trimmed at the front).
fn trim_bytes(b: &[u8]) -> &[u8] {
    match std::str::from_utf8(b) {
        Ok(s) => s.trim().as_bytes(),
        Err(_) => b,
    }
}

/// Whether `s` is one complete JSON array (`json.Unmarshal` into `[]any` succeeds or fails only on element types).
fn is_json_array(s: &[u8]) -> bool {
    let mut p = Json { b: s, i: 0 };
    p.ws();
    if !(p.peek() == Some(b'[') && p.value(0)) {
        return false;
    }
    p.ws();
    p.i == s.len()
}

/// Minimal JSON syntax checker (no values built).
struct Json<'a> {
    b: &'a [u8],
    i: usize,
}

impl Json<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }
    fn lit(&mut self, w: &[u8]) -> bool {
        if self.b[self.i..].starts_with(w) {
            self.i += w.len();
            true
        } else {
            false
        }
    }
    fn digits(&mut self) -> bool {
        let s = self.i;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.i += 1;
        }
        self.i > s
    }
    fn value(&mut self, depth: usize) -> bool {
        if depth > 10_000 {
            return false;
        }
        self.ws();
        match self.peek() {
            Some(b'[') => {
                self.i += 1;
                self.ws();
                if self.peek() == Some(b']') {
                    self.i += 1;
                    return true;
                }
                loop {
                    if !self.value(depth + 1) {
                        return false;
                    }
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return true;
                        }
                        _ => return false,
                    }
                }
            }
            Some(b'{') => {
                self.i += 1;
                self.ws();
                if self.peek() == Some(b'}') {
                    self.i += 1;
                    return true;
                }
                loop {
                    self.ws();
                    if !self.string() {
                        return false;
                    }
                    self.ws();
                    if self.peek() != Some(b':') {
                        return false;
                    }
                    self.i += 1;
                    if !self.value(depth + 1) {
                        return false;
                    }
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return true;
                        }
                        _ => return false,
                    }
                }
            }
            Some(b'"') => self.string(),
            Some(b't') => self.lit(b"true"),
            Some(b'f') => self.lit(b"false"),
            Some(b'n') => self.lit(b"null"),
            Some(b'-' | b'0'..=b'9') => {
                if self.peek() == Some(b'-') {
                    self.i += 1;
                }
                match self.peek() {
                    Some(b'0') => self.i += 1,
                    Some(b'1'..=b'9') => {
                        self.digits();
                    }
                    _ => return false,
                }
                if self.peek() == Some(b'.') {
                    self.i += 1;
                    if !self.digits() {
                        return false;
                    }
                }
                if matches!(self.peek(), Some(b'e' | b'E')) {
                    self.i += 1;
                    if matches!(self.peek(), Some(b'+' | b'-')) {
                        self.i += 1;
                    }
                    if !self.digits() {
                        return false;
                    }
                }
                true
            }
            _ => false,
        }
    }
    fn string(&mut self) -> bool {
        if self.peek() != Some(b'"') {
            return false;
        }
        self.i += 1;
        while let Some(c) = self.peek() {
            self.i += 1;
            match c {
                b'"' => return true,
                b'\\' => match self.peek() {
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.i += 1,
                    Some(b'u') => {
                        self.i += 1;
                        for _ in 0..4 {
                            if !matches!(self.peek(), Some(h) if h.is_ascii_hexdigit()) {
                                return false;
                            }
                            self.i += 1;
                        }
                    }
                    _ => return false,
                },
                0..=0x1f => return false,
                _ => {}
            }
        }
        false
    }
}

/// Words of the logical line as `heredocsFromLine` sees them (BuildKit's shell lexer with backslash escape, raw quotes,
/// raw escapes, unset variables kept), with their logical byte ranges. A lexing error yields no words at all.
fn heredoc_candidates(text: &str) -> Vec<(String, usize, usize)> {
    let mut lx = ShellLex {
        s: text,
        pos: 0,
        raw_quotes: true,
        raw_escapes: true,
    };
    match lx.process_stop_on(None, true) {
        Ok((_, words)) => words.finish(),
        Err(()) => Vec::new(),
    }
}

/// `ParseHeredoc`: `^(\d*)<<(-?)([^<]*)$`, and the rest must lex to exactly one word. Returns (name, chomp, quoted).
fn parse_heredoc_word(word: &str) -> Option<(String, bool, bool)> {
    let rest = word
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .strip_prefix("<<")?;
    let (chomp, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    if rest.is_empty() || rest.contains('<') {
        return None;
    }
    let lex = |raw_quotes| {
        let mut lx = ShellLex {
            s: rest,
            pos: 0,
            raw_quotes,
            raw_escapes: false,
        };
        lx.process_stop_on(None, false).map(|(_, w)| w.finish())
    };
    let words = lex(false).ok()?;
    if words.len() != 1 {
        return None;
    }
    let raw = lex(true).ok()?;
    if raw.len() != 1 {
        return None;
    }
    let quotes = |s: &str| s.bytes().filter(|&c| c == b'\'' || c == b'"').count();
    let quoted = quotes(&words[0].0) != quotes(&raw[0].0);
    let name = words.into_iter().next()?.0;
    Some((name, chomp, quoted))
}

/// Word accumulator of BuildKit's shell lexer (`wordsStruct`), plus the logical range of each word.
#[derive(Default)]
struct Words {
    list: Vec<(String, usize, usize)>,
    word: String,
    in_word: bool,
    start: usize,
    end: usize,
}

impl Words {
    fn add_char(&mut self, ch: char, a: usize, e: usize) {
        if ch.is_whitespace() {
            if self.in_word && !self.word.is_empty() {
                let w = std::mem::take(&mut self.word);
                self.list.push((w, self.start, self.end));
                self.in_word = false;
            }
        } else {
            self.add_raw(ch.encode_utf8(&mut [0; 4]), a, e);
        }
    }
    fn add_raw(&mut self, s: &str, a: usize, e: usize) {
        if !s.is_empty() {
            if self.word.is_empty() {
                self.start = a;
            }
            self.word.push_str(s);
            self.end = e;
        }
        self.in_word = true;
    }
    fn finish(mut self) -> Vec<(String, usize, usize)> {
        if !self.word.is_empty() {
            let w = std::mem::take(&mut self.word);
            self.list.push((w, self.start, self.end));
        }
        self.list
    }
}

/// BuildKit's `shell.Lex` restricted to what heredoc detection needs: escape `\`, empty environment, unset variables
/// left as written.
struct ShellLex<'a> {
    s: &'a str,
    pos: usize,
    raw_quotes: bool,
    raw_escapes: bool,
}

/// Special parameters (`$@`, `$*`, …) that form a one-character name.
fn is_special_param(c: char) -> bool {
    matches!(c, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0')
}

/// Go's `unicode.IsDigit` (decimal digits, any script) — close enough with `is_numeric` outside ASCII.
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
}

impl ShellLex<'_> {
    fn peek(&self) -> Option<char> {
        self.s[self.pos..].chars().next()
    }
    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    /// `processStopOn`: processes up to `stop` (consumed) or the end; a missing `stop` is an error.
    fn process_stop_on(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
    ) -> Result<(String, Words), ()> {
        let saved = std::mem::replace(&mut self.raw_escapes, raw_escapes);
        let r = self.stop_on_inner(stop);
        self.raw_escapes = saved;
        r
    }

    fn stop_on_inner(&mut self, stop: Option<char>) -> Result<(String, Words), ()> {
        let mut result = String::new();
        let mut words = Words::default();
        while let Some(ch) = self.peek() {
            let a = self.pos;
            if stop == Some(ch) {
                self.next();
                return Ok((result, words));
            }
            match ch {
                '$' => {
                    let t = self.process_dollar()?;
                    result.push_str(&t);
                    for c in t.chars() {
                        words.add_char(c, a, self.pos);
                    }
                }
                '\'' => {
                    let t = self.single_quote()?;
                    result.push_str(&t);
                    words.add_raw(&t, a, self.pos);
                }
                '"' => {
                    let t = self.double_quote()?;
                    result.push_str(&t);
                    words.add_raw(&t, a, self.pos);
                }
                _ => {
                    self.next();
                    let mut c = ch;
                    if c == '\\' {
                        if self.raw_escapes {
                            words.add_raw("\\", a, self.pos);
                            result.push('\\');
                        }
                        let Some(n) = self.next() else { break };
                        c = n;
                        words.add_raw(c.encode_utf8(&mut [0; 4]), a, self.pos);
                    } else {
                        words.add_char(c, a, self.pos);
                    }
                    result.push(c);
                }
            }
        }
        if stop.is_some() {
            return Err(());
        }
        Ok((result, words))
    }

    fn single_quote(&mut self) -> Result<String, ()> {
        self.next();
        let mut r = String::new();
        if self.raw_quotes {
            r.push('\'');
        }
        loop {
            match self.next() {
                None => return Err(()),
                Some('\'') => {
                    if self.raw_quotes {
                        r.push('\'');
                    }
                    return Ok(r);
                }
                Some(c) => r.push(c),
            }
        }
    }

    fn double_quote(&mut self) -> Result<String, ()> {
        self.next();
        let mut r = String::new();
        if self.raw_quotes {
            r.push('"');
        }
        loop {
            match self.peek() {
                None => return Err(()),
                Some('"') => {
                    self.next();
                    if self.raw_quotes {
                        r.push('"');
                    }
                    return Ok(r);
                }
                Some('$') => {
                    let v = self.process_dollar()?;
                    r.push_str(&v);
                }
                Some(mut c) => {
                    self.next();
                    if c == '\\' {
                        if self.raw_escapes {
                            r.push('\\');
                        }
                        match self.peek() {
                            None => continue,
                            Some(n @ ('"' | '$' | '\\')) => {
                                self.next();
                                c = n;
                            }
                            Some(_) => {}
                        }
                    }
                    r.push(c);
                }
            }
        }
    }

    /// `processDollar` with an empty environment and SkipUnsetEnv: returns the reference as written (modifier words
    /// processed), or an error for the malformed forms BuildKit rejects.
    fn process_dollar(&mut self) -> Result<String, ()> {
        self.next();
        if self.peek() != Some('{') {
            let name = self.process_name();
            return Ok(format!("${name}"));
        }
        self.next();
        match self.peek() {
            None | Some('{' | '}' | ':') => return Err(()),
            _ => {}
        }
        let name = self.process_name();
        match self.next() {
            Some('}') => Ok(format!("${{{name}}}")),
            Some(c @ (':' | '+' | '-' | '?' | '#' | '%')) => {
                let mut chs = String::from(c);
                let mut m = c;
                if c == ':' {
                    m = self.next().ok_or(())?;
                    chs.push(m);
                }
                let (word, _) = self.process_stop_on(Some('}'), m == '#' || m == '%')?;
                Ok(format!("${{{name}{chs}{word}}}"))
            }
            Some('/') => {
                if self.peek() == Some('/') {
                    self.next();
                }
                let (pattern, _) = self.process_stop_on(Some('/'), true)?;
                let (repl, _) = self.process_stop_on(Some('}'), true)?;
                Ok(format!("${{{name}/{pattern}/{repl}}}"))
            }
            _ => Err(()),
        }
    }

    fn process_name(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self.peek() {
            if name.is_empty() && is_digit(c) {
                while let Some(d) = self.peek().filter(|&d| is_digit(d)) {
                    self.next();
                    name.push(d);
                }
                return name;
            }
            if name.is_empty() && is_special_param(c) {
                self.next();
                return c.to_string();
            }
            if !(c.is_alphabetic() || is_digit(c) || c == '_') {
                break;
            }
            self.next();
            name.push(c);
        }
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(src: &str) -> LogicalInstruction {
        let (_, mut v) = split(src);
        assert_eq!(v.len(), 1, "{v:#?}");
        v.remove(0)
    }

    fn summary(src: &str) -> Vec<(String, usize, usize, String)> {
        split(src)
            .1
            .iter()
            .map(|i| {
                (
                    i.keyword_upper(src),
                    i.start_line,
                    i.end_line,
                    i.text.clone(),
                )
            })
            .collect()
    }

    fn s(k: &str, a: usize, b: usize, t: &str) -> (String, usize, usize, String) {
        (k.to_string(), a, b, t.to_string())
    }

    #[test]
    fn lf_basic() {
        let src = "FROM alpine\n\n# c\nRUN echo hi\n";
        let (d, v) = split(src);
        assert_eq!(d.escape, b'\\');
        assert_eq!(d.syntax, None);
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].range, 0..11);
        assert_eq!(v[0].keyword, 0..4);
        assert_eq!(v[0].text, "FROM alpine");
        assert_eq!((v[0].start_line, v[0].end_line), (1, 1));
        assert_eq!(v[1].range, 17..28);
        assert_eq!(v[1].keyword, 17..20);
        assert_eq!(&src[v[1].range.clone()], "RUN echo hi");
        assert_eq!((v[1].start_line, v[1].end_line), (4, 4));
    }

    #[test]
    fn crlf_and_continuation() {
        let src = "FROM a\r\nRUN x \\\r\n  y\r\n";
        let v = split(src).1;
        assert_eq!(v[0].range, 0..6);
        assert_eq!(v[1].text, "RUN x   y");
        assert_eq!(v[1].range, 8..20);
        assert_eq!(&src[v[1].range.clone()], "RUN x \\\r\n  y");
        assert_eq!((v[1].start_line, v[1].end_line), (2, 3));
        assert_eq!(
            v[1].map.segments(),
            &[
                Segment {
                    logical: 0,
                    file: 8,
                    len: 6
                },
                Segment {
                    logical: 6,
                    file: 17,
                    len: 3
                }
            ]
        );
    }

    #[test]
    fn mixed_line_endings_and_lone_cr() {
        let src = "FROM a\nRUN b\r\nRUN c\rd\nRUN e\r\r\n";
        let v = split(src).1;
        assert_eq!(v.len(), 4);
        assert_eq!(v[1].range, 7..12);
        // A lone \r inside a line is content.
        assert_eq!(v[2].text, "RUN c\rd");
        assert_eq!(v[2].range, 14..21);
        // Several \r before \n are all stripped (TrimRight "\r\n").
        assert_eq!(v[3].text, "RUN e");
        assert_eq!(v[3].range, 22..27);
    }

    #[test]
    fn bom_and_no_final_newline() {
        let src = "\u{feff}# escape=`\nFROM a\nRUN b `\n c";
        let (d, v) = split(src);
        assert_eq!(d.escape, b'`');
        assert_eq!(v[0].range, 14..20);
        assert_eq!(v[1].text, "RUN b  c");
        assert_eq!(v[1].range, 21..31);
        assert_eq!((v[1].start_line, v[1].end_line), (3, 4));
    }

    #[test]
    fn bom_then_instruction() {
        let src = "\u{feff}FROM a\n";
        let i = one(src);
        assert_eq!(i.range, 3..9);
        assert_eq!(i.keyword, 3..7);
        assert_eq!(i.keyword_upper(src), "FROM");
    }

    #[test]
    fn backtick_escape_windows_paths() {
        let src =
            "# escape=`\n\nFROM mcr\nRUN dir C:\\ `\n    && copy C:\\a\\ D:\\\nWORKDIR C:\\app\\\n";
        let (d, v) = split(src);
        assert_eq!(d.escape, b'`');
        assert_eq!(
            summary(src),
            vec![
                s("FROM", 3, 3, "FROM mcr"),
                s("RUN", 4, 5, "RUN dir C:\\     && copy C:\\a\\ D:\\"),
                s("WORKDIR", 6, 6, "WORKDIR C:\\app\\"),
            ]
        );
        assert_eq!(
            &src[v[1].range.clone()],
            "RUN dir C:\\ `\n    && copy C:\\a\\ D:\\"
        );
    }

    #[test]
    fn backslash_file_keeps_backtick() {
        let src = "FROM a\nRUN echo `\nRUN b\n";
        assert_eq!(summary(src).len(), 3);
    }

    #[test]
    fn comment_and_blank_inside_continuation() {
        let src = "ENV \\\n  # c\n\n  A=1 \\\n# d\n  B=2\nRUN x\n";
        let v = split(src).1;
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].text, "ENV   A=1   B=2");
        assert_eq!((v[0].start_line, v[0].end_line), (1, 6));
        assert_eq!(v[0].range, 0..src.find("\nRUN").unwrap());
        assert_eq!((v[1].start_line, v[1].end_line), (7, 7));
    }

    #[test]
    fn comment_trap_joins_next_instruction() {
        let src = "RUN a \\\n# c\nRUN b\n";
        let i = one(src);
        assert_eq!(i.text, "RUN a RUN b");
        assert_eq!((i.start_line, i.end_line), (1, 3));
        assert_eq!(i.range, 0..17);
    }

    #[test]
    fn continuation_at_eof() {
        let src = "FROM a\nRUN ls \\\n# comment\n";
        let v = split(src).1;
        assert_eq!(v[1].text, "RUN ls ");
        assert_eq!((v[1].start_line, v[1].end_line), (2, 3));
        assert_eq!(v[1].range, 7..25);
        let v = split("RUN ls \\").1;
        assert_eq!((v[0].text.as_str(), v[0].range.clone()), ("RUN ls ", 0..8));
    }

    #[test]
    fn trailing_blanks_after_escape_and_escaped_escape() {
        let src = "RUN a \\ \t\n b\nRUN c \\\\\nRUN d\n";
        assert_eq!(
            summary(src),
            vec![
                s("RUN", 1, 2, "RUN a  b"),
                s("RUN", 3, 3, "RUN c \\\\"),
                s("RUN", 4, 4, "RUN d")
            ]
        );
    }

    #[test]
    fn leading_whitespace_before_keyword() {
        let src = "  \tfrom a\n    run b\n";
        let v = split(src).1;
        assert_eq!(v[0].range, 3..9);
        assert_eq!(v[0].keyword, 3..7);
        assert_eq!(v[0].keyword_upper(src), "FROM");
        assert_eq!(v[1].keyword, 14..17);
        assert_eq!(v[1].text, "run b");
    }

    #[test]
    fn heredoc_single() {
        let src = "FROM a\nRUN cat <<EOF > /x\nhello\nEOF\nRUN y\n";
        let v = split(src).1;
        assert_eq!(v.len(), 3);
        let r = &v[1];
        assert_eq!(r.text, "RUN cat <<EOF > /x");
        assert_eq!((r.start_line, r.end_line), (2, 4));
        assert_eq!(r.range, 7..35);
        let h = &r.heredocs[0];
        assert_eq!(h.delimiter, "EOF");
        assert!(!h.strip_tabs && !h.quoted);
        assert_eq!(&src[h.marker.clone()], "<<EOF");
        assert_eq!(&src[h.body.clone()], "hello\n");
        assert_eq!(&src[h.terminator.clone()], "EOF");
        assert_eq!((v[2].start_line, v[2].end_line), (5, 5));
    }

    #[test]
    fn heredoc_several_chomp_quoted() {
        let src = "RUN <<-\"A\" cat 2<<'B'\n\tx\n\tA\ny\r\nB\r\nRUN z";
        let v = split(src).1;
        assert_eq!(v.len(), 2);
        let r = &v[0];
        assert_eq!((r.start_line, r.end_line), (1, 5));
        assert_eq!(r.heredocs.len(), 2);
        let (a, b) = (&r.heredocs[0], &r.heredocs[1]);
        assert_eq!(
            (a.delimiter.as_str(), a.strip_tabs, a.quoted),
            ("A", true, true)
        );
        assert_eq!(&src[a.marker.clone()], "<<-\"A\"");
        assert_eq!(&src[a.body.clone()], "\tx\n");
        assert_eq!(&src[a.terminator.clone()], "\tA");
        assert_eq!(
            (b.delimiter.as_str(), b.strip_tabs, b.quoted),
            ("B", false, true)
        );
        assert_eq!(&src[b.marker.clone()], "2<<'B'");
        assert_eq!(&src[b.body.clone()], "y\r\n");
        assert_eq!(&src[b.terminator.clone()], "B");
        assert_eq!(r.range, 0..src.find("\r\nRUN z").unwrap());
        assert_eq!((v[1].start_line, v[1].text.as_str()), (6, "RUN z"));
    }

    #[test]
    fn heredoc_empty_body_and_unterminated() {
        let src = "COPY <<EOF /a\nEOF\n";
        let h = &one(src).heredocs[0];
        assert_eq!(h.body, 14..14);
        assert_eq!(h.terminator, 14..17);
        let src = "FROM a\nRUN <<EOF\nx\ny\n";
        let v = split(src).1;
        assert_eq!(v.len(), 2);
        let h = &v[1].heredocs[0];
        assert_eq!(&src[h.body.clone()], "x\ny\n");
        assert_eq!(h.terminator, src.len()..src.len());
        assert_eq!((v[1].start_line, v[1].end_line), (2, 4));
        assert_eq!(v[1].range, 7..src.len() - 1);
    }

    #[test]
    fn heredoc_onbuild_and_continued_marker() {
        let src = "ONBUILD RUN cat <<EOF\nx\nEOF\nRUN a \\\n  <<E\nb\nE\n";
        let v = split(src).1;
        assert_eq!(v.len(), 2);
        assert_eq!((v[0].start_line, v[0].end_line), (1, 3));
        assert_eq!(v[0].heredocs[0].delimiter, "EOF");
        assert_eq!((v[1].start_line, v[1].end_line), (4, 7));
        assert_eq!(&src[v[1].heredocs[0].marker.clone()], "<<E");
    }

    #[test]
    fn not_heredocs() {
        // Inside quotes, glued to a word, in JSON form, after other commands, or with an unterminated quote.
        let src = "RUN echo \"a<<b\"\nRUN cat<<EOF\nRUN [\"cat\", \"<<EOF\"]\nENV A <<EOF\nRUN it's <<EOF\nRUN x\n";
        let v = split(src).1;
        assert_eq!(v.len(), 6);
        assert!(v
            .iter()
            .all(|i| i.heredocs.is_empty() && i.start_line == i.end_line));
    }

    #[test]
    fn current_buildkit_semantics() {
        // Current BuildKit (not v0.12.5): `${x/y/z}` lexes, and JSON followed by more text is shell form.
        let src = "RUN echo ${x/y/z} <<EOF\nb\nEOF\nRUN [\"a\"] <<EOF\nc\nEOF\n";
        let v = split(src).1;
        assert_eq!(v.len(), 2);
        assert_eq!(
            (v[0].start_line, v[0].end_line, v[0].heredocs.len()),
            (1, 3, 1)
        );
        assert_eq!(
            (v[1].start_line, v[1].end_line, v[1].heredocs.len()),
            (4, 6, 1)
        );
        // Flags before the JSON form are skipped when deciding exec form.
        let v = split("RUN --network=none [\"cat\", \"<<EOF\"]\nRUN x\n").1;
        assert_eq!(v.len(), 2);
    }

    #[test]
    fn heredoc_word_quirks() {
        assert_eq!(
            parse_heredoc_word("<<EOF"),
            Some(("EOF".into(), false, false))
        );
        assert_eq!(
            parse_heredoc_word("<<E\"O\"F"),
            Some(("EOF".into(), false, true))
        );
        assert_eq!(
            parse_heredoc_word("<<EOF;"),
            Some(("EOF;".into(), false, false))
        );
        assert_eq!(parse_heredoc_word("<<"), None);
        assert_eq!(parse_heredoc_word("<<<x"), None);
        assert_eq!(parse_heredoc_word("a<<EOF"), None);
    }

    #[test]
    fn linemap_boundaries() {
        let src = "RUN a \\\n  b \\\n c\n";
        let i = one(src);
        assert_eq!(i.text, "RUN a   b  c");
        let m = &i.map;
        // Segments: "RUN a " @0, "  b " @8, " c" @14.
        assert_eq!(m.to_file(0), 0);
        assert_eq!(m.to_file(5), 5);
        assert_eq!(m.to_file(6), 8);
        assert_eq!(m.to_file_end(6), 6);
        assert_eq!(m.to_file(10), 14);
        assert_eq!(m.to_file_end(10), 12);
        assert_eq!(m.to_file(12), 16);
        assert_eq!(m.to_file_end(12), 16);
        assert_eq!(m.to_file_end(0), 0);
        assert_eq!(LineMap::default().to_file(3), 0);
    }

    #[test]
    fn directives() {
        let (d, _) =
            split("# syntax = docker/dockerfile:1.7 \n#ESCAPE=`\n# check=skip=all\nFROM a\n");
        assert_eq!(d.escape, b'`');
        assert_eq!(d.syntax.as_deref(), Some("docker/dockerfile:1.7"));
        // Not honoured after a blank line, a comment, or an instruction.
        assert_eq!(split("\n# escape=`\nFROM a\n").0.escape, b'\\');
        assert_eq!(split("# hello\n# escape=`\nFROM a\n").0.escape, b'\\');
        assert_eq!(split("FROM a\n# escape=`\n").0.escape, b'\\');
        // Leading blanks are allowed.
        assert_eq!(split("  # escape=`\nFROM a\n").0.escape, b'`');
    }

    #[test]
    fn lone_escape_line_starts_instruction() {
        let src = "\\\n  FROM a\n";
        let i = one(src);
        assert_eq!((i.start_line, i.end_line), (1, 2));
        assert_eq!(i.text, "FROM a");
        assert_eq!(i.keyword, 4..8);
        assert_eq!(i.range, 0..10);
    }

    #[test]
    fn keyword_split_by_continuation() {
        let src = "RU\\\nN a\n";
        let i = one(src);
        assert_eq!(i.text, "RUN a");
        assert_eq!(i.keyword, 0..5);
        assert_eq!(i.keyword_upper(src), "RUN");
    }

    #[test]
    fn random_inputs_keep_invariants() {
        const ALPHABET: &[&str] = &[
            "RUN ",
            "COPY ",
            "ONBUILD ",
            "# escape=`\n",
            "#",
            "\\",
            "`",
            " ",
            "\t",
            "\n",
            "\r\n",
            "\r",
            "<<",
            "<<-",
            "EOF",
            "\"",
            "'",
            "$",
            "{",
            "}",
            "[",
            "]",
            "--x ",
            "\u{a0}",
            "\u{3000}",
            "é",
            "\u{feff}",
            "a",
            "2",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            let mut src = String::new();
            for _ in 0..(seed % 40) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                src.push_str(ALPHABET[(seed % ALPHABET.len() as u64) as usize]);
            }
            let mut prev = 0;
            for i in split(&src).1 {
                assert!(
                    prev <= i.range.start
                        && i.range.start <= i.range.end
                        && i.range.end <= src.len(),
                    "{src:?}"
                );
                prev = i.range.end;
                let rebuilt: String = i
                    .map
                    .segments()
                    .iter()
                    .map(|s| &src[s.file..s.file + s.len])
                    .collect();
                assert_eq!(rebuilt, i.text, "{src:?}");
                assert!(i.start_line <= i.end_line);
                let _ = i.keyword_upper(&src);
                for h in &i.heredocs {
                    assert!(
                        h.body.start <= h.body.end && h.body.end == h.terminator.start,
                        "{src:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn json_checker() {
        assert!(is_json_array(br#"["a", "b\"c", "\u00e9"]"#));
        assert!(is_json_array(b"[1, {\"a\": [true, null]}, -0.5e3]"));
        assert!(!is_json_array(b"[\"a\""));
        assert!(!is_json_array(b"['a']"));
        assert!(!is_json_array(b"[\"a\"] x"));
    }
}
