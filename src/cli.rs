//! The command line: flags, modes, per-file processing and exit codes.
//!
//! Files are processed in parallel, handed out in path order: each produces its output, printed
//! in path order as soon as the files before it are done, so runs are reproducible and memory
//! stays bounded however many files there are. A
//! file that cannot be read, decoded or written is reported with its path and the run goes on; a
//! panic in one file is caught and reported the same way.

use std::fmt::Write as _;
use std::io::{IsTerminal, Read, Write as _};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use rayon::prelude::*;

use crate::apply::{self, Fixed};
use crate::config::{ConfigCache, Overrides, Resolved, Selection, Settings};
use crate::context::BuildContext;
use crate::discover::{describe_io_error, discover};
use crate::document::{Document, MAX_INSTRUCTIONS};
use crate::fix::{Applicability, FileChange, Finding};
use crate::report::{self, FileReport, Totals};
use crate::source::Source;
use crate::transforms::Rule;
use crate::{diff, write};
use std::collections::BTreeMap;

/// Rewrites Dockerfiles into faster-building, smaller images with minimal, safe edits.
///
/// Without a mode flag, reports findings. Exit status: 0 nothing to report or change, 1
/// findings (or changes with --diff/--check, or findings left after --write), 2 an error.
#[derive(Debug, Parser)]
#[command(name = "dockfix", version)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Command>,
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
    /// Also apply fixes that may change the image (overrides `unsafe-fixes` in dockfix.toml).
    #[arg(long, overrides_with = "no_unsafe_fixes")]
    pub unsafe_fixes: bool,
    /// Apply only safe fixes, whatever dockfix.toml says.
    #[arg(long, overrides_with = "unsafe_fixes")]
    pub no_unsafe_fixes: bool,
    /// Rules to run (codes, prefixes like DF1, names, or ALL), comma-separated; replaces the
    /// configuration file's `select` and `ignore`. Default: the default-enabled rules.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,
    /// Rules to run besides the selected ones, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub extend_select: Vec<String>,
    /// Rules not to run, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    /// Use this configuration file for every Dockerfile instead of the nearest
    /// `.dockfix.toml`/`dockfix.toml` above each one.
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,
    /// Ignore configuration files: defaults and command-line flags only.
    #[arg(long)]
    pub isolated: bool,
    /// Print the settings resolved for each path (configuration file, rules, options), then
    /// exit.
    #[arg(long)]
    pub show_settings: bool,
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
    /// Output format: `text` (lines for people), `json` (one object: files with findings, fix
    /// edits and diffs, a summary, statistics), `sarif` (SARIF 2.1.0 for code scanning),
    /// `github` (workflow annotations), `markdown` (a pull-request body).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit 0 even when there are findings or changes (errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// The path to show for stdin input.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<String>,
    /// Print nothing but findings, diffs and errors.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Commands besides checking and fixing.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every rule: code, name, fix safety, and whether it runs by default.
    Rules,
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Github,
    Markdown,
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
    /// Text output (`--format text`).
    stdout: String,
    stderr: String,
    /// What machine-readable formats report of the file.
    report: FileReport,
    /// Findings that count for the exit status (not skips).
    findings: usize,
    fixable: usize,
    unsafe_fixable: usize,
    fixed: usize,
    error: bool,
    instructions: usize,
    opaque: usize,
    /// Per rule: (found, fixed).
    per_rule: BTreeMap<&'static str, (usize, usize)>,
}

impl Totals {
    fn add(&mut self, outcome: &FileOutcome) {
        self.files += 1;
        self.changed += usize::from(outcome.report.changed);
        self.errors += usize::from(outcome.error);
        self.findings += outcome.findings;
        self.fixable += outcome.fixable;
        self.unsafe_fixable += outcome.unsafe_fixable;
        self.fixed += outcome.fixed;
        self.instructions += outcome.instructions;
        self.opaque_instructions += outcome.opaque;
        self.opaque_files += usize::from(outcome.opaque > 0);
        for (code, (found, fixed)) in &outcome.per_rule {
            let entry = self.rules.entry(code).or_default();
            entry.0 += found;
            entry.1 += fixed;
        }
    }
}

