//! The command line: flags, modes, per-file processing and exit codes.
//!
//! Files are processed in parallel; each produces its output as text, printed in path order so
//! runs are reproducible. A file that cannot be read, decoded or written is reported with its
//! path and the run goes on; a panic in one file is caught and reported the same way.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{IsTerminal, Read, Write as _};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use clap::Parser;
use rayon::prelude::*;

use crate::apply::{self, Fixed};
use crate::config::{select_rules, Settings};
use crate::context::BuildContext;
use crate::discover::{describe_io_error, discover};
use crate::document::{Document, MAX_INSTRUCTIONS};
use crate::fix::{Applicability, FileChange, Finding};
use crate::source::Source;
use crate::transforms::Rule;
use crate::{diff, report, write};

/// Rewrites Dockerfiles into faster-building, smaller images with minimal, safe edits.
///
/// Without a mode flag, reports findings. Exit status: 0 nothing to report or change, 1
/// findings (or changes with --diff/--check, or findings left after --write), 2 an error.
#[derive(Debug, Parser)]
#[command(name = "dockfix", version)]
pub struct Args {
    /// Dockerfiles or directories (searched recursively, honouring .gitignore). `-` reads
    /// stdin. Default: stdin when it is piped, else the current directory.
    pub paths: Vec<PathBuf>,
    /// Print a unified diff of the fixes instead of writing them.
    #[arg(long, conflicts_with_all = ["write", "check"])]
    pub diff: bool,
    /// Apply the fixes in place (atomically; permissions kept). With stdin, print the fixed
    /// file to stdout.
    #[arg(long, conflicts_with = "check")]
    pub write: bool,
    /// Print only the paths that --write would change.
    #[arg(long)]
    pub check: bool,
    /// Also apply fixes that may change the image.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Rules to run (codes, prefixes like DF1, names, or ALL), comma-separated. Default: the
    /// default-enabled rules.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,
    /// Rules not to run, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    /// The build context, for passes that read manifests. Default: each Dockerfile's directory.
    #[arg(long, value_name = "DIR")]
    pub context: Option<PathBuf>,
    /// Also show why rules were skipped and which instructions the grammar could not read.
    #[arg(long)]
    pub show_skipped: bool,
    /// Print what a rule does, why, when it skips and how safe its fix is, then exit.
    #[arg(long, value_name = "RULE")]
    pub explain: Option<String>,
    /// Print per-rule counts and parse statistics after the run.
    #[arg(long)]
    pub statistics: bool,
    /// Output format: `text` (lines for people) or `json` (one object: files with their findings
    /// and diffs, a summary and statistics).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The path to show for stdin input.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<String>,
    /// Print nothing but findings, diffs and errors.
    #[arg(short, long)]
    pub quiet: bool,
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Report,
    Diff,
    Write,
    Check,
}

/// Where one file comes from.
enum Input {
    Stdin,
    File(PathBuf),
}

/// Everything one file contributes to the run.
#[derive(Default)]
struct FileOutcome {
    /// The path as shown.
    name: String,
    stdout: String,
    stderr: String,
    /// With `--format json`: the findings, the diff or fixed text, the error.
    json: serde_json::Map<String, serde_json::Value>,
    /// Findings that count for the exit status (not skips).
    findings: usize,
    fixable: usize,
    unsafe_fixable: usize,
    changed: bool,
    fixed: usize,
    error: bool,
    stats: Stats,
}

/// Counts for `--statistics`.
#[derive(Default)]
struct Stats {
    per_rule: BTreeMap<&'static str, (usize, usize)>,
    instructions: usize,
    opaque: usize,
}

