//! Shared machinery for rules that edit RUN shell text: the editing gates (RULES.md §2), the
//! commands of each RUN, command-line option scanning and cache mounts.

use std::ops::Range;

use crate::document::{Document, EnvValue, Instruction, Keyword, ShellBody, SkipReason};
use crate::fix::{Edit, Finding, Fix};
use crate::shell::{Command, Nesting, Script, Shape, Word};

/// Which stages a rule looks at (RULES.md §0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Only stages that reach the final image (size rules).
    Shipped,
    /// Every stage.
    All,
}

/// A shell command inside a RUN that passed every editing gate.
pub struct RunCommand<'d> {
    /// Index of the RUN in [`Document::instructions`].
    pub index: usize,
    pub instruction: &'d Instruction,
    pub body: &'d ShellBody,
    pub command: &'d Command,
}

impl RunCommand<'_> {
    /// File range of a script range.
    pub fn file_range(&self, range: &Range<usize>) -> Range<usize> {
        self.instruction.script_to_file(self.body, range.start)
            ..self.instruction.script_end_to_file(self.body, range.end)
    }

    /// Insert `text` right after `word`, on the word's own physical line.
    pub fn insert_after(&self, word: &Word, text: &str) -> Edit {
        Edit::insert(
            self.instruction
                .script_end_to_file(self.body, word.range.end),
            text,
        )
    }

    /// A finding on the whole command.
    pub fn finding(&self, code: &'static str, message: impl Into<String>) -> Finding {
        Finding::new(code, self.file_range(&self.command.range), message)
    }
}

/// What a rule sees of the RUNs in its scope.
pub struct RunScan<'d> {
    /// Commands of the RUNs that may be edited.
    pub commands: Vec<RunCommand<'d>>,
    /// RUNs that `mentions` matched but a gate closed, with the reason.
    pub gated: Vec<(&'d Instruction, SkipReason)>,
}

/// Collect the commands of every RUN in `scope` whose logical text or heredoc bodies `mentions`
/// matches (a cheap prefilter that spares the shell parse of unrelated RUNs).
pub fn scan_runs<'d>(
    document: &'d Document,
    scope: Scope,
    mentions: impl Fn(&str) -> bool,
) -> RunScan<'d> {
    let mut scan = RunScan {
        commands: Vec::new(),
        gated: Vec::new(),
    };
    for (index, instruction) in document.instructions.iter().enumerate() {
        if instruction.keyword != Keyword::Run || !in_scope(document, instruction, scope) {
            continue;
        }
        let heredoc_mentions = || {
            instruction
                .logical
                .heredocs
                .iter()
                .any(|heredoc| mentions(&document.text()[heredoc.body.clone()]))
        };
        if !mentions(&instruction.logical.text) && !heredoc_mentions() {
            continue;
        }
        match instruction.editable_shell(document.text()) {
            Ok(body) => scan
                .commands
                .extend(body.script.commands().iter().map(|command| RunCommand {
                    index,
                    instruction,
                    body,
                    command,
                })),
            Err(reason) => scan.gated.push((instruction, reason)),
        }
    }
    scan
}

fn in_scope(document: &Document, instruction: &Instruction, scope: Scope) -> bool {
    match (scope, instruction.stage) {
        (Scope::All, _) => true,
        (Scope::Shipped, Some(stage)) => document.stages[stage].shipped,
        (Scope::Shipped, None) => false,
    }
}

/// A skip finding on a gated instruction.
pub fn gated_finding(
    code: &'static str,
    instruction: &Instruction,
    reason: SkipReason,
    message: &str,
) -> Finding {
    Finding::skip(code, instruction.logical.range.clone(), reason, message)
}

/// Append `command` to the RUN's script so that it runs last, in the file's own style
/// (RULES.md §3 "Append C"): on one physical line ` && C`; with lines that start with an
/// operator ` <esc><EOL><indent>&& C`; with lines ending in `&& <esc>` (or any other
/// multi-line layout) ` && <esc><EOL><indent>C`; with lines ending in `; <esc>` under errexit
/// `; <esc><EOL><indent>C`. A heredoc script under errexit gets a new last line. Fails with
/// `cannot-append` after a background `&` or a last `exit`/`exec`.
pub fn append_command(
    document: &Document,
    instruction: &Instruction,
    body: &ShellBody,
    command: &str,
) -> Result<Edit, SkipReason> {
    let script = &body.script;
    let tail = script.tail().ok_or("cannot-append")?;
    if tail.terminator == Some('&') || matches!(tail.last_command.as_deref(), Some("exit" | "exec"))
    {
        return Err("cannot-append");
    }
    let at = instruction.script_end_to_file(body, tail.end);
    let errexit = script.errexit_before(tail.end);
    if let [heredoc] = instruction.logical.heredocs.as_slice() {
        if errexit {
            let eol = document
                .source
                .line_ending_at(heredoc.body.end.saturating_sub(1));
            return Ok(Edit::insert(heredoc.body.end, format!("{command}{eol}")));
        }
        return Ok(Edit::insert(at, format!(" && {command}")));
    }
    let text = document.text();
    let range = &instruction.logical.range;
    let lines: Vec<&str> = text[range.clone()].lines().collect();
    if lines.len() < 2 {
        return Ok(Edit::insert(at, format!(" && {command}")));
    }
    let escape = char::from(document.directives.escape);
    let eol = document.source.line_ending_at(at);
    // The indentation of the body's last physical line that is not a comment line.
    let indent = lines[1..]
        .iter()
        .rev()
        .find(|line| !line.trim_start().starts_with('#') && !line.trim().is_empty())
        .map_or("    ", |line| &line[..line.len() - line.trim_start().len()]);
    let continued: Vec<&str> = lines[..lines.len() - 1]
        .iter()
        .map(|line| line.trim_end())
        .filter_map(|line| line.strip_suffix(escape))
        .map(str::trim_end)
        .collect();
    let leading_operator = lines[1..].iter().any(|line| {
        let line = line.trim_start();
        line.starts_with("&&") || line.starts_with("||")
    });
    let trailing_semicolon =
        !continued.is_empty() && continued.iter().all(|line| line.ends_with(';')) && errexit;
    let insertion = if leading_operator {
        format!(" {escape}{eol}{indent}&& {command}")
    } else if trailing_semicolon {
        format!("; {escape}{eol}{indent}{command}")
    } else {
        format!(" && {escape}{eol}{indent}{command}")
    };
    Ok(Edit::insert(at, insertion))
}

/// The arguments after `pip` of a pip invocation (`pip`, `pip3`, `pip3.12`, `python[X[.Y]]
/// [options] -m pip`, any path), else `None`.
pub fn pip_arguments(command: &Command) -> Option<&[Word]> {
    let name = command.basename()?;
    if is_versioned(name, "pip") {
        return Some(&command.args);
    }
    if !is_versioned(name, "python") {
        return None;
    }
    let values: Vec<Option<&str>> = command.args.iter().map(|w| w.value.as_deref()).collect();
    let module = values
        .iter()
        .position(|v| matches!(v, Some("-m" | "-mpip")))?;
    match values[module] {
        Some("-mpip") => Some(&command.args[module + 1..]),
        _ if values.get(module + 1) == Some(&Some("pip")) => Some(&command.args[module + 2..]),
        _ => None,
    }
}

