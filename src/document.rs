//! The read-only model passes look at, computed once per parse: instructions with their byte
//! ranges, flags and forms, stages, the shell in effect, and RUN bodies as shell scripts.
//!
//! Instruction boundaries come from the BuildKit-faithful splitter ([`crate::logical`]); the
//! tree-sitter CST decides which instructions are *opaque* (the grammar got them wrong), and
//! those are never edited.

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;

use crate::context::BuildContext;
use crate::logical::{self, Directives, LogicalInstruction};
use crate::parse;
use crate::shell::Script;
use crate::source::Source;

/// Instruction keywords dockfix knows (anything else is `Other`, e.g. a template placeholder).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyword {
    From,
    Run,
    Cmd,
    Label,
    Expose,
    Env,
    Add,
    Copy,
    Entrypoint,
    Volume,
    User,
    Workdir,
    Arg,
    Onbuild,
    Stopsignal,
    Healthcheck,
    Shell,
    Maintainer,
    Other,
}

impl Keyword {
    fn parse(word: &str) -> Keyword {
        match word.to_ascii_uppercase().as_str() {
            "FROM" => Keyword::From,
            "RUN" => Keyword::Run,
            "CMD" => Keyword::Cmd,
            "LABEL" => Keyword::Label,
            "EXPOSE" => Keyword::Expose,
            "ENV" => Keyword::Env,
            "ADD" => Keyword::Add,
            "COPY" => Keyword::Copy,
            "ENTRYPOINT" => Keyword::Entrypoint,
            "VOLUME" => Keyword::Volume,
            "USER" => Keyword::User,
            "WORKDIR" => Keyword::Workdir,
            "ARG" => Keyword::Arg,
            "ONBUILD" => Keyword::Onbuild,
            "STOPSIGNAL" => Keyword::Stopsignal,
            "HEALTHCHECK" => Keyword::Healthcheck,
            "SHELL" => Keyword::Shell,
            "MAINTAINER" => Keyword::Maintainer,
            _ => Keyword::Other,
        }
    }
}

/// A `--name[=value]` flag of an instruction, as BuildKit reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub name: String,
    pub value: Option<String>,
}

/// Where a shell script's bytes come from, to map its offsets back to the file.
#[derive(Debug, Clone, Copy)]
enum ScriptOrigin {
    /// The logical line, from this offset on (continuations joined).
    Logical(usize),
    /// A heredoc body: contiguous file bytes from this offset.
    File(usize),
}

/// A RUN's shell text, parsed with tree-sitter-bash.
pub struct ShellBody {
    pub script: Rc<Script>,
    origin: ScriptOrigin,
}

/// Scripts this thread parsed, by text, with the verdict of the syntax gates: a RUN's text
/// comes back in every fix round, and the same RUN lines recur across the files of a bulk run
/// (image variants, shared snippets). Emptied when full, so memory stays bounded.
const PARSED_LIMIT: usize = 512;

thread_local! {
    static PARSED: RefCell<HashMap<String, Result<Rc<Script>, SkipReason>>> =
        RefCell::new(HashMap::new());
}

/// The parsed script of `text`, or why it cannot be edited (`shell-syntax`, `script-too-deep`).
pub fn parsed_script(text: &str) -> Result<Rc<Script>, SkipReason> {
    if let Some(known) = PARSED.with(|parsed| parsed.borrow().get(text).cloned()) {
        return known;
    }
    let script = Script::parse(text);
    let verdict = if script.has_error() {
        Err("shell-syntax")
    } else if script.deeper_than(MAX_SCRIPT_DEPTH) {
        Err("script-too-deep")
    } else {
        Ok(Rc::new(script))
    };
    PARSED.with(|parsed| {
        let mut parsed = parsed.borrow_mut();
        if parsed.len() >= PARSED_LIMIT {
            parsed.clear();
        }
        parsed.insert(text.to_string(), verdict.clone());
    });
    verdict
}

/// Why a RUN's shell text may not be edited (RULES.md §2 gates).
pub type SkipReason = &'static str;

/// Longest shell script (a RUN's logical line or heredoc) that is parsed and edited: a bash
/// parse takes about 0.4 s per 100 KiB and a fix round parses more than once, so a 1 MB
/// RUN would take seconds. The corpus's longest is far below.
pub const MAX_SCRIPT_LEN: usize = 128 * 1024;

/// Deepest shell syntax tree a pass reads: the command walker recurses once per level, and
/// `$( $( … ) )` a thousand deep must skip, not overflow a worker's stack.
pub const MAX_SCRIPT_DEPTH: usize = 512;

/// Most instructions in a file dockfix works on (the corpus's largest has 254). Facts such as
/// "instructions before, parent stages included" cost the depth of the stage chain, so a
/// generated file of thousands of chained stages would take minutes; it is refused instead.
pub const MAX_INSTRUCTIONS: usize = 5_000;

/// One logical instruction with the facts passes need.
pub struct Instruction {
    pub logical: LogicalInstruction,
    /// The instruction's own keyword; for `ONBUILD X`, the keyword of X.
    pub keyword: Keyword,
    /// Wrapped in `ONBUILD`.
    pub onbuild: bool,
    /// The grammar failed here: never edited.
    pub opaque: bool,
    /// Index into [`Document::stages`]; `None` before the first `FROM`.
    pub stage: Option<usize>,
    /// The shell in effect is POSIX-like (no Windows base, no non-POSIX `SHELL`, no
    /// `# hadolint shell=powershell` pragma).
    pub posix: bool,
    pub flags: Vec<Flag>,
    /// Offset in `logical.text` where the arguments start (after keyword and flags).
    pub args_offset: usize,
    /// Arguments in JSON exec form (`["a", "b"]`), if they are.
    pub exec_form: Option<Vec<String>>,
    shell: OnceCell<Result<Rc<ShellBody>, SkipReason>>,
}