/// Run dockfix with these arguments; returns the exit status.
pub fn run(args: Args) -> i32 {
    if let Some(code) = &args.explain {
        return match crate::transforms::rule(code) {
            Some(rule) => {
                println!("{}", rule.explanation());
                0
            }
            None => {
                eprintln!("dockfix: error: no rule `{code}`");
                2
            }
        };
    }
    let rules = match select_rules(&args.select, &args.ignore) {
        Ok(rules) => rules,
        Err(err) => {
            eprintln!("dockfix: error: {err}");
            return 2;
        }
    };
    let mode = if args.diff {
        Mode::Diff
    } else if args.write {
        Mode::Write
    } else if args.check {
        Mode::Check
    } else {
        Mode::Report
    };
    let settings = Settings {
        context_dir: args.context.clone(),
    };
    let mut inputs = Vec::new();
    let mut errors = 0;
    let paths = if args.paths.is_empty() && !std::io::stdin().is_terminal() {
        vec![PathBuf::from("-")]
    } else if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let (stdin, paths): (Vec<_>, Vec<_>) = paths.into_iter().partition(|p| p.as_os_str() == "-");
    if !stdin.is_empty() {
        inputs.push(Input::Stdin);
    }
    let (files, discovery_errors) = discover(&paths);
    for err in discovery_errors {
        eprintln!("{}: error: {}", display_path(&err.path), err.message);
        errors += 1;
    }
    inputs.extend(files.into_iter().map(Input::File));

    let context = Context {
        mode,
        rules: &rules,
        settings: &settings,
        minimum: if args.unsafe_fixes {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        },
        show_skipped: args.show_skipped || args.format == Format::Json,
        stdin_name: args.stdin_filename.as_deref().unwrap_or("-"),
        format: args.format,
    };
    let outcomes: Vec<FileOutcome> = inputs
        .par_iter()
        .map(|input| process_guarded(&context, input))
        .collect();

    let mut totals = FileOutcome::default();
    let mut files_changed = 0;
    let mut stdout = std::io::stdout().lock();
    for outcome in &outcomes {
        let _ = stdout.write_all(outcome.stdout.as_bytes());
        eprint!("{}", outcome.stderr);
        totals.findings += outcome.findings;
        totals.fixable += outcome.fixable;
        totals.unsafe_fixable += outcome.unsafe_fixable;
        totals.fixed += outcome.fixed;
        files_changed += usize::from(outcome.changed);
        errors += usize::from(outcome.error);
        totals.stats.instructions += outcome.stats.instructions;
        totals.stats.opaque += outcome.stats.opaque;
        for (code, (found, fixed)) in &outcome.stats.per_rule {
            let entry = totals.stats.per_rule.entry(code).or_default();
            entry.0 += found;
            entry.1 += fixed;
        }
    }
    let _ = stdout.flush();
    if args.format == Format::Json {
        let document = json_document(mode, &totals, &outcomes, files_changed, errors);
        println!("{document:#}");
    } else if args.statistics {
        print_statistics(&totals.stats, &outcomes, files_changed);
    }
    if !args.quiet && args.format == Format::Text {
        summarize(mode, &totals, files_changed, outcomes.len(), errors);
    }
    if errors > 0 {
        2
    } else if match mode {
        Mode::Report | Mode::Write => totals.findings > 0,
        Mode::Diff | Mode::Check => files_changed > 0,
    } {
        1
    } else {
        0
    }
}