/// `pip`, `pip3`, `pip3.12` (or `python`, `python3`, `python3.12`).
fn is_versioned(name: &str, program: &str) -> bool {
    name.strip_prefix(program).is_some_and(|version| {
        version.is_empty()
            || (version.matches('.').count() <= 1
                && version
                    .split('.')
                    .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit())))
    })
}

/// The first operand of a command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operand {
    /// Index into the arguments.
    At(usize),
    /// A non-literal word came first: it may be an option or the operand.
    Dynamic,
    Missing,
}

/// Find the first operand (subcommand) in `args`, skipping options and the separate values of
/// the options listed in `takes_value` (`-o X`, `--option X`).
pub fn first_operand(args: &[Word], takes_value: &[&str]) -> Operand {
    let mut i = 0;
    while let Some(word) = args.get(i) {
        let Some(value) = word.value.as_deref() else {
            return Operand::Dynamic;
        };
        if !value.starts_with('-') || value == "-" {
            return Operand::At(i);
        }
        i += if takes_value.contains(&value) { 2 } else { 1 };
    }
    Operand::Missing
}

/// True when any literal argument is `option` or `option=…`.
pub fn has_option(args: &[Word], option: &str) -> bool {
    has_abbreviated_option(args, option, option.len())
}

/// Like [`has_option`], for programs that accept unambiguous abbreviations of long options
/// (Python's optparse/argparse: pip reads `--no-cache` as `--no-cache-dir`): any prefix of
/// `option` at least `shortest` bytes long counts.
pub fn has_abbreviated_option(args: &[Word], option: &str, shortest: usize) -> bool {
    args.iter().filter_map(|w| w.value.as_deref()).any(|value| {
        let name = value.split_once('=').map_or(value, |(name, _)| name);
        name.len() >= shortest && option.starts_with(name)
    })
}

/// True when a `--mount=type=cache|tmpfs` of the RUN covers one of `cache_dirs` (absolute, or
/// relative to a home directory: `.cache/pip`), per RULES.md §0 "cache-covered". With the home
/// unknown, a target ending in the home-relative path counts.
pub fn cache_covered(instruction: &Instruction, cache_dirs: &[&str]) -> bool {
    instruction
        .flags
        .iter()
        .filter(|flag| flag.name == "mount")
        .filter_map(|flag| flag.value.as_deref())
        .filter_map(cache_mount_target)
        .any(|target| {
            cache_dirs.iter().any(|dir| {
                let absolute = if dir.starts_with('/') {
                    dir.to_string()
                } else {
                    format!("/root/{dir}")
                };
                is_ancestor_or_same(&target, &absolute)
                    || (!dir.starts_with('/') && target.ends_with(&format!("/{dir}")))
            })
        })
}

/// The target of a cache or tmpfs mount (`~` as root's home), trailing slashes removed.
fn cache_mount_target(spec: &str) -> Option<String> {
    let mut kind = "bind";
    let mut target = None;
    for part in spec.split(',') {
        match part.split_once('=') {
            Some(("type", value)) => kind = value,
            Some(("target" | "dst" | "destination", value)) => target = Some(value),
            _ => {}
        }
    }
    if kind != "cache" && kind != "tmpfs" {
        return None;
    }
    let target = target?;
    let target = match target.strip_prefix('~') {
        Some(rest) => format!("/root{rest}"),
        None => target.to_string(),
    };
    Some(target.trim_end_matches('/').to_string())
}

fn is_ancestor_or_same(ancestor: &str, path: &str) -> bool {
    path == ancestor
        || ancestor.is_empty()
        || path
            .strip_prefix(ancestor)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// A variable as the command sees it: its own `VAR=x` / `env VAR=x` prefixes, then a top-level
/// `export` earlier in the script, then ENV/ARG in scope (RULES.md §0 "env in scope").
pub fn environment(document: &Document, run: &RunCommand, name: &str) -> Option<EnvValue> {
    let literal = |value: Option<String>| value.map_or(EnvValue::Dynamic, EnvValue::Literal);
    if let Some((_, word)) = run
        .command
        .assignments
        .iter()
        .rev()
        .find(|(n, _)| n == name)
    {
        return Some(literal(word.value.clone()));
    }
    let exported = run
        .body
        .script
        .exports()
        .into_iter()
        .rev()
        .find(|export| export.end <= run.command.range.start && export.name == name);
    if let Some(export) = exported {
        return Some(literal(export.value));
    }
    document.env_value(run.index, name)
}

/// The commands of one RUN each, in script order (`commands` as [`scan_runs`] returns them).
pub fn commands_by_run<'a, 'd>(
    commands: &'a [RunCommand<'d>],
) -> impl Iterator<Item = &'a [RunCommand<'d>]> {
    commands.chunk_by(|a, b| a.index == b.index)
}

/// The script text that starts the command, through `program` (assignment prefixes, `sudo`, a
/// path prefix): what a command appended for the same tool starts with, so it runs the same
/// binary with the same environment (RULES.md DF140 "prefixes kept"). `None` when a wrapper
/// would change what an appended command does (`xargs` feeds it stdin, `exec` never returns).
pub fn invocation_prefix(run: &RunCommand, program: &Word) -> Option<String> {
    let changes_meaning = |word: &Word| matches!(word.as_str(), Some("xargs" | "exec" | "nohup"));
    if run.command.wrappers.iter().any(changes_meaning) {
        return None;
    }
    let text = run.body.script.text();
    Some(text[run.command.range.start..program.range.end].to_string())
}

/// True when the command is `rm` with a literal operand that deletes one of `dirs` (absolute):
/// the directory, an ancestor, or `dir/*`; brace lists (`/var/cache/{dnf,yum}`) are expanded.
pub fn removes_dir(command: &Command, dirs: &[&str]) -> bool {
    if command.basename() != Some("rm") {
        return false;
    }
    command
        .arg_values()
        .flatten()
        .filter(|value| !value.starts_with('-'))
        .flat_map(expand_braces)
        .any(|operand| {
            let operand = operand.trim_end_matches('/');
            let operand = operand
                .strip_suffix("/*")
                .or_else(|| operand.strip_suffix("/.*"))
                .unwrap_or(operand);
            dirs.iter().any(|dir| is_ancestor_or_same(operand, dir))
        })
}

/// `a{b,c}d` → `abd`, `acd` (one brace list, as package-cache paths use them).
fn expand_braces(word: &str) -> Vec<String> {
    let list = word
        .find('{')
        .and_then(|open| Some((open, open + word[open..].find('}')?)));
    match list {
        Some((open, close)) => word[open + 1..close]
            .split(',')
            .map(|item| format!("{}{item}{}", &word[..open], &word[close + 1..]))
            .collect(),
        None => vec![word.to_string()],
    }
}

/// The last command of one RUN's commands that `is_trigger` accepts, unless a later command of
/// the same RUN is a cleanup (`is_cleanup`): where an append rule fires.
pub fn uncleaned_trigger<'a, 'd>(
    run_commands: &'a [RunCommand<'d>],
    is_trigger: impl Fn(&RunCommand) -> bool,
    is_cleanup: impl Fn(&RunCommand) -> bool,
) -> Option<&'a RunCommand<'d>> {
    let last = run_commands.iter().rposition(is_trigger)?;
    if run_commands[last + 1..].iter().any(is_cleanup) {
        return None;
    }
    Some(&run_commands[last])
}