impl Instruction {
    /// The arguments after keyword and flags, as one logical line.
    pub fn args(&self) -> &str {
        &self.logical.text[self.args_offset..]
    }

    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|flag| flag.name == name)
    }

    /// Sets only image metadata, nothing a RUN sees or makes (RULES.md §6 DF001
    /// `merge-across-metadata`, DF002): LABEL, EXPOSE, MAINTAINER, STOPSIGNAL, HEALTHCHECK,
    /// CMD, ENTRYPOINT. Not ENV or ARG (the next RUN's environment), WORKDIR, USER, SHELL,
    /// COPY, ADD, VOLUME (later changes under it are discarded) or ONBUILD.
    pub fn only_metadata(&self) -> bool {
        !self.onbuild
            && matches!(
                self.keyword,
                Keyword::Label
                    | Keyword::Expose
                    | Keyword::Maintainer
                    | Keyword::Stopsignal
                    | Keyword::Healthcheck
                    | Keyword::Cmd
                    | Keyword::Entrypoint
            )
    }

    /// The RUN's shell script if every editing gate passes (RULES.md §2), else the reason to
    /// skip. `text` is the document's text (heredoc scripts are read from it).
    pub fn editable_shell(&self, text: &str) -> Result<&ShellBody, SkipReason> {
        if self.keyword != Keyword::Run {
            return Err("not-run");
        }
        if self.onbuild {
            return Err("onbuild");
        }
        if self.opaque {
            return Err("opaque");
        }
        if !self.posix {
            return Err("non-posix");
        }
        if self.exec_form.is_some() {
            return Err("exec-form");
        }
        self.shell
            .get_or_init(|| self.parse_shell(text).map(Rc::new))
            .as_ref()
            .map(|body| &**body)
            .map_err(|reason| *reason)
    }

    fn parse_shell(&self, text: &str) -> Result<ShellBody, SkipReason> {
        let (script, origin) = match self.logical.heredocs.as_slice() {
            [] => (self.args(), ScriptOrigin::Logical(self.args_offset)),
            [heredoc] if heredoc_is_the_script(self.args()) => {
                let body = &text[heredoc.body.clone()];
                if !shebang_is_posix(body) {
                    return Err("heredoc-interpreter");
                }
                (body, ScriptOrigin::File(heredoc.body.start))
            }
            _ => return Err("heredoc"),
        };
        if script.len() > MAX_SCRIPT_LEN {
            return Err("script-too-long");
        }
        Ok(ShellBody {
            script: parsed_script(script)?,
            origin,
        })
    }

    /// Sources and destination of a COPY/ADD from the build context (not `--from`, not
    /// ONBUILD, not the JSON form).
    pub fn context_copy(&self) -> Option<(Vec<&str>, &str)> {
        if !matches!(self.keyword, Keyword::Copy | Keyword::Add)
            || self.onbuild
            || self.flag("from").is_some()
            || self.args().starts_with('[')
        {
            return None;
        }
        let mut words: Vec<&str> = self.args().split_ascii_whitespace().collect();
        let dest = words.pop()?;
        (!words.is_empty()).then_some((words, dest))
    }

    /// The destination of a copy of the whole build context (`COPY . <dest>`).
    pub fn whole_context_destination(&self) -> Option<&str> {
        match self.context_copy()? {
            (sources, dest) if sources == ["."] || sources == ["./"] => Some(dest),
            _ => None,
        }
    }

    /// File offset of the byte at `pos` in the shell script.
    pub fn script_to_file(&self, body: &ShellBody, pos: usize) -> usize {
        match body.origin {
            ScriptOrigin::Logical(offset) => self.logical.map.to_file(offset + pos),
            ScriptOrigin::File(start) => start + pos,
        }
    }

    /// File offset just after the byte at `end - 1` of the shell script: where an insertion
    /// after a word goes, on the word's own physical line.
    pub fn script_end_to_file(&self, body: &ShellBody, end: usize) -> usize {
        match body.origin {
            ScriptOrigin::Logical(offset) => self.logical.map.to_file_end(offset + end),
            ScriptOrigin::File(start) => start + end,
        }
    }
}

/// The heredoc is the script the shell runs: `RUN <<EOF` or `RUN sh <<EOF` (a POSIX shell with
/// no script argument reads the heredoc from stdin), RULES.md §1.
fn heredoc_is_the_script(args: &str) -> bool {
    let words: Vec<&str> = args.split_ascii_whitespace().collect();
    let is_marker = |word: &str| word.starts_with("<<");
    match words.as_slice() {
        [marker] => is_marker(marker),
        [shell, marker] => {
            is_marker(marker) && ["sh", "bash", "dash", "ash"].contains(&basename(shell))
        }
        _ => false,
    }
}

/// A heredoc script without a `#!` line, or with one naming a POSIX shell.
fn shebang_is_posix(body: &str) -> bool {
    let Some(shebang) = body.strip_prefix("#!") else {
        return true;
    };
    let line = shebang.lines().next().unwrap_or_default();
    let mut words = line.split_ascii_whitespace();
    let program = match words.next().map(basename) {
        Some("env") => words.find(|word| !word.starts_with('-')).map(basename),
        other => other,
    };
    program.is_some_and(|program| POSIX_SHELLS.contains(&program))
}

fn basename(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// A build stage, from its `FROM` to the next one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub index: usize,
    /// `AS name`, lower-cased as BuildKit compares it.
    pub name: Option<String>,
    /// The base image as written (`debian:12`, a stage name, `$BASE`).
    pub base: String,
    /// The earlier stage this one builds on (`FROM <stage>`).
    pub parent: Option<usize>,
    /// Instruction index of the `FROM`.
    pub from: usize,
    /// Windows base image: the shell is cmd/PowerShell.
    pub windows: bool,
    /// The stage reaches the final image (RULES.md §0 "shipped").
    pub shipped: bool,
}

/// A variable's value as far as the Dockerfile tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvValue {
    Literal(String),
    /// Set from a build argument, another variable or anything not known before the build.
    Dynamic,
}

/// The parsed Dockerfile. It owns its text, so a fixed text and its parse move together from
/// one fix round to the next.
pub struct Document {
    pub source: Source,
    /// The build context, when known (passes that read manifests skip without it).
    pub context: Option<Rc<BuildContext>>,
    pub directives: Directives,
    pub instructions: Vec<Instruction>,
    pub stages: Vec<Stage>,
    /// The file's RUN continuation style, once asked (`shell_rules::continuation_style`):
    /// computed once, as every merge may ask for it.
    pub continuation_style: OnceCell<Option<(bool, String)>>,
    /// `# hadolint shell=…` comments count (the setting `hadolint-pragmas`); kept for reparses.
    hadolint_pragmas: bool,
    /// The grammar's tree of the text, kept so the next fix round can parse incrementally.
    tree: tree_sitter::Tree,
}

/// What the grammar's tree tells the document: the byte ranges where it failed and those of the
/// instructions it read.
fn grammar_view(tree: &tree_sitter::Tree) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let nodes = parse::instruction_nodes(tree)
        .iter()
        .map(|node| node.byte_range())
        .collect();
    (parse::error_ranges(tree), nodes)
}

impl Document {
    /// Parse with hadolint pragmas honoured (the default settings).
    pub fn parse(source: Source) -> Document {
        Document::parse_with(source, true)
    }