/// The whole run as one JSON object: every file with its findings (and diff), a summary and
/// the statistics.
fn json_document(
    mode: Mode,
    totals: &FileOutcome,
    outcomes: &[FileOutcome],
    changed: usize,
    errors: usize,
) -> serde_json::Value {
    let files: Vec<serde_json::Value> = outcomes
        .iter()
        .map(|outcome| {
            let mut file = serde_json::Map::new();
            file.insert("path".into(), outcome.name.clone().into());
            file.insert("changed".into(), outcome.changed.into());
            file.extend(outcome.json.clone());
            file.into()
        })
        .collect();
    let rules: serde_json::Map<String, serde_json::Value> = totals
        .stats
        .per_rule
        .iter()
        .map(|(code, (found, fixed))| {
            let name = crate::transforms::rule(code).map_or("", |rule| rule.name);
            let counts = serde_json::json!({"name": name, "found": found, "fixed": fixed});
            (code.to_string(), counts)
        })
        .collect();
    serde_json::json!({
        "mode": format!("{mode:?}").to_ascii_lowercase(),
        "files": files,
        "summary": {
            "files": outcomes.len(),
            "changed": changed,
            "findings": totals.findings,
            "fixable": totals.fixable,
            "unsafe_fixable": totals.unsafe_fixable,
            "fixed": totals.fixed,
            "errors": errors,
        },
        "statistics": {
            "files": outcomes.len(),
            "changed": changed,
            "instructions": totals.stats.instructions,
            "opaque_instructions": totals.stats.opaque,
            "opaque_files": outcomes.iter().filter(|o| o.stats.opaque > 0).count(),
            "rules": rules,
        },
    })
}

fn print_statistics(stats: &Stats, outcomes: &[FileOutcome], files_changed: usize) {
    let opaque_files = outcomes.iter().filter(|o| o.stats.opaque > 0).count();
    println!(
        "files: {}, changed: {files_changed}, instructions: {}, opaque instructions: {} in {opaque_files} files",
        outcomes.len(),
        stats.instructions,
        stats.opaque
    );
    for (code, (found, fixed)) in &stats.per_rule {
        let name = crate::transforms::rule(code).map_or("", |rule| rule.name);
        println!("{code:<6} {name:<32} found {found:>6}  fixed {fixed:>6}");
    }
}

fn summarize(mode: Mode, totals: &FileOutcome, changed: usize, files: usize, errors: usize) {
    let errors = match errors {
        0 => String::new(),
        n => format!("; {}", plural(n, "error")),
    };
    let files_text = plural(files, "file");
    match mode {
        Mode::Report => {
            let mut hints = Vec::new();
            if totals.fixable > 0 {
                hints.push(format!("{} fixable with --write", totals.fixable));
            }
            if totals.unsafe_fixable > 0 {
                hints.push(format!(
                    "{} more with --write --unsafe-fixes",
                    totals.unsafe_fixable
                ));
            }
            let hints = if hints.is_empty() {
                String::new()
            } else {
                format!(" ({})", hints.join(", "))
            };
            let findings = plural(totals.findings, "finding");
            eprintln!("Found {findings} in {files_text}{hints}{errors}.");
        }
        Mode::Write => eprintln!(
            "Fixed {} in {}; {} remaining{errors}.",
            plural(totals.fixed, "finding"),
            plural(changed, "file"),
            totals.findings
        ),
        Mode::Diff | Mode::Check => eprintln!(
            "{changed} of {files_text} would be changed ({}){errors}.",
            plural(totals.fixed, "fix")
        ),
    }
}

/// `1 file`, `2 files`, `1 fix`, `2 fixes`.
fn plural(count: usize, noun: &str) -> String {
    let suffix = match (count, noun.ends_with('x')) {
        (1, _) => "",
        (_, true) => "es",
        _ => "s",
    };
    format!("{count} {noun}{suffix}")
}

/// What every file's processing shares.
struct Context<'a> {
    mode: Mode,
    rules: &'a [&'static Rule],
    settings: &'a Settings,
    minimum: Applicability,
    show_skipped: bool,
    stdin_name: &'a str,
    format: Format,
}

/// Process one input; a panic becomes an error for that file only.
fn process_guarded(context: &Context, input: &Input) -> FileOutcome {
    let name = match input {
        Input::Stdin => context.stdin_name.to_string(),
        Input::File(path) => display_path(path),
    };
    let mut outcome = match panic::catch_unwind(AssertUnwindSafe(|| process(context, input, &name)))
    {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(message)) => FileOutcome {
            stderr: format!("{name}: error: {message}\n"),
            error: true,
            ..FileOutcome::default()
        },
        Err(payload) => {
            let detail = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            FileOutcome {
                stderr: format!(
                    "{name}: error: internal error ({detail}); the file was not changed, please report this\n"
                ),
                error: true,
                ..FileOutcome::default()
            }
        }
    };
    if context.format == Format::Json && outcome.error {
        let message = outcome.stderr.trim_end().to_string();
        outcome.json.insert("error".into(), message.into());
        outcome.stderr.clear();
    }
    outcome.name = name;
    outcome
}