/// An `rm` of a path (as written, quotes, trailing `/` and `*` aside) ending in one of
/// `suffixes`: a cache directory known by its tail (`~/.npm`, `"$YARN_CACHE_FOLDER"`).
pub fn removes_path_ending(run: &RunCommand, suffixes: &[&str]) -> bool {
    let text = run.body.script.text();
    run.command.basename() == Some("rm")
        && run.command.args.iter().any(|word| {
            let raw = text[word.range.clone()].trim_end_matches(['/', '*', '"', '\'']);
            suffixes.iter().any(|suffix| raw.ends_with(suffix))
        })
}

/// The end every "append the cleanup after the install" rule shares (DF131, DF132, DF140,
/// DF142, DF152): refuse where an unconditional cleanup could fail ([`append_risk`]) or a
/// wrapper changes what the command means, else append `<the trigger's own command words>
/// <cleanup>` to the RUN of the last trigger. `program` is the word the cleanup follows.
pub fn append_cleanup(
    document: &Document,
    triggers: &[&RunCommand],
    last: &RunCommand,
    program: &Word,
    cleanup: &str,
) -> Result<Edit, (SkipReason, &'static str)> {
    if let Some(risk) = append_risk(triggers) {
        return Err(risk);
    }
    let Some(prefix) = invocation_prefix(last, program) else {
        return Err(("wrapper", "a wrapper (xargs, exec) runs the command"));
    };
    append_command(
        document,
        last.instruction,
        last.body,
        &format!("{prefix} {cleanup}"),
    )
    .map_err(|reason| (reason, "a command cannot be appended to this RUN"))
}

/// Why a cleanup appended at the end of a RUN could fail where the `triggers` ran: none of them
/// runs unconditionally (all inside `if`/`case`/loops, or in `$( )`). Appending the tool's own
/// command after a conditional install would break images where the tool is absent.
pub fn append_risk(triggers: &[&RunCommand]) -> Option<(SkipReason, &'static str)> {
    let nestings: Vec<Nesting> = triggers.iter().map(|run| run.command.nesting).collect();
    if nestings
        .iter()
        .any(|n| matches!(n, Nesting::TopLevel | Nesting::ShellString))
    {
        None
    } else if nestings.contains(&Nesting::Compound) {
        Some((
            "conditional",
            "the command runs inside a compound command: an unconditional cleanup after it could fail",
        ))
    } else {
        Some(("nested-shell", "the command runs in a nested shell"))
    }
}

/// apt-get/apt options that take their value as the next word.
pub const APT_OPTIONS_WITH_VALUE: &[&str] = &[
    "-o",
    "--option",
    "-c",
    "--config-file",
    "-t",
    "--target-release",
    "--default-release",
];

/// The subcommand of an `apt-get`/`apt` command (any path), or `None` for other commands.
pub fn apt_subcommand(command: &Command) -> Option<Operand> {
    matches!(command.basename(), Some("apt-get" | "apt"))
        .then(|| first_operand(&command.args, APT_OPTIONS_WITH_VALUE))
}

/// apt's `StringToBool` (apt-pkg/contrib/strutl.cc), case-insensitive: `Some(true)` for
/// `1 yes true with on enable`, `Some(false)` for `0 no false without off disable`.
pub fn apt_bool(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "yes" | "true" | "with" | "on" | "enable" => Some(true),
        "0" | "no" | "false" | "without" | "off" | "disable" => Some(false),
        _ => None,
    }
}

/// The `-o NAME=VALUE` settings of an apt command line, in every spelling (`-o X`, `-oX`,
/// `-o=X`, `--option X`, `--option=X`), as (name lower-cased, value).
pub fn apt_settings(args: &[Word]) -> Vec<(String, String)> {
    let values: Vec<&str> = args.iter().filter_map(|w| w.value.as_deref()).collect();
    let mut out = Vec::new();
    for (i, value) in values.iter().enumerate() {
        let setting = match *value {
            "-o" | "--option" => values.get(i + 1).copied(),
            other => other.strip_prefix("--option=").or_else(|| {
                other
                    .strip_prefix("-o=")
                    .or_else(|| other.strip_prefix("-o"))
            }),
        };
        if let Some((name, value)) = setting.and_then(|s| s.split_once('=')) {
            out.push((name.to_ascii_lowercase(), value.to_string()));
        }
    }
    out
}

/// The command removes one of `paths` (absolute, no trailing slash): `rm` of the path, its
/// `/` or `/*` form, or an ancestor directory given with those forms; or `find PATH … -delete`.
pub fn removes_path(command: &Command, paths: &[&str]) -> bool {
    let operands: Vec<&str> = command
        .args
        .iter()
        .filter_map(|w| w.value.as_deref())
        .filter(|v| !v.starts_with('-'))
        .collect();
    // `dir`, `dir/`, `dir/*` or an ancestor of them; or a glob of the files in `dir`
    // (`/var/lib/apt/lists/*_*`).
    let covers = |operand: &str| {
        let trimmed = operand.trim_end_matches("/*").trim_end_matches('/');
        paths.iter().any(|path| {
            is_ancestor_or_same(trimmed, path)
                || operand
                    .strip_prefix(path)
                    .and_then(|rest| rest.strip_prefix('/'))
                    .is_some_and(|rest| rest.contains('*') && !rest.contains('/'))
        })
    };
    match command.basename() {
        Some("rm") => operands
            .into_iter()
            .any(|operand| !operand.is_empty() && covers(operand)),
        Some("find") => {
            operands.first().is_some_and(|root| covers(root))
                && command.arg_values().any(|v| v == Some("-delete"))
        }
        _ => false,
    }
}

/// The comment lines directly above an instruction (no blank line between), in file order.
pub fn attached_comments<'t>(text: &'t str, instruction: &Instruction) -> Vec<&'t str> {
    let start = instruction.logical.range.start;
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let mut out: Vec<&str> = text[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .take_while(|line| line.starts_with('#'))
        .collect();
    out.reverse();
    out
}

/// The instruction carries its own hadolint or dockfix pragma: moving or deleting it would
/// hand the pragma to another instruction (RULES.md §5 "pragmas keep their scope").
pub fn has_pragma(text: &str, instruction: &Instruction) -> bool {
    attached_comments(text, instruction).iter().any(|line| {
        let line = line.trim_start_matches('#').trim_start();
        line.starts_with("hadolint") || line.starts_with("dockfix:")
    })
}

/// Delete a whole instruction: from the start of its first line (only blanks may precede it)
/// to the end of its last line's line ending.
pub fn delete_instruction(document: &Document, instruction: &Instruction) -> Edit {
    let text = document.text();
    let range = &instruction.logical.range;
    let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let start = if text[line_start..range.start].trim().is_empty() {
        line_start
    } else {
        range.start
    };
    let rest = &text[range.end..];
    let eol = if rest.starts_with("\r\n") {
        2
    } else {
        usize::from(rest.starts_with('\n'))
    };
    Edit {
        range: start..range.end + eol,
        replacement: String::new(),
    }
}