    /// Parse; `hadolint_pragmas` says whether a `# hadolint shell=powershell` comment makes the
    /// shell non-POSIX (RULES.md §5; `hadolint-pragmas = false` turns it off).
    pub fn parse_with(source: Source, hadolint_pragmas: bool) -> Document {
        Document::parse_after(source, hadolint_pragmas, None)
    }

    /// [`Document::parse_with`]; with `previous`, the document `source` was made from by the
    /// given edits (in that document's offsets), whose grammar tree is reused where the edits
    /// left it alone.
    fn parse_after(
        source: Source,
        hadolint_pragmas: bool,
        previous: Option<(&Document, &[parse::TextEdit])>,
    ) -> Document {
        let text = source.text();
        let (directives, logical_instructions) = logical::split(text);
        let buf = parse::parse_buffer(text, directives.escape);
        let reusable = |old: &Document| {
            // The buffers must be made alike around the edits (parse::reparse).
            old.directives.escape == directives.escape
                && old.text().ends_with('\n') == text.ends_with('\n')
                && !old.text().starts_with('\u{feff}')
                && !text.starts_with('\u{feff}')
        };
        let tree = match previous {
            Some((old, edits)) if reusable(old) => {
                let tree = parse::reparse(&old.tree, old.text(), edits, &buf);
                debug_assert_eq!(
                    grammar_view(&tree),
                    grammar_view(&parse::parse(&buf)),
                    "an incremental parse differs from a full one"
                );
                tree
            }
            _ => parse::parse(&buf),
        };
        let (errors, nodes) = grammar_view(&tree);
        let mut instructions: Vec<Instruction> = logical_instructions
            .into_iter()
            .map(|logical| {
                let opaque = is_opaque(&logical.range, &errors, &nodes);
                build_instruction(logical, opaque)
            })
            .collect();
        let pragmas = if hadolint_pragmas {
            shell_pragmas(text, &instructions)
        } else {
            vec![None; instructions.len()]
        };
        let stages = assign_stages(&mut instructions, &pragmas);
        Document {
            source,
            context: None,
            directives,
            instructions,
            stages,
            continuation_style: OnceCell::new(),
            hadolint_pragmas,
            tree,
        }
    }

    /// The same document with its build context known.
    pub fn with_context(mut self, context: Option<Rc<BuildContext>>) -> Document {
        self.context = context;
        self
    }

    /// Parse a new text of this Dockerfile (a fixed version), keeping the build context.
    /// `edits`, when known, made `source` from this text (offsets in this text): the grammar
    /// then re-reads only what they touched. Unchanged RUNs get their parsed scripts back from
    /// the thread's cache.
    pub fn reparse(&self, source: Source, edits: Option<&[parse::TextEdit]>) -> Document {
        Document::parse_after(
            source,
            self.hadolint_pragmas,
            edits.map(|edits| (self, edits)),
        )
        .with_context(self.context.clone())
    }

    pub fn text(&self) -> &str {
        self.source.text()
    }

    pub fn into_source(self) -> Source {
        self.source
    }

    pub fn opaque_count(&self) -> usize {
        self.instructions.iter().filter(|i| i.opaque).count()
    }

    /// Instructions of a stage, with their indices.
    pub fn stage_instructions(&self, stage: usize) -> impl Iterator<Item = (usize, &Instruction)> {
        // A stage's instructions are contiguous from its FROM: looking only there keeps passes
        // that walk every stage linear in the file (not stages × instructions).
        let from = self.stages.get(stage).map_or(0, |s| s.from);
        self.instructions[from..self.stage_end(stage)]
            .iter()
            .enumerate()
            .map(move |(i, instruction)| (from + i, instruction))
            .filter(move |(_, instruction)| instruction.stage == Some(stage))
    }

    /// Indices of the instructions before `index` that a build of its stage has run, nearest
    /// first: the stage's own, then its parent stages' (RULES.md "env in scope").
    pub fn instructions_before(&self, index: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stage = self.instructions[index].stage;
        let mut limit = index;
        while let Some(current) = stage {
            out.extend(
                (self.stages[current].from..limit)
                    .rev()
                    .filter(|&i| self.instructions[i].stage == Some(current)),
            );
            let parent = self.stages[current].parent;
            limit = parent.map_or(0, |p| self.stage_end(p));
            stage = parent;
        }
        out
    }

    /// One past the last instruction index of a stage.
    fn stage_end(&self, stage: usize) -> usize {
        self.stages
            .get(stage + 1)
            .map_or(self.instructions.len(), |next| next.from)
    }

    /// The value of `name` as set by ENV or ARG (with its default) before instruction `index`
    /// in its stage or parent stages; `None` when not set there.
    pub fn env_value(&self, index: usize, name: &str) -> Option<EnvValue> {
        self.instructions_before(index).into_iter().find_map(|i| {
            let instruction = &self.instructions[i];
            match instruction.keyword {
                Keyword::Env if !instruction.onbuild => env_pairs(instruction.args())
                    .into_iter()
                    .rev()
                    .find(|(key, _)| key == name)
                    .map(|(_, value)| value),
                Keyword::Arg if !instruction.onbuild => arg_pairs(instruction.args())
                    .into_iter()
                    .rev()
                    .find(|(key, _)| key == name)
                    .map(|(_, value)| value.unwrap_or(EnvValue::Dynamic)),
                _ => None,
            }
        })
    }
}

impl Document {
    /// What reads the build context's `.git` if it is copied in: a RUN invoking `git`, a Go
    /// build (Go ≥ 1.18 stamps VCS data from `.git`), and version plugins named in the
    /// manifests (setuptools-scm, hatch-vcs, versioneer, poetry-dynamic-versioning,
    /// git-commit-id, vergen). Excluding `.git` would break or change their builds.
    pub fn git_readers(&self) -> Vec<String> {
        let mut readers = Vec::new();
        for instruction in self
            .instructions
            .iter()
            .filter(|i| i.keyword == Keyword::Run)
        {
            let text = &instruction.logical.text;
            let runs = |program: &str, subcommand: Option<&str>| match instruction
                .editable_shell(self.text())
            {
                Ok(body) => body.script.commands().iter().any(|command| {
                    command.basename() == Some(program)
                        && subcommand.is_none_or(|sub| {
                            command.args.first().and_then(|w| w.value.as_deref()) == Some(sub)
                        })
                }),
                Err(_) => text.contains(&format!("{program} {}", subcommand.unwrap_or_default())),
            };
            if runs("git", None) && !readers.contains(&"git".to_string()) {
                readers.push("git".to_string());
            }
            if runs("go", Some("build")) && !readers.iter().any(|r| r.starts_with("go build")) {
                readers.push("go build (VCS stamping)".to_string());
            }
        }
        if let Some(context) = &self.context {
            const PLUGINS: &[(&str, &[&str])] = &[
                (
                    "pyproject.toml",
                    &[
                        "setuptools_scm",
                        "setuptools-scm",
                        "hatch-vcs",
                        "versioneer",
                        "poetry-dynamic-versioning",
                    ],
                ),
                ("setup.py", &["setuptools_scm", "versioneer"]),
                ("setup.cfg", &["setuptools_scm", "versioneer"]),
                ("pom.xml", &["git-commit-id"]),
                ("Cargo.toml", &["vergen"]),
            ];
            for (manifest, plugins) in PLUGINS {
                let Some(text) = context.read(manifest) else {
                    continue;
                };
                readers.extend(
                    plugins
                        .iter()
                        .filter(|plugin| text.contains(*plugin))
                        .map(|plugin| format!("{plugin} ({manifest})")),
                );
            }
        }
        readers
    }
}

