//! DF401 `cmd-exec-form` · Safe (CMD) / Unsafe (ENTRYPOINT) · all stages · hadolint DL3025
//!
//! **What it does.** Rewrites a shell-form `CMD` that uses no shell feature into exec form:
//! `CMD node "server.js" --port 80` → `CMD ["node", "server.js", "--port", "80"]` (the words
//! after quote removal, JSON-escaped). Shell-form `ENTRYPOINT` gets the same fix as Unsafe; a
//! shell form that needs the shell is reported without a fix.
//!
//! **Why.** In shell form `/bin/sh -c` is PID 1: `docker stop` sends SIGTERM to the shell,
//! which does not pass it on, so the program is killed after the timeout instead of shutting
//! down cleanly. In exec form the program is PID 1 and gets the signal itself.
//!
//! **When it is safe.** No shell feature: no `$`, backquote, glob (`* ? [`), `~`, redirection,
//! pipe, `&& || ; &`, parentheses, `#`, assignment prefix, shell builtin or keyword as the
//! program (`exec`, `cd`, `if` …), backslashes only before a blank or quote. The default SHELL
//! (a SHELL instruction changes what shell form runs). No ENTRYPOINT in the stage (or the stages
//! it builds on) and a base whose ENTRYPOINT is empty or runs its arguments as given (base fact
//! `entrypoint-pass-through`): an entrypoint script may act on its first argument, which is
//! `/bin/sh` in shell form and the program in exec form.
//!
//! **Fix safety.** CMD: Safe — the same program with the same arguments, minus the shell. An
//! ENTRYPOINT: Unsafe — in shell form it ignores CMD and `docker run` arguments, in exec form
//! they are appended, so an image with a CMD (its own or the base's) runs another command line.
//!
//! **Skips** (shown with `--show-skipped`): `entrypoint` (an ENTRYPOINT in the stage);
//! `base-entrypoint` (the base's entrypoint is not known to pass arguments through); `shell`
//! (a SHELL instruction); `multi-line` (continuation lines); `onbuild`; `opaque`; `non-posix`.

use crate::config::Settings;
use crate::document::{Document, Instruction, Keyword};
use crate::fix::{Edit, Finding, Fix};

const CODE: &str = "DF401";

/// Programs that are shell builtins or keywords: `sh -c` runs them, exec form cannot.
const BUILTINS: &[&str] = &[
    ".", ":", "alias", "bg", "break", "case", "cd", "command", "continue", "declare", "do", "done",
    "elif", "else", "esac", "eval", "exec", "exit", "export", "fg", "fi", "for", "function",
    "getopts", "hash", "if", "jobs", "local", "read", "readonly", "return", "select", "set",
    "shift", "source", "then", "time", "times", "trap", "type", "typeset", "ulimit", "umask",
    "unalias", "unset", "until", "wait", "while", "{", "}", "!", "[[",
];

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (index, instruction) in document.instructions.iter().enumerate() {
        let entrypoint = match instruction.keyword {
            Keyword::Cmd => false,
            Keyword::Entrypoint => true,
            _ => continue,
        };
        if instruction.exec_form.is_some() || instruction.args().trim().is_empty() {
            continue;
        }
        let keyword = if entrypoint { "ENTRYPOINT" } else { "CMD" };
        let message = format!(
            "shell-form {keyword}: `/bin/sh -c` is PID 1 and does not pass SIGTERM on; exec form runs the program itself"
        );
        let range = instruction.logical.range.clone();
        let Some(words) = plain_words(instruction.args(), document.directives.escape) else {
            findings.push(Finding::new(
                CODE,
                range,
                format!(
                    "{message} (the command uses the shell: use exec form with `exec` or a script)"
                ),
            ));
            continue;
        };
        if let Some(reason) = gate(document, index, instruction, entrypoint) {
            findings.push(Finding::skip(CODE, range, reason, &message));
            continue;
        }
        let json: Vec<String> = words
            .iter()
            .map(|word| serde_json::to_string(word).expect("strings serialize"))
            .collect();
        let start = instruction.logical.map.to_file(instruction.args_offset);
        let edit = Edit {
            range: start..instruction.logical.range.end,
            replacement: format!("[{}]", json.join(", ")),
        };
        let fix = if entrypoint {
            Fix::unsafe_because(
                vec![edit],
                "in exec form the ENTRYPOINT receives CMD and `docker run` arguments, which shell form ignored",
            )
        } else {
            Fix::safe(vec![edit])
        };
        findings.push(Finding::new(CODE, range, message).with_fix(fix));
    }
    findings
}