// Layer merges (RULES.md §6), shared by DF001–DF005: when two RUNs may become one, the edits
// that join them, and the commands whose RUN pairs the specific merges own.

/// Why two adjacent RUNs (`a` right before `b`, only blank or comment lines between) can never be
/// one RUN (RULES.md §6 DF001 "Never"): a statistic, not a finding.
pub fn never_merge(document: &Document, a: usize, b: usize) -> Option<SkipReason> {
    let (first, second) = (&document.instructions[a], &document.instructions[b]);
    for run in [first, second] {
        let reason = if run.keyword != Keyword::Run {
            "not-run"
        } else if run.onbuild {
            "onbuild"
        } else if run.opaque {
            "opaque"
        } else if !run.posix {
            "non-posix"
        } else if run.exec_form.is_some() {
            "exec-form"
        } else if !run.logical.heredocs.is_empty() {
            "heredoc"
        } else {
            continue;
        };
        return Some(reason);
    }
    let same_flags = |x: &Instruction, y: &Instruction| x.flags.iter().all(|f| y.flags.contains(f));
    if !same_flags(first, second) || !same_flags(second, first) {
        return Some("different-flags");
    }
    let between = &document.text()[first.logical.range.end..second.logical.range.start];
    if between.lines().any(is_pragma) {
        return Some("pragma-scope");
    }
    if shell_startup(document, b) {
        return Some("shell-startup");
    }
    [first, second]
        .iter()
        .find_map(|run| run.editable_shell(document.text()).err())
}

/// A `# hadolint …` or `# dockfix: …` comment: moving it would change what it applies to.
fn is_pragma(line: &str) -> bool {
    let line = line.trim_start().to_ascii_lowercase();
    line.starts_with('#') && (line.contains("hadolint") || line.contains("dockfix:"))
}

/// The shell reads startup files at every RUN (a login or interactive `SHELL`, `BASH_ENV`,
/// `ENV`): a later RUN would see what an earlier one wrote there, a merged one would not.
fn shell_startup(document: &Document, index: usize) -> bool {
    let shell = document
        .instructions_before(index)
        .into_iter()
        .map(|i| &document.instructions[i])
        .find(|i| i.keyword == Keyword::Shell && !i.onbuild);
    let login = shell
        .and_then(|i| i.exec_form.as_ref())
        .is_some_and(|argv| {
            argv.iter().skip(1).take_while(|a| *a != "-c").any(|arg| {
                arg == "--login"
                    || (arg.starts_with('-') && !arg.starts_with("--") && arg.contains(['l', 'i']))
            })
        });
    login
        || document.env_value(index, "BASH_ENV").is_some()
        || document.env_value(index, "ENV").is_some()
}

/// Commands whose effect on the shell (cwd, variables, options, traps, exit) would reach the
/// next RUN's commands if the two ran in one shell (RULES.md §6 DF001 "Isolation"), plus
/// builtins that assign variables.
const SHELL_STATE: &[&str] = &[
    "cd",
    "pushd",
    "popd",
    "export",
    "unset",
    "set",
    "shopt",
    "umask",
    "ulimit",
    "alias",
    "unalias",
    "trap",
    ".",
    "source",
    "declare",
    "typeset",
    "readonly",
    "local",
    "read",
    "exit",
    "return",
    "exec",
    "eval",
    "builtin",
    "let",
    "shift",
    "getopts",
    "mapfile",
    "readarray",
    "hash",
    "enable",
];

/// The script may change the shell the next script would run in.
fn changes_shell_state(script: &Script) -> bool {
    script.shape().sets_state
        || script
            .commands()
            .iter()
            .filter(|c| matches!(c.nesting, Nesting::TopLevel | Nesting::Compound))
            .any(|c| {
                let name = c.basename().filter(|_| c.name.value.is_some());
                name.is_none_or(|name| SHELL_STATE.contains(&name))
                    || c.wrappers.iter().any(|w| w.as_str() == Some("exec"))
                    || (name == Some("printf") && c.arg_values().any(|a| a == Some("-v")))
            })
}

/// The script replaces the shell binary (`ln -sf /bin/bash /bin/sh`): a later RUN starts the new
/// shell, a merged one would still be parsed by the old one.
fn replaces_shell(script: &Script) -> bool {
    const TOOLS: &[&str] = &[
        "ln",
        "rm",
        "mv",
        "cp",
        "unlink",
        "install",
        "update-alternatives",
        "dpkg-reconfigure",
        "dpkg-divert",
    ];
    const SHELLS: &[&str] = &[
        "/bin/sh",
        "/usr/bin/sh",
        "/bin/bash",
        "/usr/bin/bash",
        "sh",
        "dash",
    ];
    script.commands().iter().any(|c| {
        c.basename().is_some_and(|name| TOOLS.contains(&name))
            && c.arg_values()
                .any(|a| a.is_some_and(|a| SHELLS.contains(&a)))
    })
}

/// Every instruction between `a` and `b` sets only metadata ([`Instruction::only_metadata`])
/// and was read by the grammar, so it may move below a merged RUN (true when there are none).
pub fn only_metadata_between(document: &Document, a: usize, b: usize) -> bool {
    document.instructions[a + 1..b]
        .iter()
        .all(|i| i.only_metadata() && !i.opaque)
}

/// One RUN of a merge, with what the join needs to know.
struct Part<'d> {
    instruction: &'d Instruction,
    /// File offsets of the body's first byte and of the end of its last statement.
    start: usize,
    end: usize,
    /// File offset just after a final `;` that ends the body, if any.
    semicolon_end: Option<usize>,
    shape: Shape,
}