/// An instruction is opaque when a parse error overlaps it, or when no CST instruction node
/// starts at its first byte and ends within it (the grammar silently read it differently).
fn is_opaque(range: &Range<usize>, errors: &[Range<usize>], nodes: &[Range<usize>]) -> bool {
    let touches = |error: &Range<usize>| {
        if error.is_empty() {
            range.start <= error.start && error.start <= range.end
        } else {
            error.start < range.end && range.start < error.end
        }
    };
    if errors.iter().any(touches) {
        return true;
    }
    let node = nodes.partition_point(|node| node.start < range.start);
    !nodes
        .get(node)
        .is_some_and(|node| node.start == range.start && node.end <= range.end + 1)
}

fn build_instruction(logical: LogicalInstruction, opaque: bool) -> Instruction {
    let line = logical.text.as_str();
    let (mut keyword, mut pos) = next_word(line, 0).map_or((Keyword::Other, line.len()), |w| {
        (Keyword::parse(&line[w.clone()]), w.end)
    });
    let onbuild = keyword == Keyword::Onbuild;
    if onbuild {
        if let Some(word) = next_word(line, pos) {
            keyword = Keyword::parse(&line[word.clone()]);
            pos = word.end;
        }
    }
    let mut flags = Vec::new();
    while let Some(word) = next_word(line, pos) {
        let Some(flag) = line[word.clone()].strip_prefix("--") else {
            break;
        };
        if flag.is_empty() {
            break;
        }
        let (name, value) = match flag.split_once('=') {
            Some((name, value)) => (name, Some(value.to_string())),
            None => (flag, None),
        };
        flags.push(Flag {
            name: name.to_string(),
            value,
        });
        pos = word.end;
    }
    let args_offset = line[pos..]
        .find(|c: char| !c.is_ascii_whitespace())
        .map_or(line.len(), |skip| pos + skip);
    let exec_form = match keyword {
        Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Shell => {
            parse_exec_form(&line[args_offset..])
        }
        _ => None,
    };
    Instruction {
        logical,
        keyword,
        onbuild,
        opaque,
        stage: None,
        posix: true,
        flags,
        args_offset,
        exec_form,
        shell: OnceCell::new(),
    }
}

/// The next blank-separated word at or after `pos`.
fn next_word(line: &str, pos: usize) -> Option<Range<usize>> {
    let rest = &line[pos..];
    let start = pos + rest.find(|c: char| !c.is_ascii_whitespace())?;
    let end = line[start..]
        .find(|c: char| c.is_ascii_whitespace())
        .map_or(line.len(), |len| start + len);
    Some(start..end)
}

/// BuildKit's rule: the arguments are exec form when they parse as a JSON array of strings.
fn parse_exec_form(args: &str) -> Option<Vec<String>> {
    if !args.trim_start().starts_with('[') {
        return None;
    }
    serde_json::from_str(args.trim()).ok()
}

/// Shells whose syntax the shell passes understand (RULES.md §1).
const POSIX_SHELLS: &[&str] = &["sh", "bash", "dash", "ash", "ksh", "mksh", "zsh", "busybox"];

fn is_windows_image(image: &str) -> bool {
    let image = image.to_ascii_lowercase();
    image.starts_with("mcr.microsoft.com/windows")
        || image.contains("servercore")
        || image.contains("nanoserver")
}

/// For each instruction, whether the `# hadolint shell=NAME` comment lines between the
/// previous instruction and it all name POSIX shells (`None`: there are none). Comment lines
/// inside an instruction's continuation belong to the instruction, as in hadolint's parser.
fn shell_pragmas(text: &str, instructions: &[Instruction]) -> Vec<Option<bool>> {
    if !text.contains("hadolint") {
        return vec![None; instructions.len()];
    }
    let mut previous_end = 0;
    instructions
        .iter()
        .map(|instruction| {
            let gap = &text[previous_end..instruction.logical.range.start];
            previous_end = instruction.logical.range.end;
            gap.lines()
                .filter_map(shell_pragma)
                .map(|shell| POSIX_SHELLS.contains(&basename(shell)))
                .reduce(|a, b| a && b)
        })
        .collect()
}

/// The shell pragmas of each stage (those within it and in the comment lines above its `FROM`,
/// all POSIX or not; `None`: it has none) and those before the first `FROM` (the default).
fn stage_pragmas(
    instructions: &[Instruction],
    pragmas: &[Option<bool>],
) -> (Vec<Option<bool>>, Option<bool>) {
    let both = |a: Option<bool>, b: Option<bool>| match (a, b) {
        (Some(a), Some(b)) => Some(a && b),
        _ => a.or(b),
    };
    let (mut stages, mut before): (Vec<Option<bool>>, Option<bool>) = (Vec::new(), None);
    for (instruction, &pragma) in instructions.iter().zip(pragmas) {
        let from = instruction.keyword == Keyword::From && !instruction.onbuild;
        if from && stages.is_empty() {
            // Above the first FROM: the file's default, as in hadolint.
            before = both(before, pragma);
            stages.push(None);
        } else if from {
            stages.push(pragma);
        } else if let Some(stage) = stages.last_mut() {
            *stage = both(*stage, pragma);
        } else {
            before = both(before, pragma);
        }
    }
    (stages, before)
}

/// The shell a `# hadolint shell=NAME` comment names (hadolint's `Pragma.parseShell`; the
/// words are matched without regard to case, as dockfix reads `# hadolint ignore=`).
fn shell_pragma(line: &str) -> Option<&str> {
    let rest = line.trim_start().strip_prefix('#')?.trim_start();
    let rest = strip_prefix_ignore_case(rest, "hadolint")?;
    let rest = strip_prefix_ignore_case(rest.strip_prefix([' ', '\t'])?.trim_start(), "shell")?;
    let name = rest
        .trim_start()
        .strip_prefix('=')?
        .split_whitespace()
        .next()?;
    (!name.starts_with('#')).then_some(name)
}