/// Results of files processed out of order, passed on in order.
struct InOrder<F> {
    next: usize,
    early: BTreeMap<usize, FileOutcome>,
    emit: F,
}

impl<F: FnMut(FileOutcome)> InOrder<F> {
    /// The outcome of file `index`; emits every outcome whose turn has come.
    fn push(&mut self, index: usize, outcome: FileOutcome) {
        self.early.insert(index, outcome);
        while let Some(outcome) = self.early.remove(&self.next) {
            self.next += 1;
            (self.emit)(outcome);
        }
    }
}

/// Run dockfix with these arguments; returns the exit status.
pub fn run(args: Args) -> i32 {
    if let Some(code) = &args.explain {
        return match crate::transforms::rule(code) {
            Some(rule) => {
                print_stdout(&format!("{}\n", rule.explanation()));
                0
            }
            None => {
                eprintln!("dockfix: error: no rule `{code}`");
                2
            }
        };
    }
    if let Some(Command::Rules) = args.command {
        print!("{}", rules_table());
        return 0;
    }
    let overrides = Overrides {
        selection: Selection {
            select: (!args.select.is_empty()).then(|| args.select.clone()),
            extend_select: args.extend_select.clone(),
            ignore: args.ignore.clone(),
        },
        unsafe_fixes: match (args.unsafe_fixes, args.no_unsafe_fixes) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        },
        context_dir: args.context.clone(),
    };
    if let Err(err) = crate::config::resolve(None, &overrides) {
        eprintln!("dockfix: error: {err}");
        return 2;
    }
    let mut configs = ConfigCache::default();
    let settings_for = |configs: &mut ConfigCache, dir: &Path| {
        configs.resolve(dir, args.config.as_deref(), args.isolated, &overrides)
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
    let mut inputs = Vec::new();
    let mut errors = 0;
    let paths = if args.paths.is_empty() && !std::io::stdin().is_terminal() {
        vec![PathBuf::from("-")]
    } else if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    if args.show_settings {
        for path in &paths {
            let dir = if path.as_os_str() == "-" || path.is_dir() {
                path.clone()
            } else {
                path.parent().map(Path::to_path_buf).unwrap_or_default()
            };
            match settings_for(&mut configs, &absolute(&dir)) {
                Ok(resolved) => {
                    println!("# settings for {}", display_path(path));
                    println!("{}", resolved.describe());
                }
                Err(err) => {
                    eprintln!("dockfix: error: {err}");
                    return 2;
                }
            }
        }
        return 0;
    }
    let (stdin, paths): (Vec<_>, Vec<_>) = paths.into_iter().partition(|p| p.as_os_str() == "-");
    if !stdin.is_empty() {
        // stdin is configured as a file in the current directory (or at --stdin-filename).
        let name = Path::new(args.stdin_filename.as_deref().unwrap_or("-"));
        let dir = absolute(name.parent().unwrap_or(Path::new("")));
        inputs.push((Input::Stdin, settings_for(&mut configs, &dir)));
    }
    // Workers get a main thread's stack (8 MiB, not 2): passes recurse over deep but legal
    // shell text. Made before the walk, which takes its thread count from it. Fails only when
    // the pool already exists (a second run in one process).
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(8 << 20)
        .build_global();
    let (files, discovery_errors) = discover(&paths);
    for err in discovery_errors {
        eprintln!("{}: error: {}", display_path(&err.path), err.message);
        errors += 1;
    }
    let dirs: Vec<PathBuf> = files
        .iter()
        .map(|file| absolute(file.parent().unwrap_or(Path::new(""))))
        .collect();
    if args.config.is_none() && !args.isolated {
        configs.look_in(&dirs);
    }
    for (file, dir) in files.into_iter().zip(dirs) {
        let resolved = settings_for(&mut configs, &dir);
        // `exclude` applies to files found in directories, not to those named explicitly.
        let found = !paths.contains(&file);
        if found && resolved.as_ref().is_ok_and(|r| r.exclude.excludes(&file)) {
            continue;
        }
        inputs.push((Input::File(file), resolved));
    }
    let mut resolved_inputs = Vec::new();
    for (input, resolved) in inputs {
        match resolved {
            Ok(resolved) => resolved_inputs.push((input, resolved)),
            Err(err) => {
                eprintln!("dockfix: error: {err}");
                return 2;
            }
        }
    }

    let defaults = Settings::default();
    let context = Context {
        mode,
        rules: &[],
        settings: &defaults,
        minimum: Applicability::Safe,
        show_skipped: args.show_skipped || args.format == Format::Json,
        stdin_name: args.stdin_filename.as_deref().unwrap_or("-"),
        format: args.format,
    };
    let mut totals = Totals {
        errors,
        ..Totals::default()
    };
    let progress = progress_bar(
        resolved_inputs.len(),
        args.quiet || args.format != Format::Text,
    );
    let mut reports: Vec<FileReport> = Vec::new();
    let emit = |outcome: FileOutcome| {
        progress.inc(1);
        progress.suspend(|| {
            let _ = std::io::stdout()
                .lock()
                .write_all(outcome.stdout.as_bytes());
            eprint!("{}", outcome.stderr);
        });
        totals.add(&outcome);
        if args.format != Format::Text {
            reports.push(outcome.report);
        }
    };
    let process_one = |(input, resolved): &(Input, Arc<Resolved>)| {
        let context = Context {
            rules: &resolved.rules,
            settings: &resolved.settings,
            minimum: resolved.minimum,
            ..context
        };
        process_guarded(&context, input)
    };
    // Workers take files in order (`par_bridge` hands out the next one on demand) and the one
    // that completes the next file in order prints it and those after it already done: output
    // is in path order, and only the few files that finished early wait in memory.
    let in_order = std::sync::Mutex::new(InOrder {
        next: 0,
        early: BTreeMap::new(),
        emit,
    });
    resolved_inputs
        .iter()
        .enumerate()
        .par_bridge()
        .for_each(|(index, input)| {
            let outcome = process_one(input);
            in_order
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(index, outcome);
        });
    let _ = std::io::stdout().flush();
    progress.finish_and_clear();
    let mode_name = format!("{mode:?}").to_ascii_lowercase();
    match args.format {
        Format::Text if args.statistics => print_statistics(&totals),
        Format::Text => {}
        Format::Json => {
            let document = report::json::document(&mode_name, &totals, &reports);
            print_stdout(&format!("{document:#}\n"));
        }
        Format::Sarif => print_stdout(&format!("{:#}\n", report::sarif::document(&reports))),
        Format::Github => print_stdout(&report::github::annotations(&reports)),
        Format::Markdown => {
            let command = reproducing_command();
            print_stdout(&report::markdown::body(&totals, &reports, &command));
        }
    }
    if !args.quiet && args.format == Format::Text {
        summarize(mode, &totals);
    }
    if totals.errors > 0 {
        2
    } else if !args.exit_zero
        && match mode {
            Mode::Report | Mode::Write => totals.findings > 0,
            Mode::Diff | Mode::Check => totals.changed > 0,
        }
    {
        1
    } else {
        0
    }
}