/// Join consecutive RUNs (each pair passing [`never_merge`]) into the first, as RULES.md §6
/// DF001 "Join" and "Layout" say: `&&` between them, `( A )` around a RUN that changes the
/// shell's state for the next, `{ B ; }` (the blank keeps B's last word intact) around a later RUN with a top-level `;`, `&`, newline
/// list or `||`; each later RUN on a new physical line in the file's continuation style, with
/// the comment lines between moved inside the continuation and blank lines removed.
/// Metadata-only instructions between two RUNs (DF001's `merge-across-metadata`) move below
/// the merged RUN, verbatim with the lines above them; the comment lines after them go with
/// the next RUN as usual. Fails with the index of the RUN that cannot be joined and why.
pub fn join_runs(document: &Document, runs: &[usize]) -> Result<Fix, (usize, SkipReason)> {
    let text = document.text();
    let mut parts = Vec::new();
    for (k, &index) in runs.iter().enumerate() {
        if k > 0 && !only_metadata_between(document, runs[k - 1], index) {
            return Err((index, "instruction-between"));
        }
        let instruction = &document.instructions[index];
        let body = instruction
            .editable_shell(text)
            .map_err(|reason| (index, reason))?;
        let tail = body.script.tail().ok_or((index, "empty-run"))?;
        let shape = body.script.shape();
        if shape.background {
            return Err((index, "background-job"));
        }
        if shape.comment {
            return Err((index, "trailing-comment"));
        }
        if k + 1 < runs.len() && replaces_shell(&body.script) {
            return Err((index, "replaces-shell"));
        }
        let script = body.script.text();
        let semicolon_end = (tail.terminator == Some(';'))
            .then(|| tail.end + script[tail.end..].find(';').unwrap_or(0) + 1)
            .map(|end| instruction.script_end_to_file(body, end));
        parts.push(Part {
            instruction,
            start: instruction.script_to_file(body, 0),
            end: instruction.script_end_to_file(body, tail.end),
            semicolon_end,
            shape,
        });
    }
    let wrappers: Vec<(&str, &str)> = parts
        .iter()
        .enumerate()
        .map(|(k, part)| {
            let body = part.instruction.editable_shell(text).ok();
            let isolate =
                k + 1 < parts.len() && body.is_some_and(|b| changes_shell_state(&b.script));
            if isolate {
                ("( ", " )")
            } else if k > 0 && (part.shape.statements > 1 || part.shape.or_list) {
                ("{ ", " ; }")
            } else {
                ("", "")
            }
        })
        .collect();
    let (leading, indent) = continuation_style(document, runs);
    let escape = char::from(document.directives.escape);
    let mut edits = Vec::new();
    if !wrappers[0].0.is_empty() {
        edits.push(Edit::insert(parts[0].start, wrappers[0].0));
    }
    let mut moved = String::new();
    for k in 1..parts.len() {
        let (a, b) = (&parts[k - 1], &parts[k]);
        let eol = document.source.line_ending_at(a.end);
        let mut between = a.instruction.logical.range.end;
        if runs[k] > runs[k - 1] + 1 {
            let metadata_end = document.instructions[runs[k] - 1].logical.range.end;
            moved.push_str(&text[between..metadata_end]);
            between = metadata_end;
        }
        let comments: String = text[between..b.instruction.logical.range.start]
            .lines()
            .filter(|line| line.trim_start().starts_with('#'))
            .map(|line| format!("{}{eol}", comment_line(line)))
            .collect();
        let join = if leading {
            format!(" {escape}{eol}{comments}{indent}&& ")
        } else {
            format!(" && {escape}{eol}{comments}{indent}")
        };
        edits.push(Edit {
            range: a.end..b.start,
            replacement: format!("{}{join}{}", wrappers[k - 1].1, wrappers[k].0),
        });
    }
    let last = &parts[parts.len() - 1];
    match (wrappers[parts.len() - 1].1, last.semicolon_end) {
        ("", _) => {}
        // `b;` → `{ b; }`, not `{ b ; };`
        (" ; }", Some(end)) => edits.push(Edit::insert(end, " }")),
        (suffix, _) => edits.push(Edit::insert(last.end, suffix)),
    }
    let joined = parts[0].instruction.logical.range.start..last.instruction.logical.range.end;
    if !joined_script_parses(document, &edits, joined, parts[0].instruction) {
        return Err((runs[0], "merged-syntax"));
    }
    if !moved.is_empty() {
        // After the suffix: same-offset insertions are spliced in the order given.
        edits.push(Edit::insert(last.instruction.logical.range.end, moved));
    }
    Ok(Fix::safe(edits).removing_instructions(runs.len() - 1))
}

/// Whether the shell can read the script of the RUN that `edits` (all inside `joined`, the file
/// range from the first RUN's keyword to the end of the last) make of the joined RUNs:
/// tree-sitter-bash reads some scripts alone and not joined (`echo { ; }.` after `&&`), and a
/// merge it cannot read back would be rolled back. The parse is the one the next round needs
/// (scripts are cached by text).
fn joined_script_parses(
    document: &Document,
    edits: &[Edit],
    joined: Range<usize>,
    first: &Instruction,
) -> bool {
    let shifted: Vec<Edit> = edits
        .iter()
        .map(|edit| Edit {
            range: edit.range.start - joined.start..edit.range.end - joined.start,
            replacement: edit.replacement.clone(),
        })
        .collect();
    let excerpt = crate::fix::splice(
        &document.text()[joined],
        &shifted.iter().collect::<Vec<_>>(),
    );
    // The excerpt lacks the file's directives: with another escape character, put it back.
    let excerpt = match document.directives.escape {
        b'\\' => excerpt,
        escape => format!("# escape={}\n{excerpt}", char::from(escape)),
    };
    let (_, instructions) = crate::logical::split(&excerpt);
    // Every edit is after the first RUN's flags, so the joined RUN has the same flags.
    instructions
        .first()
        .and_then(|merged| merged.text.get(first.args_offset..))
        .is_some_and(|script| crate::document::parsed_script(script).is_ok())
}

/// Whether continued RUN lines start with the operator (`    && b`) or end with it (`a && \`),
/// and their indentation: from the merged RUNs if they are continued, else from the file's
/// other RUNs, else leading operators indented by four spaces.
fn continuation_style(document: &Document, runs: &[usize]) -> (bool, String) {
    let text = document.text();
    let escape = char::from(document.directives.escape);
    let style = |indices: &mut dyn Iterator<Item = usize>| -> Option<(bool, String)> {
        let (mut leading, mut trailing, mut indent) = (0, 0, None);
        for index in indices {
            let run = &document.instructions[index];
            if run.keyword != Keyword::Run || !run.logical.heredocs.is_empty() {
                continue;
            }
            let lines: Vec<&str> = text[run.logical.range.clone()].lines().collect();
            for line in lines.iter().skip(1) {
                let code = line.trim_start();
                if code.is_empty() || code.starts_with('#') {
                    continue;
                }
                indent.get_or_insert_with(|| line[..line.len() - code.len()].to_string());
                leading += usize::from(code.starts_with("&&") || code.starts_with("||"));
            }
            for line in lines.iter().take(lines.len().saturating_sub(1)) {
                let continued = line.trim_end().strip_suffix(escape).map(str::trim_end);
                trailing +=
                    usize::from(continued.is_some_and(|l| l.ends_with("&&") || l.ends_with(';')));
            }
        }
        (leading + trailing > 0).then(|| (leading >= trailing, indent.unwrap_or_default()))
    };
    style(&mut runs.iter().copied())
        .or_else(|| {
            let all = || style(&mut (0..document.instructions.len()));
            document.continuation_style.get_or_init(all).clone()
        })
        .unwrap_or_else(|| (true, "    ".to_string()))
}

/// The tools whose files a RUN of cleanup commands only clears (RULES.md §6 DF002; empty when it
/// only runs `rm` on absolute paths); `None` when some command is not a cleanup. A cleanup
/// whose paths are not literal and absolute fails with `dynamic-path`.
pub fn cleanup_tools(script: &Script) -> Option<Result<Vec<&'static str>, SkipReason>> {
    let commands = script.commands();
    if commands.is_empty() {
        return None;
    }
    let mut tools = Vec::new();
    let mut dynamic = false;
    for command in commands {
        match cleanup_tool(command)? {
            Ok(Some(tool)) if !tools.contains(&tool) => tools.push(tool),
            Ok(_) => {}
            Err(_) => dynamic = true,
        }
    }
    Some(if dynamic {
        Err("dynamic-path")
    } else {
        Ok(tools)
    })
}