fn process(context: &Context, input: &Input, name: &str) -> Result<FileOutcome, String> {
    let bytes = match input {
        Input::Stdin => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|err| format!("cannot read stdin: {}", describe_io_error(&err)))?;
            bytes
        }
        Input::File(path) => std::fs::read(path).map_err(|err| match err.raw_os_error() {
            Some(21) => "is a directory".to_string(),
            _ => format!("cannot read: {}", describe_io_error(&err)),
        })?,
    };
    let source = Source::from_bytes(bytes.clone()).map_err(|err| {
        let line = err.line();
        format!("line {line}: {err}")
    })?;
    let mut outcome = FileOutcome::default();
    let minimum = context.minimum;

    let build_context = match input {
        Input::File(path) => Some(BuildContext::for_dockerfile(
            path,
            context.settings.context_dir.as_deref(),
        )),
        Input::Stdin => context
            .settings
            .context_dir
            .as_deref()
            .map(|dir| BuildContext::for_dockerfile(&dir.join(name), Some(dir))),
    };
    let document = Document::parse(source.clone()).with_context(build_context.map(Rc::new));
    if document.instructions.len() > MAX_INSTRUCTIONS {
        return Err(format!(
            "{} instructions, more than the {MAX_INSTRUCTIONS} dockfix works on; left unchanged",
            document.instructions.len()
        ));
    }
    outcome.stats.instructions = document.instructions.len();
    outcome.stats.opaque = document.opaque_count();
    note_opaque(context, &document, name, &mut outcome);

    if context.mode == Mode::Report {
        let findings = apply::check(&document, context.rules, context.settings);
        count_findings(&mut outcome, &findings, minimum);
        let shown = shown(context, &findings);
        emit_findings(context, &mut outcome, name, &source, &shown);
        return Ok(outcome);
    }

    let fixed = apply::fix_document(document, context.rules, context.settings, minimum);
    let Fixed {
        source: fixed_source,
        applied,
        remaining,
        internal,
        files,
    } = &fixed;
    for applied in applied {
        let counts = outcome.stats.per_rule.entry(applied.code).or_default();
        counts.0 += 1;
        counts.1 += 1;
    }
    outcome.fixed = applied.len();
    outcome.changed = fixed_source.text() != source.text() || !files.is_empty();
    report::findings(
        &mut outcome.stderr,
        name,
        fixed_source,
        &internal.iter().collect::<Vec<_>>(),
        minimum,
    );
    match context.mode {
        Mode::Diff => {
            let mut diff = diff::unified(name, source.text(), fixed_source.text());
            for change in files {
                diff.push_str(&file_change_diff(change));
            }
            match context.format {
                Format::Text => outcome.stdout = diff,
                Format::Json => {
                    outcome.json.insert("diff".into(), diff.into());
                }
            }
            count_findings(&mut outcome, remaining, minimum);
        }
        Mode::Check => {
            if context.format == Format::Text {
                if fixed_source.text() != source.text() {
                    let _ = writeln!(outcome.stdout, "{name}");
                }
                for change in files {
                    let _ = writeln!(outcome.stdout, "{}", display_path(&change.path));
                }
            }
            count_findings(&mut outcome, remaining, minimum);
        }
        Mode::Write => {
            count_findings(&mut outcome, remaining, minimum);
            match input {
                Input::Stdin if context.format == Format::Json => {
                    outcome
                        .json
                        .insert("output".into(), fixed_source.text().into());
                }
                Input::Stdin => outcome.stdout = fixed_source.text().to_string(),
                Input::File(path) => {
                    if fixed_source.text() != source.text() {
                        write::atomic(path, &bytes, fixed_source.text().as_bytes())?;
                    }
                    for change in files {
                        write_file_change(change)?;
                    }
                    let shown = shown(context, remaining);
                    emit_findings(context, &mut outcome, name, fixed_source, &shown);
                }
            }
        }
        Mode::Report => unreachable!("report mode returned above"),
    }
    Ok(outcome)
}