/// `text` after `prefix`, which it starts with in any ASCII case (pragma words).
pub fn strip_prefix_ignore_case<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// Split instructions into stages, link parents, find the shipped stages and the shell in
/// effect at every instruction. A stage starts with its parent stage's shell, else POSIX unless
/// the base is Windows or a `# hadolint shell=` pragma (`pragmas`, from [`shell_pragmas`])
/// names another shell; a `SHELL` instruction changes it from there on.
///
/// The pragma tells the base image's shell (RULES.md §5 "stage non-POSIX"), so it holds for its
/// whole stage, lines above it included: the shell does not change within a stage without a
/// `SHELL` (hadolint applies it from its line on; this is the safe reading). Its stage is the
/// one it is in, or the one whose `FROM` it is right above; before the first `FROM` it is the
/// default of every stage not built on another (as in hadolint). Conflicting pragmas in a stage
/// count as non-POSIX; a POSIX one (`shell=bash`) overrides that default, never a Windows base
/// or a parent stage's shell.
fn assign_stages(instructions: &mut [Instruction], pragmas: &[Option<bool>]) -> Vec<Stage> {
    let (stage_pragma, default_pragma) = stage_pragmas(instructions, pragmas);
    let mut stages: Vec<Stage> = Vec::new();
    // Whether the shell is POSIX at the end of each stage: a child stage inherits its SHELL.
    let mut posix_at_end: Vec<bool> = Vec::new();
    let mut posix = true;
    // `ARG node=…windowsservercore` ⏎ `FROM $node`: the base is the default's.
    let global_args: Vec<(String, Option<EnvValue>)> = instructions
        .iter()
        .take_while(|i| i.keyword != Keyword::From)
        .filter(|i| i.keyword == Keyword::Arg)
        .flat_map(|i| arg_pairs(i.args()))
        .collect();
    // Stage names (lower case) → the first stage of that name, as BuildKit resolves them.
    let mut named: HashMap<String, usize> = HashMap::new();
    for (index, instruction) in instructions.iter_mut().enumerate() {
        if instruction.onbuild {
            // ONBUILD instructions run in a later build, not here.
        } else if instruction.keyword == Keyword::From {
            let words: Vec<&str> = instruction.args().split_ascii_whitespace().collect();
            let base = words.first().copied().unwrap_or_default().to_string();
            let name = match words.as_slice() {
                [_, as_word, name, ..] if as_word.eq_ignore_ascii_case("as") => {
                    Some(name.to_ascii_lowercase())
                }
                _ => None,
            };
            let parent = named.get(&base.to_ascii_lowercase()).copied();
            if let Some(name) = &name {
                named.entry(name.clone()).or_insert(stages.len());
            }
            let windows = parent.map_or_else(
                || is_windows_image(&expand_global_args(&global_args, &base)),
                |p| stages[p].windows,
            );
            let pragma = match (stage_pragma[stages.len()], parent) {
                (Some(pragma), _) => pragma,
                (None, None) => default_pragma.unwrap_or(true),
                (None, Some(_)) => true,
            };
            posix = !windows && pragma && parent.is_none_or(|p| posix_at_end[p]);
            stages.push(Stage {
                index: stages.len(),
                name,
                base,
                parent,
                from: index,
                windows,
                shipped: false,
            });
            posix_at_end.push(posix);
        } else if instruction.keyword == Keyword::Shell {
            posix = instruction.exec_form.as_ref().is_some_and(|argv| {
                argv.first()
                    .is_some_and(|program| POSIX_SHELLS.contains(&basename(program)))
            });
        }
        instruction.stage = stages.len().checked_sub(1);
        instruction.posix = posix;
        if let Some(last) = posix_at_end.last_mut() {
            *last = posix;
        }
    }
    mark_shipped(&mut stages, instructions);
    stages
}

/// The final stage ships, and every stage it builds on (`FROM <stage>`) or copies from
/// (`COPY --from=<stage or index>`), transitively.
fn mark_shipped(stages: &mut [Stage], instructions: &[Instruction]) {
    let Some(last) = stages.len().checked_sub(1) else {
        return;
    };
    // Names resolve to the first stage so named, as in assign_stages.
    let mut named: HashMap<String, usize> = HashMap::new();
    for stage in stages.iter() {
        if let Some(name) = &stage.name {
            named.entry(name.clone()).or_insert(stage.index);
        }
    }
    let mut pending = vec![last];
    while let Some(stage) = pending.pop() {
        if std::mem::replace(&mut stages[stage].shipped, true) {
            continue;
        }
        pending.extend(stages[stage].parent);
        let end = stages
            .get(stage + 1)
            .map_or(instructions.len(), |next| next.from);
        let own = &instructions[stages[stage].from..end];
        for instruction in own.iter().filter(|i| i.stage == Some(stage)) {
            let from = match instruction.keyword {
                Keyword::Copy | Keyword::Add if !instruction.onbuild => instruction
                    .flag("from")
                    .and_then(|flag| flag.value.as_deref()),
                _ => None,
            };
            let Some(from) = from else { continue };
            let from = from.to_ascii_lowercase();
            let source = match from.parse::<usize>() {
                Ok(number) => Some(number).filter(|&n| n < stages.len()),
                Err(_) => named.get(&from).copied(),
            };
            pending.extend(source);
        }
    }
}

/// `ENV` pairs: `k=v k2="v 2"`, or the legacy `k rest of line`.
fn env_pairs(args: &str) -> Vec<(String, EnvValue)> {
    let words = split_words(args);
    let Some(first) = words.first() else {
        return Vec::new();
    };
    if !first.contains('=') {
        let value = args[first.len()..].trim();
        return vec![(first.to_string(), word_value(value))];
    }
    words
        .iter()
        .filter_map(|word| word.split_once('='))
        .map(|(key, value)| (key.to_string(), word_value(value)))
        .collect()
}

/// `ARG` declarations: name and default (if any).
fn arg_pairs(args: &str) -> Vec<(String, Option<EnvValue>)> {
    split_words(args)
        .iter()
        .map(|word| match word.split_once('=') {
            Some((key, value)) => (key.to_string(), Some(word_value(value))),
            None => (word.to_string(), None),
        })
        .collect()
}

/// Blank-separated words, quotes keeping blanks inside one word (BuildKit's `parseWords`).
fn split_words(text: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = None;
    let mut quote = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match (quote, c) {
            (_, '\\') if quote != Some('\'') => escaped = true,
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, c) if c.is_whitespace() => {
                if let Some(s) = start.take() {
                    words.push(&text[s..i]);
                }
                continue;
            }
            _ => {}
        }
        start.get_or_insert(i);
    }
    if let Some(s) = start {
        words.push(&text[s..]);
    }
    words
}