/// The command that applies what this run reports: its own arguments with `--write` instead
/// of the output mode and format.
fn reproducing_command() -> String {
    let mut words = vec!["dockfix".to_string(), "--write".to_string()];
    let mut arguments = std::env::args().skip(1);
    while let Some(argument) = arguments.next() {
        match argument.as_str() {
            "--diff" | "--check" | "--write" | "-q" | "--quiet" | "--statistics" => {}
            "--format" => {
                arguments.next();
            }
            _ if argument.starts_with("--format=") => {}
            _ => words.push(argument),
        }
    }
    words.join(" ")
}

/// A progress bar on stderr when it is a terminal and there are more than a handful of files.
fn progress_bar(files: usize, quiet: bool) -> indicatif::ProgressBar {
    if quiet || files <= 20 || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(files as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed}")
    {
        bar.set_style(style);
    }
    bar
}

fn print_statistics(totals: &Totals) {
    let mut text = format!(
        "files: {}, changed: {}, instructions: {}, opaque instructions: {} in {} files\n",
        totals.files,
        totals.changed,
        totals.instructions,
        totals.opaque_instructions,
        totals.opaque_files
    );
    for (code, (found, fixed)) in &totals.rules {
        let name = crate::transforms::rule(code).map_or("", |rule| rule.name);
        let _ = writeln!(
            text,
            "{code:<6} {name:<32} found {found:>6}  fixed {fixed:>6}"
        );
    }
    print_stdout(&text);
}