/// The diff of a change to another file, with its path as the user sees it.
fn file_change_diff(change: &FileChange) -> String {
    let path = display_path(&change.path);
    match &change.old {
        None => diff::creation(&path, &change.new),
        Some(old) => diff::unified(&path, old, &change.new),
    }
}

/// Apply a change to another file: create it (never over an existing one) or rewrite it
/// atomically (refused when it changed meanwhile).
fn write_file_change(change: &FileChange) -> Result<(), String> {
    let path = display_path(&change.path);
    match &change.old {
        None => {
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&change.path)
                .map_err(|err| format!("cannot create {path}: {}", describe_io_error(&err)))?;
            file.write_all(change.new.as_bytes())
                .map_err(|err| format!("cannot write {path}: {}", describe_io_error(&err)))
        }
        Some(old) => write::atomic(&change.path, old.as_bytes(), change.new.as_bytes())
            .map_err(|err| format!("{path}: {err}")),
    }
}

/// Print findings as text lines, or keep them for the JSON document.
fn emit_findings(
    context: &Context,
    outcome: &mut FileOutcome,
    name: &str,
    source: &Source,
    findings: &[&Finding],
) {
    match context.format {
        Format::Text => {
            report::findings(&mut outcome.stdout, name, source, findings, context.minimum)
        }
        Format::Json => {
            let values = report::json_findings(source, findings, context.minimum);
            outcome.json.insert("findings".into(), values.into());
        }
    }
}

/// Findings to print: skips only on request.
fn shown<'f>(context: &Context, findings: &'f [Finding]) -> Vec<&'f Finding> {
    findings
        .iter()
        .filter(|f| context.show_skipped || f.skipped.is_none())
        .collect()
}

/// Count findings (those found, or those left after fixing) for the summary, the statistics
/// and the exit status.
fn count_findings(outcome: &mut FileOutcome, findings: &[Finding], minimum: Applicability) {
    for finding in findings.iter().filter(|f| f.skipped.is_none()) {
        outcome.findings += 1;
        outcome.stats.per_rule.entry(finding.code).or_default().0 += 1;
        match &finding.fix {
            Some(_) if finding.applicable_fix(minimum).is_some() => outcome.fixable += 1,
            Some(fix) if fix.applicability == Applicability::Unsafe => outcome.unsafe_fixable += 1,
            _ => {}
        }
    }
}

/// Tell the user about instructions the grammar could not read (with --show-skipped), and
/// about files where it could read none.
fn note_opaque(context: &Context, document: &Document, name: &str, outcome: &mut FileOutcome) {
    let total = document.instructions.len();
    let opaque = document.opaque_count();
    if total > 0 && opaque == total {
        let _ = writeln!(
            outcome.stderr,
            "{name}: warning: the grammar could read none of its instructions (a template?); left unchanged"
        );
    } else if context.show_skipped {
        for instruction in document.instructions.iter().filter(|i| i.opaque) {
            let _ = writeln!(
                outcome.stdout,
                "{name}:{}:1: note: instruction not understood by the grammar; it is never edited",
                instruction.logical.start_line
            );
        }
    }
}

/// A path as the user should see it: relative to the current directory when under it, without
/// `./` components (diff headers need `a/dir/Dockerfile`, not `a/./dir/Dockerfile`).
pub fn display_path(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf());
    let cleaned: PathBuf = relative
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    if cleaned.as_os_str().is_empty() {
        ".".to_string()
    } else {
        cleaned.display().to_string()
    }
}