/// The value of a word after quote removal, or `Dynamic` when it expands a variable.
fn word_value(word: &str) -> EnvValue {
    let mut out = String::new();
    let mut quote = None;
    let mut chars = word.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some('\''), '\'') | (Some('"'), '"') => quote = None,
            (Some('\''), c) => out.push(c),
            (_, '$') => return EnvValue::Dynamic,
            (None, '"' | '\'') => quote = Some(c),
            (_, '\\') => out.extend(chars.next()),
            (_, c) => out.push(c),
        }
    }
    EnvValue::Literal(out)
}

/// Facts about official base images that their Dockerfile does not show (RULES.md §0 "base
/// facts"): an image pattern (`repository:tag`, `*` matching any text, compared after removing
/// `docker.io/` and `library/`; no tag means `latest`) and the facts it carries. A stage has the
/// facts of its root image (through `FROM <stage>`). Facts:
/// - `gemrc-no-document`: `gem install|update` skip documentation by default;
/// - `gem-home`: `GEM_HOME` is set (`/usr/local/bundle`);
/// - `yum3`: `yum` is yum 3 (no weak dependencies, no `--nodocs`);
/// - `yum-is-dnf`: `yum` is dnf 4 or later (weak dependencies, `--nodocs`);
/// - `apt-docker-clean`: `/etc/apt/apt.conf.d/docker-clean` deletes downloaded .debs after
///   every dpkg run;
/// - `entrypoint-pass-through`: the image's ENTRYPOINT is empty or runs its arguments as
///   given;
/// - `user:NAME`: the image has an unprivileged user NAME; `user-non-root`: it runs as one.
const BASE_FACTS: &[(&str, &[&str])] = &[
    // Debian's images get docker-clean from debuerreotype
    // (`scripts/.debuerreotype-minimizing-config`), Ubuntu's from its docker rootfs builds; the
    // docker-library images below are built `FROM debian:*` or `FROM buildpack-deps:*` for
    // their Debian tags and never remove it (docker-library/python, php, postgres, redis,
    // nodejs/docker-node). Their Alpine tags have no apt, so the fact never matters there.
    ("debian:*", &["apt-docker-clean"]),
    ("ubuntu:*", &["apt-docker-clean"]),
    ("buildpack-deps:*", &["apt-docker-clean"]),
    ("python:*", &["apt-docker-clean"]),
    ("node:*", &["apt-docker-clean"]),
    ("php:*", &["apt-docker-clean"]),
    ("postgres:*", &["apt-docker-clean"]),
    ("redis:*", &["apt-docker-clean"]),
    // docker-library/ruby, Dockerfile-debian.template and Dockerfile-alpine.template: "skip
    // installing gem documentation" writes `install: --no-document` and `update: --no-document`
    // to /usr/local/etc/gemrc, and `ENV GEM_HOME /usr/local/bundle`.
    ("ruby:*", &["gemrc-no-document", "gem-home"]),
    // yum 3.4 (Python 2): CentOS 6/7, Amazon Linux 2, UBI 7, Oracle Linux 7.
    ("centos:6*", &["yum3"]),
    ("centos:centos6*", &["yum3"]),
    ("centos:7*", &["yum3"]),
    ("centos:centos7*", &["yum3"]),
    ("*amazonlinux:2", &["yum3"]),
    ("*amazonlinux:2.*", &["yum3"]),
    ("*amazonlinux:2-*", &["yum3"]),
    ("*/ubi7*", &["yum3"]),
    ("oraclelinux:7*", &["yum3"]),
    // From RHEL 8 on, `yum` is a link to dnf (RHEL 8 "Considerations in adopting RHEL 8": "YUM
    // v4 … is based on DNF"); Fedora since 22; Amazon Linux 2023 ships dnf.
    ("fedora:*", &["yum-is-dnf"]),
    ("centos:8*", &["yum-is-dnf"]),
    ("centos:centos8*", &["yum-is-dnf"]),
    ("centos:latest", &["yum-is-dnf"]),
    ("*centos:stream*", &["yum-is-dnf"]),
    ("*rockylinux:*", &["yum-is-dnf"]),
    ("*almalinux:*", &["yum-is-dnf"]),
    ("*amazonlinux:2023*", &["yum-is-dnf"]),
    ("*amazonlinux:latest", &["yum-is-dnf"]),
    ("*/ubi8*", &["yum-is-dnf"]),
    ("*/ubi9*", &["yum-is-dnf"]),
    ("*/ubi10*", &["yum-is-dnf"]),
    ("oraclelinux:8*", &["yum-is-dnf"]),
    ("oraclelinux:9*", &["yum-is-dnf"]),
    // ENTRYPOINT empty, or a script that ends in `exec "$@"` whatever the first argument is
    // (docker-library: node's docker-entrypoint.sh only prefixes `node` when the first
    // argument is an option or not a command; php's prefixes `php` for an option;
    // eclipse-temurin's imports certificates on request, then execs). Not nginx, postgres,
    // redis, httpd …: their scripts act on the first argument (`nginx`, `postgres`).
    // Fact `entrypoint-pass-through` (DF401).
    ("debian:*", &["entrypoint-pass-through"]),
    ("ubuntu:*", &["entrypoint-pass-through"]),
    ("alpine:*", &["entrypoint-pass-through"]),
    ("busybox:*", &["entrypoint-pass-through"]),
    ("buildpack-deps:*", &["entrypoint-pass-through"]),
    ("python:*", &["entrypoint-pass-through"]),
    ("golang:*", &["entrypoint-pass-through"]),
    ("ruby:*", &["entrypoint-pass-through"]),
    ("rust:*", &["entrypoint-pass-through"]),
    ("node:*", &["entrypoint-pass-through"]),
    // docker-library/node added the `node` user (uid 1000) in 2016, from Node 4 on: not the
    // `0.x` tags.
    ("node:1*", &["user:node"]),
    ("node:2*", &["user:node"]),
    ("node:4*", &["user:node"]),
    ("node:5*", &["user:node"]),
    ("node:6*", &["user:node"]),
    ("node:7*", &["user:node"]),
    ("node:8*", &["user:node"]),
    ("node:9*", &["user:node"]),
    ("node:lts*", &["user:node"]),
    ("node:current*", &["user:node"]),
    ("node:latest", &["user:node"]),
    ("node:alpine*", &["user:node"]),
    ("node:slim", &["user:node"]),
    ("node:bookworm*", &["user:node"]),
    ("node:bullseye*", &["user:node"]),
    ("node:trixie*", &["user:node"]),
    ("php:*", &["entrypoint-pass-through"]),
    ("openjdk:*", &["entrypoint-pass-through"]),
    ("eclipse-temurin:*", &["entrypoint-pass-through"]),
    ("fedora:*", &["entrypoint-pass-through"]),
    ("centos:*", &["entrypoint-pass-through"]),
    ("*rockylinux:*", &["entrypoint-pass-through"]),
    ("*almalinux:*", &["entrypoint-pass-through"]),
    ("*amazonlinux:*", &["entrypoint-pass-through"]),
    // GoogleContainerTools/distroless: every image has the `nonroot` user (uid 65532) in
    // /etc/passwd; the `nonroot` tags run as it (`user-non-root`, DF410/DF505).
    ("gcr.io/distroless/*", &["user:nonroot"]),
    ("gcr.io/distroless/*:*nonroot*", &["user-non-root"]),
];