/// A cleanup command's tool (`None` for `rm`, `true`, `:`), or `None` when it is not one.
fn cleanup_tool(command: &Command) -> Option<Result<Option<&'static str>, SkipReason>> {
    let name = command.basename()?;
    let args: Vec<Option<&str>> = command.arg_values().collect();
    let operand = match first_operand(&command.args, &[]) {
        Operand::At(i) => args[i],
        _ => None,
    };
    let has = |word: &str| args.contains(&Some(word));
    let tool = match name {
        "true" | ":" if args.is_empty() => None,
        "rm" => return Some(rm_paths(&args)),
        "apt-get" | "apt" if matches!(operand, Some("clean" | "autoclean")) => Some("apt"),
        "yum" if operand == Some("clean") && has("all") => Some("yum"),
        "dnf" if operand == Some("clean") && has("all") => Some("dnf"),
        "microdnf" if operand == Some("clean") && has("all") => Some("microdnf"),
        "zypper" if matches!(operand, Some("clean" | "cc")) => Some("zypper"),
        "npm" if operand == Some("cache") && has("clean") && has("--force") => Some("npm"),
        "yarn" if operand == Some("cache") && has("clean") => Some("yarn"),
        "composer" if matches!(operand, Some("clear-cache" | "clearcache" | "cc")) => {
            Some("composer")
        }
        _ if is_pip(name) && operand == Some("cache") && has("purge") => Some("pip"),
        _ => return None,
    };
    Some(Ok(tool))
}

/// `rm` with recursive/force/verbose options only, and literal absolute operands.
fn rm_paths(args: &[Option<&str>]) -> Result<Option<&'static str>, SkipReason> {
    let mut operands = 0;
    for arg in args {
        let Some(arg) = arg else {
            return Err("dynamic-path");
        };
        match arg.strip_prefix('-') {
            Some("-") => {}
            Some(long) if long.starts_with('-') => {
                if !["-recursive", "-force", "-verbose"].contains(&long) {
                    return Err("rm-options");
                }
            }
            Some(short) if !short.is_empty() => {
                if !short.chars().all(|c| "rRfv".contains(c)) {
                    return Err("rm-options");
                }
            }
            _ if arg.starts_with('/') => operands += 1,
            _ => return Err("dynamic-path"),
        }
    }
    if operands == 0 {
        return Err("dynamic-path");
    }
    Ok(None)
}

fn is_pip(name: &str) -> bool {
    name.strip_prefix("pip")
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// True when the script runs `tool` (a name from [`cleanup_tools`]) or, for `None`, anything.
pub fn uses_tool(script: &Script, tool: &str) -> bool {
    script.commands().iter().any(|command| {
        let Some(name) = command.basename() else {
            return false;
        };
        match tool {
            "apt" => matches!(name, "apt-get" | "apt" | "aptitude" | "dpkg"),
            "pip" => {
                is_pip(name)
                    || (name.starts_with("python")
                        && command.arg_values().any(|a| a == Some("pip")))
            }
            _ => name == tool,
        }
    })
}

/// What a command does with an archive file (RULES.md §6 DF003–DF005).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveAction {
    /// `curl -o F`, `curl -O URL`, `wget URL`, `wget -O F`.
    Download,
    /// `tar x…f F`, `unzip F` (keep F), `gunzip F` (removes F unless `-k`/`-c`).
    Extract { keeps: bool, tar: bool },
    /// `rm F`.
    Remove,
}

/// One archive file a command names, as a path (the literal value, or the text as written).
#[derive(Debug, Clone)]
pub struct ArchiveUse {
    pub action: ArchiveAction,
    pub path: String,
    /// The path as written in the script.
    pub word: Range<usize>,
    pub literal: bool,
    pub command: Command,
}

/// The archive files the script's commands download, extract or remove, in order. Commands in
/// substitutions are left out (their output is not a file the layer keeps).
pub fn archive_uses(script: &Script) -> Vec<ArchiveUse> {
    let mut out = Vec::new();
    for command in script.commands() {
        if command.nesting == Nesting::Substitution {
            continue;
        }
        let found: Vec<(ArchiveAction, &Word)> = match command.basename() {
            Some("curl") => curl_output(&command.args)
                .map(|w| (ArchiveAction::Download, w))
                .into_iter()
                .collect(),
            Some("wget") => wget_output(&command.args)
                .map(|w| (ArchiveAction::Download, w))
                .into_iter()
                .collect(),
            Some("tar") => tar_file(&command.args)
                .map(|w| {
                    (
                        ArchiveAction::Extract {
                            keeps: true,
                            tar: true,
                        },
                        w,
                    )
                })
                .into_iter()
                .collect(),
            Some("unzip") => operands(&command.args, &["-d", "-P"])
                .into_iter()
                .take(1)
                .map(|w| {
                    (
                        ArchiveAction::Extract {
                            keeps: true,
                            tar: false,
                        },
                        w,
                    )
                })
                .collect(),
            Some(name @ ("gunzip" | "gzip")) => {
                let has = |o: &str| has_option(&command.args, o);
                let decompress = name == "gunzip" || has("-d") || has("--decompress");
                let keeps = has("-k") || has("--keep") || has("-c") || has("--stdout");
                let cluster = command.arg_values().flatten().any(|a| {
                    a.starts_with('-')
                        && !a.starts_with("--")
                        && (a.contains('d') || a.contains('k') || a.contains('c'))
                });
                if decompress || cluster {
                    operands(&command.args, &[])
                        .into_iter()
                        .map(|w| {
                            (
                                ArchiveAction::Extract {
                                    keeps: keeps || cluster,
                                    tar: false,
                                },
                                w,
                            )
                        })
                        .collect()
                } else {
                    Vec::new()
                }
            }
            Some("rm") => operands(&command.args, &[])
                .into_iter()
                .map(|w| (ArchiveAction::Remove, w))
                .collect(),
            _ => Vec::new(),
        };
        for (action, word) in found {
            let literal = word.value.is_some();
            let path = word
                .value
                .clone()
                .unwrap_or_else(|| script.text()[word.range.clone()].to_string());
            if path == "-" {
                continue;
            }
            // `curl -O URL`, `wget URL`: the file is the URL's last path segment, in the cwd.
            let path = match path.split_once("://") {
                Some((_, rest)) => rest.rsplit('/').next().unwrap_or(rest).to_string(),
                None => path,
            };
            out.push(ArchiveUse {
                action,
                path,
                word: word.range.clone(),
                literal,
                command: command.clone(),
            });
        }
    }
    out
}

/// Arguments that are not options (nor the values of `takes_value` options).
fn operands<'w>(args: &'w [Word], takes_value: &[&str]) -> Vec<&'w Word> {
    let mut out = Vec::new();
    let mut words = args.iter();
    let mut options = true;
    while let Some(word) = words.next() {
        match word.as_str() {
            Some("--") if options => options = false,
            Some(value) if options && takes_value.contains(&value) => {
                words.next();
            }
            Some(value) if options && value.starts_with('-') && value != "-" => {}
            _ => out.push(word),
        }
    }
    out
}