/// Write to stdout; a closed pipe (`dockfix … | head`) ends the output quietly instead of
/// panicking as `println!` would.
fn print_stdout(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
}

fn summarize(mode: Mode, totals: &Totals) {
    let (changed, files) = (totals.changed, totals.files);
    let errors = match totals.errors {
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

/// What one file's processing needs (the rules and settings resolved for it).
#[derive(Clone, Copy)]
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
    if outcome.error && context.format != Format::Text {
        outcome.report.error = Some(outcome.stderr.trim_end().to_string());
    }
    outcome.report.path = name;
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
    let document = Document::parse_with(source.clone(), context.settings.hadolint_pragmas)
        .with_context(build_context.map(Rc::new));
    if document.instructions.len() > MAX_INSTRUCTIONS {
        return Err(format!(
            "{} instructions, more than the {MAX_INSTRUCTIONS} dockfix works on; left unchanged",
            document.instructions.len()
        ));
    }
    outcome.instructions = document.instructions.len();
    outcome.opaque = document.opaque_count();
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
        let counts = outcome.per_rule.entry(applied.code).or_default();
        counts.0 += 1;
        counts.1 += 1;
    }
    outcome.fixed = applied.len();
    outcome.report.applied = applied.iter().map(Into::into).collect();
    outcome.report.changed = fixed_source.text() != source.text() || !files.is_empty();
    report::text::findings(
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
                _ => outcome.report.diff = Some(diff),
            }
            count_findings(&mut outcome, remaining, minimum);
            let shown = shown(context, remaining);
            if context.format != Format::Text {
                emit_findings(context, &mut outcome, name, fixed_source, &shown);
            }
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
                Input::Stdin if context.format != Format::Text => {
                    outcome.report.output = Some(fixed_source.text().to_string());
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
            report::text::findings(&mut outcome.stdout, name, source, findings, context.minimum)
        }
        _ => outcome.report.findings = report::reported(source, findings, context.minimum),
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
        outcome.per_rule.entry(finding.code).or_default().0 += 1;
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
    }
    let opaque_lines = document
        .instructions
        .iter()
        .filter(|i| i.opaque)
        .map(|i| i.logical.start_line);
    match context.format {
        Format::Text if context.show_skipped => {
            for line in opaque_lines {
                let _ = writeln!(
                    outcome.stdout,
                    "{name}:{line}:1: note: instruction not understood by the grammar; it is never edited"
                );
            }
        }
        Format::Text => {}
        _ => outcome.report.opaque_lines = opaque_lines.collect(),
    }
}

/// The rules table of `dockfix rules`.
fn rules_table() -> String {
    let mut out = format!(
        "{:<6}  {:<34}  {:<40}  default\n",
        "code", "name", "fix safety"
    );
    for rule in crate::transforms::RULES {
        let default = if rule.default_enabled { "on" } else { "off" };
        let _ = writeln!(
            out,
            "{:<6}  {:<34}  {:<40}  {default}",
            rule.code,
            rule.name,
            rule.safety()
        );
    }
    out
}

/// `path` made absolute against the current directory (configuration is found by walking up);
/// the empty parent of a bare file name (`Dockerfile`) is the current directory.
fn absolute(path: &Path) -> PathBuf {
    let path = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    let joined = match CURRENT_DIR.as_deref() {
        Some(cwd) if path.is_relative() => cwd.join(path),
        _ => path.to_path_buf(),
    };
    std::path::absolute(&joined).unwrap_or(joined)
}

/// The current directory, asked once: a run does not change it, and paths are made absolute
/// and shown relative to it for every file.
static CURRENT_DIR: std::sync::LazyLock<Option<PathBuf>> =
    std::sync::LazyLock::new(|| std::env::current_dir().ok());

/// A path as the user should see it: relative to the current directory when under it, without
/// `./` components (diff headers need `a/dir/Dockerfile`, not `a/./dir/Dockerfile`).
pub fn display_path(path: &Path) -> String {
    let relative = CURRENT_DIR
        .as_deref()
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