impl Document {
    /// True when the root base image of `stage` carries `fact` in [`BASE_FACTS`].
    pub fn base_fact(&self, stage: usize, fact: &str) -> bool {
        let mut root = &self.stages[stage];
        while let Some(parent) = root.parent {
            root = &self.stages[parent];
        }
        let image = normalize_image(&root.base);
        BASE_FACTS
            .iter()
            .any(|(pattern, facts)| facts.contains(&fact) && glob_match(pattern, &image))
    }
}

/// `docker.io/library/ruby:3.3@sha256:…` → `ruby:3.3`; `centos` → `centos:latest`.
fn normalize_image(image: &str) -> String {
    let image = image.to_ascii_lowercase();
    let image = image.split('@').next().unwrap_or_default();
    let image = image
        .strip_prefix("docker.io/")
        .or_else(|| image.strip_prefix("index.docker.io/"))
        .unwrap_or(image);
    let image = image.strip_prefix("library/").unwrap_or(image);
    let last_segment = image.rsplit('/').next().unwrap_or(image);
    if last_segment.contains(':') {
        image.to_string()
    } else {
        format!("{image}:latest")
    }
}

/// Match `text` against `pattern`, where `*` matches any run of characters.
fn glob_match(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, rest)) => {
            let Some(text) = text.strip_prefix(head) else {
                return false;
            };
            (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .any(|i| glob_match(rest, &text[i..]))
        }
    }
}

impl Instruction {
    /// The names an `ENV` or `ARG` declares (either form, quotes respected), in order.
    pub fn declared_names(&self) -> Vec<String> {
        match self.keyword {
            Keyword::Env => env_pairs(self.args()).into_iter().map(|(k, _)| k).collect(),
            Keyword::Arg => arg_pairs(self.args()).into_iter().map(|(k, _)| k).collect(),
            _ => Vec::new(),
        }
    }
}

impl Document {
    /// Indices of the instructions a build of `stage` runs, in order: its parents' (up to the
    /// `FROM` of the child) and its own, not ONBUILD.
    pub fn stage_chain(&self, stage: usize) -> Vec<usize> {
        let end = self
            .stages
            .get(stage + 1)
            .map_or(self.instructions.len(), |s| s.from);
        let Some(last) = end.checked_sub(1) else {
            return Vec::new();
        };
        let mut chain = self.instructions_before(last);
        chain.reverse();
        chain.push(last);
        chain.retain(|&i| !self.instructions[i].onbuild);
        chain
    }
}

#[cfg(test)]
mod base_fact_tests {
    use super::*;

    fn facts_of(base: &str, fact: &str) -> bool {
        let text = format!("FROM {base} AS a\nFROM a\n");
        let document = Document::parse(Source::new(text));
        document.base_fact(1, fact)
    }

    #[test]
    fn base_facts_follow_parents_and_registries() {
        assert!(facts_of("ruby:3.3-slim", "gemrc-no-document"));
        assert!(facts_of("docker.io/library/ruby:3@sha256:00", "gem-home"));
        assert!(facts_of("ruby", "gemrc-no-document"));
        assert!(!facts_of("rubylang/ruby:3", "gemrc-no-document"));
        assert!(facts_of("centos:7", "yum3"));
        assert!(facts_of("public.ecr.aws/amazonlinux/amazonlinux:2", "yum3"));
        assert!(!facts_of("amazonlinux:2023", "yum3"));
        assert!(facts_of("amazonlinux:2023", "yum-is-dnf"));
        assert!(facts_of(
            "registry.access.redhat.com/ubi8/ubi-minimal:8.4",
            "yum-is-dnf"
        ));
        assert!(!facts_of("$BASE", "yum3"));
    }
}

/// Where a file in the image came from, as far as the COPY/ADD instructions before a point tell
/// (see [`Document::image_file_source`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageFile {
    /// Copied from the build context: the context-relative path.
    Context(String),
    /// Something may have put it there that dockfix cannot follow: `COPY --from`, a variable
    /// in a path, an archive `ADD` extracts, the JSON form.
    Unknown,
    /// No COPY/ADD before the point puts a file there.
    Absent,
}

/// The image's working directory before the stage sets one: paths under it are written
/// relative to this marker (the base image's WORKDIR is not known).
pub const BASE_WORKDIR: &str = "<base>";

impl Document {
    /// The working directory instruction `index` runs in: the WORKDIRs of its stage and parent
    /// stages joined, relative to [`BASE_WORKDIR`] until one is absolute; `None` when a WORKDIR
    /// uses a variable.
    pub fn workdir(&self, index: usize) -> Option<String> {
        let mut before = self.instructions_before(index);
        before.reverse();
        let mut workdir = BASE_WORKDIR.to_string();
        for i in before {
            let instruction = &self.instructions[i];
            if instruction.keyword == Keyword::Workdir && !instruction.onbuild {
                let dir = instruction.args().trim().trim_matches('"');
                if dir.contains('$') {
                    return None;
                }
                workdir = join_path(&workdir, dir);
            }
        }
        Some(workdir)
    }

    /// Which build-context file the COPY/ADD instructions before `index` (its stage and parent
    /// stages, the latest first) put at `path` (absolute, or under [`BASE_WORKDIR`], as
    /// [`Document::workdir`] writes it). Sources are matched against the context: a directory
    /// source copies its contents, a file or glob source its files by name; `.dockerignore`d
    /// files are not copied. Without a build context every copy is [`ImageFile::Unknown`].
    pub fn image_file_source(&self, index: usize, path: &str) -> ImageFile {
        for i in self.instructions_before(index) {
            let instruction = &self.instructions[i];
            if !matches!(instruction.keyword, Keyword::Copy | Keyword::Add) || instruction.onbuild {
                continue;
            }
            match self.copy_source(i, instruction, path) {
                ImageFile::Absent => continue,
                found => return found,
            }
        }
        ImageFile::Absent
    }