/// Why the instruction may not be rewritten, if anything stops it.
fn gate(
    document: &Document,
    index: usize,
    instruction: &Instruction,
    entrypoint: bool,
) -> Option<&'static str> {
    if instruction.onbuild {
        return Some("onbuild");
    }
    if instruction.opaque {
        return Some("opaque");
    }
    if !instruction.posix {
        return Some("non-posix");
    }
    if instruction.logical.start_line != instruction.logical.end_line {
        return Some("multi-line");
    }
    let before = document.instructions_before(index);
    let has = |keyword: Keyword| {
        before.iter().any(|&i| {
            document.instructions[i].keyword == keyword && !document.instructions[i].onbuild
        })
    };
    if has(Keyword::Shell) {
        return Some("shell");
    }
    if !entrypoint && has(Keyword::Entrypoint) {
        return Some("entrypoint");
    }
    let stage = instruction.stage?;
    if !document.base_fact(stage, "entrypoint-pass-through") {
        return Some("base-entrypoint");
    }
    None
}

/// The words of a shell-form command line after quote removal, or `None` when the line uses
/// a shell feature (RULES.md §10 DF401).
fn plain_words(text: &str, escape: u8) -> Option<Vec<String>> {
    let escape = char::from(escape);
    let mut words: Vec<String> = Vec::new();
    let mut word: Option<String> = None;
    let mut quote: Option<char> = None;
    let mut chars = text.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('\''), c) => word.get_or_insert_default().push(c),
            (Some(_), '$' | '`') => return None,
            (Some(_), '\\') => match chars.next() {
                Some(next @ ('"' | '\\')) => word.get_or_insert_default().push(next),
                _ => return None,
            },
            (Some(_), c) => word.get_or_insert_default().push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                word.get_or_insert_default();
            }
            (None, c) if c == '\\' || c == escape => match chars.next() {
                Some(next @ (' ' | '\t' | '"' | '\'')) => word.get_or_insert_default().push(next),
                _ => return None,
            },
            (None, ' ' | '\t') => words.extend(word.take()),
            (
                None,
                '$' | '`' | '*' | '?' | '[' | '~' | '<' | '>' | '|' | '&' | ';' | '(' | ')' | '#'
                | '{' | '}',
            ) => return None,
            (None, '=') if words.is_empty() => return None,
            (None, c) => word.get_or_insert_default().push(c),
        }
    }
    if quote.is_some() {
        return None;
    }
    words.extend(word);
    let program = words.first()?;
    (!BUILTINS.contains(&program.as_str())).then_some(words)
}

#[cfg(test)]
mod tests {
    use super::plain_words;

    #[test]
    fn words_after_quote_removal_or_none_for_shell_features() {
        let words = |text| plain_words(text, b'\\');
        assert_eq!(
            words(r#"node "server.js" --port 80"#).unwrap(),
            ["node", "server.js", "--port", "80"]
        );
        assert_eq!(
            words(r#"a 'b c' "d\"e" f\ g"#).unwrap(),
            ["a", "b c", "d\"e", "f g"]
        );
        assert_eq!(words(r#"a "" b"#).unwrap(), ["a", "", "b"]);
        for shell in [
            "echo $HOME",
            "a && b",
            "a | b",
            "a > f",
            "ls *.txt",
            "cd /x",
            "A=1 b",
            "exec node",
            "a # c",
            "a\\nb",
            "a 'b",
            "echo ~",
            "a &",
        ] {
            assert_eq!(words(shell), None, "{shell}");
        }
    }
}
