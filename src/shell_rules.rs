//! Shared machinery for rules that edit RUN shell text: the editing gates (RULES.md §2), the
//! commands of each RUN, command-line option scanning and cache mounts.

use std::ops::Range;

use crate::document::{Document, EnvValue, Instruction, Keyword, ShellBody, SkipReason};
use crate::fix::{Edit, Finding};
use crate::shell::{Command, Nesting, Word};

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
    pub command: Command,
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
            Ok(body) => {
                scan.commands.extend(
                    body.script
                        .commands()
                        .into_iter()
                        .map(|command| RunCommand {
                            index,
                            instruction,
                            body,
                            command,
                        }),
                )
            }
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
}