    /// What one COPY/ADD puts at `path`.
    fn copy_source(&self, index: usize, instruction: &Instruction, path: &str) -> ImageFile {
        let words: Vec<String> = if instruction.args().starts_with('[') {
            match serde_json::from_str::<Vec<String>>(instruction.args().trim()) {
                Ok(words) => words,
                Err(_) => return ImageFile::Unknown,
            }
        } else {
            split_words(instruction.args())
                .iter()
                .map(|w| w.trim_matches(['"', '\'']).to_string())
                .collect()
        };
        let Some((dest, sources)) = words.split_last() else {
            return ImageFile::Absent;
        };
        let Some(workdir) = self.workdir(index) else {
            return ImageFile::Unknown;
        };
        let dest_dir = join_path(&workdir, dest);
        // A destination that is the working directory exists: a file goes inside it.
        let as_directory = dest.ends_with('/') || sources.len() > 1 || dest_dir == workdir;
        let relative = if dest_dir == path {
            None
        } else {
            match path.strip_prefix(&format!("{}/", dest_dir.trim_end_matches('/'))) {
                Some(rest) => Some(rest),
                None => return ImageFile::Absent,
            }
        };
        let dynamic = dest.contains('$') || sources.iter().any(|s| s.contains('$'));
        if dynamic || instruction.flag("from").is_some() || instruction.args().starts_with('[') {
            return ImageFile::Unknown;
        }
        let Some(context) = self.context.as_deref() else {
            return ImageFile::Unknown;
        };
        for source in sources {
            if source.contains("://") || source.starts_with("git@") {
                continue;
            }
            let source = source.trim_start_matches("./").trim_end_matches('/');
            let source = if source == "." { "" } else { source };
            if instruction.keyword == Keyword::Add
                && [".tar", ".tgz", ".gz", ".bz2", ".xz", ".zst"]
                    .iter()
                    .any(|ext| source.ends_with(ext))
            {
                return ImageFile::Unknown;
            }
            let literal = !source.contains(['*', '?', '[']);
            let is_dir = literal && (source.is_empty() || context.root().join(source).is_dir());
            let candidate = match (relative, is_dir) {
                // `COPY package.json /app/package.json`: the file itself.
                (None, false) if literal && !as_directory => Some(source.to_string()),
                (None, _) => None,
                (Some(rest), true) => Some(join_context(source, rest)),
                // A file or glob lands in the destination directory under its own name.
                (Some(rest), false) if !rest.contains('/') && (as_directory || !literal) => {
                    let (dir, pattern) = source.rsplit_once('/').unwrap_or(("", source));
                    glob_match(pattern, rest).then(|| join_context(dir, rest))
                }
                (Some(_), false) => None,
            };
            if let Some(candidate) = candidate.filter(|c| context.available(c)) {
                return ImageFile::Context(candidate);
            }
        }
        ImageFile::Absent
    }
}

/// `dir/rest` for context paths (`dir` may be empty: the context root).
fn join_context(dir: &str, rest: &str) -> String {
    if dir.is_empty() {
        rest.to_string()
    } else {
        format!("{dir}/{rest}")
    }
}

/// `base` + `path` with `.`/`..` resolved; an absolute `path` replaces `base`.
pub fn join_path(base: &str, path: &str) -> String {
    let mut parts: Vec<&str> = if path.starts_with('/') {
        vec![""]
    } else {
        base.split('/').collect()
    };
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.len() > 1 {
                    parts.pop();
                }
            }
            _ => parts.push(part),
        }
    }
    if parts == [""] {
        "/".to_string()
    } else {
        parts.join("/")
    }
}

/// `$NAME` / `${NAME}` in a FROM image replaced by a global ARG's literal default (only for
/// telling Windows bases apart; anything else stays as written).
fn expand_global_args(args: &[(String, Option<EnvValue>)], image: &str) -> String {
    let name = image
        .strip_prefix("${")
        .and_then(|rest| rest.strip_suffix('}'))
        .or_else(|| image.strip_prefix('$'));
    let default = name.and_then(|name| {
        args.iter().rev().find_map(|(key, value)| match value {
            Some(EnvValue::Literal(value)) if key == name => Some(value.clone()),
            _ => None,
        })
    });
    default.unwrap_or_else(|| image.to_string())
}

#[cfg(test)]
mod shell_pragma_tests {
    use super::*;

    fn posix(text: &str, hadolint_pragmas: bool) -> Vec<bool> {
        Document::parse_with(Source::new(text.to_string()), hadolint_pragmas)
            .instructions
            .iter()
            .map(|i| i.posix)
            .collect()
    }

    #[test]
    fn a_shell_pragma_holds_for_its_whole_stage_and_child_stages_until_a_shell() {
        let text = "FROM debian AS a\nRUN x\n# hadolint shell=powershell # a reason\nRUN y\nFROM a\nRUN z\nSHELL [\"/bin/bash\", \"-c\"]\nRUN v\nFROM debian\nRUN w\n";
        assert_eq!(
            posix(text, true),
            [false, false, false, false, false, true, true, true, true]
        );
        assert!(posix(text, false).iter().all(|&p| p));
    }

    #[test]
    fn a_shell_pragma_before_the_first_from_is_every_stages_default() {
        let text = "#hadolint   shell = cmd\nFROM a AS one\nRUN x\nFROM b\nRUN y\n";
        assert!(posix(text, true).iter().all(|&p| !p));
    }

    #[test]
    fn a_shell_pragma_right_above_a_later_from_holds_for_that_stage() {
        let text = "FROM a\nRUN x\n# hadolint shell=powershell\nFROM b\nRUN y\nFROM a\nRUN z\n";
        assert_eq!(posix(text, true), [true, true, false, false, true, true]);
    }

    #[test]
    fn a_posix_pragma_overrides_the_default_but_not_a_base_or_a_conflict() {
        let text = "# hadolint shell=pwsh\nFROM linux AS l\n# HADOLINT shell=/bin/bash\nRUN a\nFROM l\n# hadolint shell=bash\nRUN b\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\n# hadolint shell=bash\nRUN c\nFROM linux\n# hadolint shell=bash\n# hadolint shell=cmd\nRUN d\n";
        assert_eq!(
            posix(text, true),
            [true, true, true, true, false, false, false, false]
        );
    }

    #[test]
    fn comments_inside_an_instruction_and_other_words_are_not_shell_pragmas() {
        let text = "FROM a\nRUN x \\\n# hadolint shell=powershell\n  y\n# hadolint ignore=DL3008 shell=cmd\n# hadolintshell=cmd\nRUN z\n";
        assert!(posix(text, true).iter().all(|&p| p));
    }
}