/// The file `curl` writes: `-o F` (also in a cluster, `-sSLo F`, `--output F`), or with `-O`
/// the URL's last path segment (in `--output-dir`). A `-` or a URL with a query gives none.
fn curl_output(args: &[Word]) -> Option<&Word> {
    const VALUE: &str = "HdAeXwxTrmbcKEFCYyzUPQtu";
    let mut remote = false;
    let mut i = 0;
    while let Some(word) = args.get(i) {
        i += 1;
        let Some(value) = word.as_str() else { continue };
        if value == "--output" {
            return args.get(i);
        }
        if matches!(value, "--remote-name" | "--remote-name-all") {
            remote = true;
        } else if value.starts_with("--") {
            if CURL_LONG_VALUE.contains(&value) {
                i += 1;
            }
        } else if let Some(cluster) = value.strip_prefix('-') {
            for (at, c) in cluster.char_indices() {
                if c == 'o' {
                    return (at + 1 == cluster.len()).then(|| args.get(i)).flatten();
                }
                remote |= c == 'O';
                if VALUE.contains(c) {
                    i += usize::from(at + 1 == cluster.len());
                    break;
                }
            }
        }
    }
    let has_output_dir = args.iter().any(|w| w.as_str() == Some("--output-dir"));
    (remote && !has_output_dir)
        .then(|| url_word(args))
        .flatten()
}

/// curl's long options that take their value as the next word (those common in Dockerfiles).
const CURL_LONG_VALUE: &[&str] = &[
    "--header",
    "--data",
    "--data-raw",
    "--data-binary",
    "--user",
    "--user-agent",
    "--retry",
    "--retry-delay",
    "--retry-max-time",
    "--max-time",
    "--connect-timeout",
    "--request",
    "--proto",
    "--cacert",
    "--cert",
    "--config",
    "--form",
    "--referer",
    "--url",
    "--output-dir",
    "--write-out",
    "--proxy",
    "--resolve",
    "--limit-rate",
];

/// The file `wget` writes: `-O F` (`-qO F`, `--output-document=F`), else the URL's last path
/// segment when no `-P` directory or query is involved.
fn wget_output(args: &[Word]) -> Option<&Word> {
    let mut i = 0;
    while let Some(word) = args.get(i) {
        i += 1;
        let Some(value) = word.as_str() else { continue };
        if value == "--output-document" {
            return args.get(i);
        }
        if value.starts_with("--output-document=") || value.starts_with("--directory-prefix") {
            return None;
        }
        if let Some(cluster) = value.strip_prefix('-').filter(|c| !c.starts_with('-')) {
            if let Some(at) = cluster.find(['O', 'P', 'o', 'a', 'e', 't', 'T', 'w', 'U']) {
                let option = cluster.as_bytes()[at];
                if at + 1 != cluster.len() {
                    return None;
                }
                match option {
                    b'O' => return args.get(i),
                    b'P' => return None,
                    _ => i += 1,
                }
            }
        }
    }
    url_word(args)
}

/// The single URL argument when its last path segment names the downloaded file literally.
fn url_word(args: &[Word]) -> Option<&Word> {
    let mut urls = args
        .iter()
        .filter(|w| w.as_str().is_some_and(|v| v.contains("://")));
    let url = urls.next()?;
    if urls.next().is_some() {
        return None;
    }
    let value = url.as_str()?;
    (!value.contains(['?', '#']) && !value.ends_with('/')).then_some(url)
}

/// The archive `tar` extracts: an `x` mode (`xzf`, `-xzf`, `--extract`, `--get`) and the file of
/// `f` (`xzf F`, `-xf F`, `-f F`, `--file F`, `--file=F`).
fn tar_file(args: &[Word]) -> Option<&Word> {
    let values: Vec<Option<&str>> = args.iter().map(Word::as_str).collect();
    let mut extract = false;
    let mut file = None;
    let mut i = 0;
    while let Some(value) = values.get(i) {
        i += 1;
        let Some(value) = value else { continue };
        let old_style =
            i == 1 && !value.starts_with('-') && value.chars().all(|c| c.is_ascii_alphabetic());
        if value.starts_with("--") {
            extract |= matches!(*value, "--extract" | "--get");
            if *value == "--file" {
                file = args.get(i);
                i += 1;
            } else if matches!(
                *value,
                "--directory" | "--exclude" | "--transform" | "--strip-components"
            ) {
                i += 1;
            }
        } else if let Some(cluster) = value.strip_prefix('-').or(old_style.then_some(*value)) {
            extract |= cluster.contains('x');
            if let Some(at) = cluster.find('f') {
                file = if at + 1 == cluster.len() {
                    args.get(i)
                } else {
                    None
                };
                i += 1;
            } else if cluster == "C" {
                i += 1;
            }
        }
    }
    extract.then_some(file).flatten()
}

/// The first later RUN of the stage that extracts a file named `file_name` (the last path
/// segment; `tar_only`: with tar): its index and whether that RUN also removes the file.
pub fn later_extract(
    document: &Document,
    index: usize,
    file_name: &str,
    tar_only: bool,
) -> Option<(usize, bool)> {
    let stage = document.instructions[index].stage;
    let name_of = |path: &str| path.rsplit('/').next().unwrap_or(path).to_string();
    document.instructions[index + 1..]
        .iter()
        .enumerate()
        .take_while(|(_, i)| i.stage == stage)
        .filter(|(_, i)| i.keyword == Keyword::Run && i.logical.text.contains(file_name))
        .find_map(|(offset, i)| {
            let uses = archive_uses(&i.editable_shell(document.text()).ok()?.script);
            let extracts = uses.iter().any(|u| {
                name_of(&u.path) == file_name
                    && matches!(u.action, ArchiveAction::Extract { tar, .. } if tar || !tar_only)
            });
            let removes = uses
                .iter()
                .any(|u| name_of(&u.path) == file_name && u.action == ArchiveAction::Remove);
            extracts.then_some((index + 1 + offset, removes))
        })
}

/// True when `rm pattern` deletes `path`: the same path, an ancestor directory, or a glob
/// (`*`, `?`) matching it (`rm -rf /tmp/icu*` deletes `/tmp/icu.tar.gz`).
pub fn removes(pattern: &str, path: &str) -> bool {
    let pattern = pattern.trim_end_matches('/');
    path == pattern
        || path
            .strip_prefix(pattern)
            .is_some_and(|rest| rest.starts_with('/'))
        || glob_matches(pattern.as_bytes(), path.as_bytes())
}

/// A shell pattern with `*` and `?` (neither crossing `/`) matches `text`.
pub fn matches_glob(pattern: &str, text: &str) -> bool {
    glob_matches(pattern.as_bytes(), text.as_bytes())
}

fn glob_matches(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => (0..=text.len())
            .filter(|&skip| !text[..skip].contains(&b'/'))
            .any(|skip| glob_matches(rest, &text[skip..])),
        Some((&c, rest)) => text.split_first().is_some_and(|(&t, tail)| {
            (c == b'?' && t != b'/' || c == t) && glob_matches(rest, tail)
        }),
    }
}

/// `keyword` written in the case style of `original` (`ADD` → `COPY`, `add` → `copy`, `Add` →
/// `Copy`): a keyword swap keeps the file's style.
pub fn keyword_like(original: &str, keyword: &str) -> String {
    if original.chars().all(|c| c.is_ascii_lowercase()) {
        keyword.to_ascii_lowercase()
    } else if original.chars().skip(1).all(|c| c.is_ascii_lowercase()) {
        let lower = keyword.to_ascii_lowercase();
        let mut chars = lower.chars();
        chars
            .next()
            .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
            .unwrap_or_default()
    } else {
        keyword.to_ascii_uppercase()
    }
}

/// The user the final stage runs as, when a USER instruction sets one other than root (its
/// stage or a stage it builds on; the last one counts): `None` means root, or the base's user.
pub fn final_user(document: &Document) -> Option<String> {
    let stage = document.stages.len().checked_sub(1)?;
    let user = document
        .stage_chain(stage)
        .into_iter()
        .rev()
        .map(|i| &document.instructions[i])
        .find(|i| i.keyword == Keyword::User)?
        .args()
        .trim()
        .to_string();
    let name = user.split(':').next().unwrap_or_default();
    (!matches!(name, "root" | "0" | "")).then_some(user)
}

/// A comment line moved inside a continuation, without its line ending. Docker counts any
/// Unicode whitespace before the `#` (a stray `\r`, a no-break space), the grammar only blanks
/// and tabs: other leading whitespace is dropped so the merged RUN still parses (fuzzing found
/// `\r# note` between two RUNs).
fn comment_line(line: &str) -> &str {
    let line = line.trim_end_matches('\r');
    let comment = line.trim_start();
    let indent = &line[..line.len() - comment.len()];
    if indent.bytes().all(|b| b == b' ' || b == b'\t') {
        line
    } else {
        comment
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(values: &[Option<&str>]) -> Vec<Word> {
        values
            .iter()
            .map(|value| Word {
                range: 0..0,
                value: value.map(str::to_string),
            })
            .collect()
    }

    #[test]
    fn first_operand_skips_options_and_their_values() {
        let args = words(&[Some("-o"), Some("Debug::x=1"), Some("-qq"), Some("install")]);
        assert_eq!(first_operand(&args, &["-o"]), Operand::At(3));
        assert_eq!(
            first_operand(&words(&[None, Some("install")]), &[]),
            Operand::Dynamic
        );
        assert_eq!(first_operand(&words(&[Some("-y")]), &[]), Operand::Missing);
    }

    #[test]
    fn has_option_matches_bare_and_valued_forms() {
        let args = words(&[Some("--no-cache-dir=1"), None]);
        assert!(has_option(&args, "--no-cache-dir"));
        assert!(!has_option(&args, "--no-cache"));
        let abbreviated = words(&[Some("--no-cache")]);
        assert!(has_abbreviated_option(&abbreviated, "--no-cache-dir", 7));
        assert!(!has_abbreviated_option(
            &words(&[Some("--no-c")]),
            "--no-cache-dir",
            7
        ));
    }

    #[test]
    fn cache_mount_targets() {
        assert_eq!(
            cache_mount_target("type=cache,target=/root/.cache/pip/"),
            Some("/root/.cache/pip".to_string())
        );
        assert_eq!(
            cache_mount_target("type=cache,dst=~/.cache"),
            Some("/root/.cache".to_string())
        );
        assert_eq!(cache_mount_target("type=bind,target=/x"), None);
        assert_eq!(cache_mount_target("type=secret,id=x"), None);
        assert!(is_ancestor_or_same("/root", "/root/.cache/pip"));
        assert!(!is_ancestor_or_same("/ro", "/root/.cache/pip"));
    }

    /// Append `C` to the single RUN of a Dockerfile.
    fn appended(dockerfile: &str) -> Result<String, SkipReason> {
        let document = Document::parse(crate::source::Source::new(dockerfile.to_string()));
        let run = document
            .instructions
            .iter()
            .find(|i| i.keyword == Keyword::Run)
            .unwrap();
        let body = run.editable_shell(document.text())?;
        let edit = append_command(&document, run, body, "C")?;
        Ok(crate::fix::splice(document.text(), &[&edit]))
    }

    #[test]
    fn append_follows_the_file_style() {
        let cases = [
            ("RUN a && b # note\n", "RUN a && b && C # note\n"),
            ("RUN a;\n", "RUN a && C;\n"),
            ("RUN a \\\n    && b\n", "RUN a \\\n    && b \\\n    && C\n"),
            (
                "RUN a && \\\r\n\tb\r\n",
                "RUN a && \\\r\n\tb && \\\r\n\tC\r\n",
            ),
            (
                "RUN set -e; \\\n  a; \\\n  b\n",
                "RUN set -e; \\\n  a; \\\n  b; \\\n  C\n",
            ),
            ("RUN a; \\\n  b\n", "RUN a; \\\n  b && \\\n  C\n"),
            (
                "RUN <<EOF\nset -e\na\nEOF\n",
                "RUN <<EOF\nset -e\na\nC\nEOF\n",
            ),
            ("RUN <<EOF\na\nEOF\n", "RUN <<EOF\na && C\nEOF\n"),
        ];
        for (before, after) in cases {
            let dockerfile = format!("FROM a\n{before}");
            assert_eq!(
                appended(&dockerfile).as_deref(),
                Ok(format!("FROM a\n{after}").as_str()),
                "{before:?}"
            );
        }
    }

    #[test]
    fn append_uses_the_escape_directive() {
        assert_eq!(
            appended("# escape=`\nFROM a\nRUN a `\n  && b\n").as_deref(),
            Ok("# escape=`\nFROM a\nRUN a `\n  && b `\n  && C\n")
        );
    }

    #[test]
    fn append_refuses_after_background_job_or_exit() {
        assert_eq!(appended("FROM a\nRUN a &\n"), Err("cannot-append"));
        assert_eq!(appended("FROM a\nRUN a || exit 1\n"), Err("cannot-append"));
        assert_eq!(appended("FROM a\nRUN exec a\n"), Err("cannot-append"));
    }

    #[test]
    fn pip_and_python_names() {
        for name in ["pip", "pip3", "pip3.12"] {
            assert!(is_versioned(name, "pip"), "{name}");
        }
        for name in ["pipx", "pipenv", "pip3.", "pip.3", "pip3.1.2"] {
            assert!(!is_versioned(name, "pip"), "{name}");
        }
        assert!(is_versioned("python3.11", "python"));
        assert!(!is_versioned("python-config", "python"));
    }

    #[test]
    fn removes_dir_reads_rm_operands() {
        let script = crate::shell::Script::parse(
            "rm -rf /var/cache/{dnf,yum} && rm -f /var/cache/zypp/* && rm -rf /var && ls /var",
        );
        let commands = script.commands();
        assert!(removes_dir(&commands[0], &["/var/cache/yum"]));
        assert!(!removes_dir(&commands[0], &["/var/cache/libdnf5"]));
        assert!(removes_dir(&commands[1], &["/var/cache/zypp"]));
        assert!(removes_dir(&commands[2], &["/var/cache/zypp"]));
        assert!(!removes_dir(&commands[3], &["/var"]));
    }

    #[test]
    fn removal_patterns() {
        assert!(removes("/tmp/icu*", "/tmp/icu.tar.gz"));
        assert!(removes("/tmp/", "/tmp/x.tgz"));
        assert!(removes("git-lfs*", "git-lfs.tgz"));
        assert!(removes("/tmp/*.tgz", "/tmp/x.tgz"));
        assert!(!removes("/tmp/*.zip", "/tmp/x.tgz"));
        assert!(!removes("/tmp/x", "/tmp/x.tgz"));
    }
}
