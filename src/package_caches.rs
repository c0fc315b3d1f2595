//! Package-manager caches shared by several passes: which npm/Yarn command downloads packages,
//! which Yarn a command runs (v1 or Berry, from the build context), and the BuildKit cache-mount
//! conversion of DF160 with the predicate that tells the no-cache rules (DF102, DF120, DF131,
//! DF132) that DF160 takes a RUN over (RULES.md §4 "interactions": a shared predicate, not a
//! pass calling another).

use std::ops::Range;

use crate::config::Settings;
use crate::document::{Document, ImageFile, Keyword, SkipReason};
use crate::fix::Edit;
use crate::shell::{Command, Nesting, Word};
use crate::shell_rules::{
    apt_subcommand, cache_covered, environment, first_operand, pip_arguments, Operand, RunCommand,
};

/// npm's options that take their value as the next word (those seen before a subcommand).
pub const NPM_OPTIONS_WITH_VALUE: &[&str] = &[
    "--prefix",
    "-C",
    "--cache",
    "--userconfig",
    "--globalconfig",
    "--registry",
    "-w",
    "--workspace",
    "--loglevel",
    "--omit",
    "--include",
    "--only",
    "--tag",
    "--location",
    "--install-strategy",
];

/// npm subcommands (with npm's aliases) that download packages into the cache.
pub const NPM_DOWNLOADS: &[&str] = &[
    "install",
    "i",
    "in",
    "add",
    "isntall",
    "ci",
    "clean-install",
    "install-clean",
    "ic",
    "update",
    "up",
    "upgrade",
];

/// The subcommand of an `npm` command (any path).
pub fn npm_subcommand(command: &Command) -> Option<Operand> {
    (command.basename() == Some("npm"))
        .then(|| first_operand(&command.args, NPM_OPTIONS_WITH_VALUE))
}

/// The command is an npm install, ci or update.
pub fn npm_downloads(command: &Command) -> bool {
    match npm_subcommand(command) {
        Some(Operand::At(i)) => command.args[i]
            .as_str()
            .is_some_and(|name| NPM_DOWNLOADS.contains(&name)),
        Some(Operand::Dynamic) => command
            .arg_values()
            .flatten()
            .any(|value| NPM_DOWNLOADS.contains(&value)),
        _ => false,
    }
}

/// `npm cache clean` (or its old alias `clear`; any options).
pub fn npm_cache_clean(command: &Command) -> bool {
    matches!(npm_subcommand(command), Some(Operand::At(i))
        if command.args[i].as_str() == Some("cache")
            && command.args[i + 1..].iter().any(|w| matches!(w.as_str(), Some("clean" | "clear"))))
}

/// Yarn's options that take their value as the next word.
const YARN_OPTIONS_WITH_VALUE: &[&str] = &[
    "--cwd",
    "--cache-folder",
    "--modules-folder",
    "--global-folder",
    "--network-timeout",
    "--mutex",
    "--registry",
];

/// A Yarn command that installs packages: bare `yarn` (options only), `yarn install`, `yarn
/// add`, `yarn global add`.
pub fn yarn_installs(command: &Command) -> bool {
    if command.basename() != Some("yarn") {
        return false;
    }
    let args = &command.args;
    match first_operand(args, YARN_OPTIONS_WITH_VALUE) {
        Operand::Missing => true,
        Operand::Dynamic => false,
        Operand::At(i) => match args[i].as_str() {
            Some("install" | "add") => true,
            Some("global") => matches!(
                first_operand(&args[i + 1..], YARN_OPTIONS_WITH_VALUE),
                Operand::At(j) if args[i + 1 + j].as_str() == Some("add")
            ),
            _ => false,
        },
    }
}

/// `yarn cache clean` (any options).
pub fn yarn_cache_clean(command: &Command) -> bool {
    command.basename() == Some("yarn")
        && matches!(first_operand(&command.args, YARN_OPTIONS_WITH_VALUE),
            Operand::At(i) if command.args[i].as_str() == Some("cache")
                && command.args[i + 1..].iter().any(|w| w.as_str() == Some("clean")))
}

/// Which Yarn runs a command (RULES.md DF132).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YarnFlavor {
    /// Yarn 1 ("classic"): packages are copied into node_modules, the cache is dead weight.
    V1,
    /// Yarn 2+; `pnp`: Plug'n'Play loads packages from the cache zips at run time.
    Berry { pnp: bool },
    /// Not known; why.
    Unknown(&'static str),
}

/// Which Yarn `run` (a Yarn command) runs, from the files the stage copied from the build
/// context into its working directory: Berry when `.yarnrc.yml` is there (or beside the copied
/// lockfile in the context), the lockfile has `__metadata:`, or package.json's `packageManager`
/// is `yarn@2+` with `corepack enable` before; v1 when the lockfile says `# yarn lockfile v1` or
/// the command is `yarn global` (Berry has none) and nothing says Berry.
pub fn yarn_flavor(document: &Document, run: &RunCommand) -> YarnFlavor {
    let global = matches!(first_operand(&run.command.args, YARN_OPTIONS_WITH_VALUE),
        Operand::At(i) if run.command.args[i].as_str() == Some("global"));
    if global {
        return YarnFlavor::V1;
    }
    let Some(context) = document.context.as_deref() else {
        return YarnFlavor::Unknown("the build context is unknown");
    };
    let Some(cwd) = command_cwd(document, run) else {
        return YarnFlavor::Unknown("the working directory is not known");
    };
    let file = |name: &str| document.image_file_source(run.index, &format!("{cwd}/{name}"));
    let read = |source: &ImageFile| match source {
        ImageFile::Context(path) => context.read(path),
        _ => None,
    };
    let lock = file("yarn.lock");
    let lock_text = read(&lock);
    let mut rc = read(&file(".yarnrc.yml"));
    if rc.is_none() {
        if let ImageFile::Context(path) = &lock {
            let dir = path.rsplit_once('/').map_or("", |(dir, _)| dir);
            let beside = if dir.is_empty() {
                ".yarnrc.yml".to_string()
            } else {
                format!("{dir}/.yarnrc.yml")
            };
            rc = context.read(&beside);
        }
    }
    let corepack = document
        .instructions_before(run.index)
        .into_iter()
        .chain([run.index])
        .any(|i| {
            let instruction = &document.instructions[i];
            instruction.keyword == Keyword::Run
                && instruction.logical.text.contains("corepack enable")
        });
    let package_manager = read(&file("package.json"))
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .and_then(|json| json.get("packageManager")?.as_str().map(str::to_string));
    let berry_manager = package_manager
        .as_deref()
        .and_then(|pm| pm.strip_prefix("yarn@"))
        .and_then(|version| version.split('.').next()?.parse::<u32>().ok())
        .is_some_and(|major| major >= 2);
    let berry_lock = lock_text
        .as_deref()
        .is_some_and(|text| text.lines().any(|line| line.starts_with("__metadata:")));
    if rc.is_some() || berry_lock || (berry_manager && corepack) {
        let linker = rc.as_deref().and_then(|text| {
            text.lines()
                .find_map(|line| line.trim().strip_prefix("nodeLinker:"))
                .map(|value| value.trim().trim_matches(['"', '\'']).to_string())
        });
        return YarnFlavor::Berry {
            pnp: linker.is_none_or(|linker| linker == "pnp"),
        };
    }
    match (&lock, lock_text) {
        (_, Some(text)) if text.contains("# yarn lockfile v1") => YarnFlavor::V1,
        (ImageFile::Unknown, _) => YarnFlavor::Unknown("yarn.lock comes from elsewhere"),
        _ => YarnFlavor::Unknown("no yarn.lock copied from the build context"),
    }
}

/// A package manager whose cache DF160 moves to a cache mount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheManager {
    Apt,
    Pip,
    Npm,
    Yarn,
}

impl CacheManager {
    /// The `--mount` flags, root's home.
    fn mounts(self) -> &'static str {
        match self {
            CacheManager::Apt => "--mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked",
            CacheManager::Pip => "--mount=type=cache,target=/root/.cache/pip",
            CacheManager::Npm => "--mount=type=cache,target=/root/.npm",
            CacheManager::Yarn => "--mount=type=cache,target=/usr/local/share/.cache/yarn",
        }
    }

    /// The cache directories a mount covers (home-relative ones under root's home).
    fn dirs(self) -> &'static [&'static str] {
        match self {
            CacheManager::Apt => &["/var/cache/apt", "/var/lib/apt"],
            CacheManager::Pip => &[".cache/pip"],
            CacheManager::Npm => &[".npm"],
            CacheManager::Yarn => &["/usr/local/share/.cache/yarn"],
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            CacheManager::Apt => "apt",
            CacheManager::Pip => "pip",
            CacheManager::Npm => "npm",
            CacheManager::Yarn => "yarn",
        }
    }
}

/// DF160's conversion of one RUN: the managers it mounts caches for, the edits (mount flags
/// after `RUN`, the no-cache flags and cleanups removed, apt's docker-clean turned off) and the
/// commands those edits delete.
#[derive(Debug, Clone)]
pub struct MountPlan {
    pub managers: Vec<CacheManager>,
    pub edits: Vec<Edit>,
    pub dropped: Vec<&'static str>,
}

/// DF160 takes the RUN over for `manager`: it is selected with its fixes allowed
/// (`Settings::cache_mounts`) and converts that manager's commands in this RUN.
pub fn cache_mount_planned(
    document: &Document,
    settings: &Settings,
    index: usize,
    manager: CacheManager,
) -> bool {
    settings.cache_mounts
        && matches!(mount_plan(document, index), Ok(Some(plan)) if plan.managers.contains(&manager))
}

/// How DF160 converts RUN `index`: `Ok(None)` when it runs no package manager that needs a
/// mount, `Err` when it does but the conversion is refused (reason, why).
pub fn mount_plan(
    document: &Document,
    index: usize,
) -> Result<Option<MountPlan>, (SkipReason, &'static str)> {
    let Some(mut plan) = conversion(document, index)? else {
        return Ok(None);
    };
    let instruction = &document.instructions[index];
    let converted_before = || {
        document.instructions_before(index).into_iter().any(|i| {
            matches!(conversion(document, i), Ok(Some(earlier)) if earlier.managers.contains(&CacheManager::Apt))
        })
    };
    if plan.managers.contains(&CacheManager::Apt)
        && !keep_cache_configured(document, index)
        && !converted_before()
    {
        let body = instruction
            .editable_shell(document.text())
            .map_err(|reason| (reason, "the RUN cannot be edited"))?;
        // Before the first statement (not the first command: that may sit in a `$( )` of an
        // assignment), after blank and comment lines.
        let script = body.script.text();
        let mut offset = 0;
        for line in script.split_inclusive('\n') {
            let code = line.trim_start();
            if !code.is_empty() && !code.starts_with('#') {
                offset += line.len() - code.len();
                break;
            }
            offset += line.len();
        }
        if offset >= script.len() {
            return Err(("empty-run", "the RUN has no command"));
        }
        plan.edits.push(Edit::insert(
            instruction.script_to_file(body, offset),
            "rm -f /etc/apt/apt.conf.d/docker-clean && echo 'Binary::apt::APT::Keep-Downloaded-Packages \"true\";' > /etc/apt/apt.conf.d/keep-cache && ",
        ));
    }
    Ok(Some(plan))
}

/// [`mount_plan`] without apt's once-per-stage docker-clean step.
fn conversion(
    document: &Document,
    index: usize,
) -> Result<Option<MountPlan>, (SkipReason, &'static str)> {
    let instruction = &document.instructions[index];
    let text = &instruction.logical.text;
    if instruction.keyword != Keyword::Run
        || !["apt", "pip", "npm", "yarn"]
            .iter()
            .any(|tool| text.contains(tool))
    {
        return Ok(None);
    }
    let Ok(body) = instruction.editable_shell(document.text()) else {
        return Ok(None);
    };
    let runs: Vec<RunCommand> = body
        .script
        .commands()
        .iter()
        .map(|command| RunCommand {
            index,
            instruction,
            body,
            command,
        })
        .collect();
    let mut managers: Vec<CacheManager> = Vec::new();
    for run in &runs {
        let Some(manager) = manager_of(document, run) else {
            continue;
        };
        if cache_covered(instruction, manager.dirs()) || managers.contains(&manager) {
            continue;
        }
        if run.command.nesting == Nesting::Substitution {
            return Err(("nested-shell", "a package manager runs in a nested shell"));
        }
        managers.push(manager);
    }
    if managers.is_empty() {
        return Ok(None);
    }
    if !runs_as_root(document, index) {
        return Err((
            "non-root-user",
            "the RUN runs as a non-root USER: the mount would need its uid/gid and home",
        ));
    }
    if instruction.flag("mount").is_some() {
        return Err(("has-mounts", "the RUN already has mounts"));
    }
    if read_later(document, index, &managers) {
        return Err((
            "cache-read-later",
            "a later instruction reads a cache directory (or installs offline from it)",
        ));
    }
    let mut edits = Vec::new();
    let mut dropped = Vec::new();
    for run in &runs {
        removals(document, run, &managers, &mut edits, &mut dropped)?;
    }
    let keyword_end = text
        .find(|c: char| c.is_ascii_whitespace())
        .unwrap_or(text.len());
    let flags: Vec<&str> = managers.iter().map(|m| m.mounts()).collect();
    edits.push(Edit::insert(
        instruction.logical.map.to_file_end(keyword_end),
        format!(" {}", flags.join(" ")),
    ));
    Ok(Some(MountPlan {
        managers,
        edits,
        dropped,
    }))
}

/// The manager whose cache this command fills, if DF160 converts it.
fn manager_of(document: &Document, run: &RunCommand) -> Option<CacheManager> {
    let command = run.command;
    if let Some(Operand::At(i)) = apt_subcommand(command) {
        let fills = matches!(
            command.args[i].as_str(),
            Some("update" | "install" | "upgrade" | "dist-upgrade" | "full-upgrade" | "build-dep")
        );
        return fills.then_some(CacheManager::Apt);
    }
    if let Some(args) = pip_arguments(command) {
        let install = matches!(first_operand(args, &[]), Operand::At(i) if args[i].as_str() == Some("install"));
        let disabled = environment(document, run, "PIP_NO_CACHE_DIR").is_some();
        return (install && !disabled).then_some(CacheManager::Pip);
    }
    if npm_downloads(command) {
        return Some(CacheManager::Npm);
    }
    if yarn_installs(command) && yarn_flavor(document, run) == YarnFlavor::V1 {
        return Some(CacheManager::Yarn);
    }
    None
}

/// The RUN runs as root: no USER before it in the stage or its parents, or `root`/`0`.
fn runs_as_root(document: &Document, index: usize) -> bool {
    document
        .instructions_before(index)
        .into_iter()
        .map(|i| &document.instructions[i])
        .find(|i| i.keyword == Keyword::User && !i.onbuild)
        .is_none_or(|user| {
            let name = user.args().trim().split(':').next().unwrap_or_default();
            name == "root" || name == "0"
        })
}

/// A later instruction of the stage reads a cache directory: names it outside the package
/// managers' own commands and `rm` (a RUN), or at all (COPY, ENV …); or installs offline.
fn read_later(document: &Document, index: usize, managers: &[CacheManager]) -> bool {
    const OWN: &[&str] = &[
        "rm", "apt-get", "apt", "pip", "pip3", "npm", "yarn", "python", "python3",
    ];
    let stage = document.instructions[index].stage;
    document.instructions[index + 1..]
        .iter()
        .take_while(|i| i.stage == stage)
        .any(|i| {
            let text = &i.logical.text;
            managers.iter().any(|manager| {
                let names = |text: &str| manager.dirs().iter().any(|dir| text.contains(dir));
                if !names(text) {
                    let offline = matches!(manager, CacheManager::Npm | CacheManager::Yarn)
                        && text.contains(manager.name())
                        && text.contains("--offline");
                    return offline;
                }
                match i.editable_shell(document.text()) {
                    Ok(body) => body.script.commands().iter().any(|command| {
                        !command.basename().is_some_and(|name| OWN.contains(&name))
                            && command.arg_values().flatten().any(names)
                    }),
                    Err(_) => true,
                }
            })
        })
}

/// An earlier RUN (stage or parents) already keeps apt's downloads for a cache mount.
fn keep_cache_configured(document: &Document, index: usize) -> bool {
    document.instructions_before(index).into_iter().any(|i| {
        let text = &document.instructions[i].logical.text;
        text.contains("Keep-Downloaded-Packages") && text.contains("true")
    })
}

/// The edits removing this command's no-cache flag or cleanup, for the converted managers.
fn removals(
    document: &Document,
    run: &RunCommand,
    managers: &[CacheManager],
    edits: &mut Vec<Edit>,
    dropped: &mut Vec<&'static str>,
) -> Result<(), (SkipReason, &'static str)> {
    let command = run.command;
    let has = |manager| managers.contains(&manager);
    if has(CacheManager::Pip) {
        if let Some(args) = pip_arguments(command) {
            for word in args
                .iter()
                .filter(|w| w.as_str().is_some_and(|v| v.starts_with("--no-cache-dir")))
            {
                edits.push(remove_word(document, run, word));
            }
            return Ok(());
        }
    }
    let apt_clean = matches!(apt_subcommand(command), Some(Operand::At(i))
        if matches!(command.args[i].as_str(), Some("clean" | "autoclean")));
    let cleanup = (has(CacheManager::Npm) && npm_cache_clean(command))
        || (has(CacheManager::Yarn) && yarn_cache_clean(command))
        || (has(CacheManager::Apt) && apt_clean);
    if cleanup {
        edits.push(remove_command(document, run)?);
        dropped.push(match command.basename() {
            Some("npm") => "npm",
            Some("yarn") => "yarn",
            Some("apt") => "apt",
            _ => "apt-get",
        });
        return Ok(());
    }
    if has(CacheManager::Apt) && command.basename() == Some("rm") {
        let lists = |word: &&Word| {
            word.as_str().is_some_and(|v| {
                let v = v.trim_end_matches('*').trim_end_matches('/');
                v == "/var/lib/apt/lists" || v == "/var/cache/apt" || v == "/var/cache/apt/archives"
            })
        };
        let operands: Vec<&Word> = command
            .args
            .iter()
            .filter(|w| !w.as_str().is_some_and(|v| v.starts_with('-')))
            .collect();
        let removed: Vec<&Word> = operands.iter().copied().filter(lists).collect();
        if removed.is_empty() {
            return Ok(());
        }
        if removed.len() == operands.len() {
            edits.push(remove_command(document, run)?);
            dropped.push("rm");
        } else {
            edits.extend(removed.into_iter().map(|w| remove_word(document, run, w)));
        }
    }
    Ok(())
}

/// Delete a word and the blanks before it; a word alone on its continuation line takes the
/// whole line.
fn remove_word(document: &Document, run: &RunCommand, word: &Word) -> Edit {
    let text = document.text();
    let range = run.file_range(&word.range);
    let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[range.end..]
        .find('\n')
        .map_or(text.len(), |i| range.end + i + 1);
    let escape = char::from(document.directives.escape);
    let before = &text[line_start..range.start];
    let after = text[range.end..line_end].trim();
    if before.trim().is_empty()
        && (after.is_empty() || after == escape.to_string())
        && line_start > 0
    {
        return Edit {
            range: line_start..line_end,
            replacement: String::new(),
        };
    }
    let start = range.start - (before.len() - before.trim_end_matches([' ', '\t']).len());
    Edit {
        range: start..range.end,
        replacement: String::new(),
    }
}

/// Delete a command with the `&&`/`;` that joins it to the command before it.
fn remove_command(
    document: &Document,
    run: &RunCommand,
) -> Result<Edit, (SkipReason, &'static str)> {
    let refuse = (
        "cleanup-layout",
        "a cleanup to remove is not a plain `&&`/`;` step",
    );
    let script = run.body.script.text();
    let commands = run.body.script.commands();
    let position = commands
        .iter()
        .position(|c| c.range == run.command.range)
        .ok_or(refuse)?;
    let previous = position
        .checked_sub(1)
        .map(|p| &commands[p])
        .ok_or(refuse)?;
    let between = &script[previous.range.end..run.command.range.start];
    let joined = matches!(between.trim(), "&&" | ";")
        || (between.trim().is_empty() && between.contains('\n'));
    if !joined || run.command.nesting != Nesting::TopLevel {
        return Err(refuse);
    }
    let range: Range<usize> = run.file_range(&(previous.range.end..run.command.range.end));
    if document.text()[range.clone()]
        .lines()
        .any(|line| line.trim_start().starts_with('#'))
    {
        return Err(refuse);
    }
    Ok(Edit {
        range,
        replacement: String::new(),
    })
}

/// The directory a command runs in: the RUN's WORKDIR joined with the literal top-level `cd`s
/// before it (paths as [`Document::workdir`] writes them); `None` when a `cd` before it is not
/// literal, has no operand, or runs nested.
pub fn command_cwd(document: &Document, run: &RunCommand) -> Option<String> {
    let mut cwd = document.workdir(run.index)?;
    for command in run.body.script.commands() {
        if command.range.start >= run.command.range.start {
            break;
        }
        if command.basename() != Some("cd") {
            continue;
        }
        let operands: Vec<&Word> = command
            .args
            .iter()
            .filter(|w| w.as_str() != Some("--"))
            .collect();
        match (command.nesting, operands.as_slice()) {
            (Nesting::TopLevel, [dir]) => {
                let dir = dir.as_str().filter(|d| *d != "-" && !d.starts_with('~'))?;
                cwd = crate::document::join_path(&cwd, dir);
            }
            _ => return None,
        }
    }
    Some(cwd)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apply;
    use crate::config::select_rules;
    use crate::fix::Applicability;
    use crate::source::Source;

    /// The Dockerfile fixed with `rules`, DF160 taking over when `cache_mounts`.
    fn fixed(text: &str, rules: &[&str], cache_mounts: bool) -> String {
        let rules: Vec<String> = rules.iter().map(|r| r.to_string()).collect();
        let rules = select_rules(&rules, &[]).unwrap();
        let settings = Settings {
            cache_mounts,
            ..Settings::default()
        };
        let fixed = apply::fix(
            Source::new(text.to_string()),
            &rules,
            &settings,
            Applicability::Unsafe,
        );
        assert!(fixed.internal.is_empty(), "{:?}", fixed.internal);
        fixed.source.text().to_string()
    }

    #[test]
    fn no_cache_rules_leave_runs_to_df160() {
        let text = "FROM python:3.12\nRUN apt-get update && apt-get install -y curl\nRUN pip install flask\nRUN npm ci\nUSER app\nRUN pip install x\n";
        let rules = ["DF102", "DF120", "DF131", "DF160"];
        let converted = fixed(text, &rules, true);
        assert_eq!(
            converted,
            "FROM python:3.12\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked rm -f /etc/apt/apt.conf.d/docker-clean && echo 'Binary::apt::APT::Keep-Downloaded-Packages \"true\";' > /etc/apt/apt.conf.d/keep-cache && apt-get update && apt-get install -y curl\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\nRUN --mount=type=cache,target=/root/.npm npm ci\nUSER app\nRUN pip install --no-cache-dir x\n"
        );
        // Without DF160's fixes allowed, the no-cache rules fix as usual.
        let plain = fixed(text, &rules[..3], false);
        assert!(plain.contains("rm -rf /var/lib/apt/lists/*"));
        assert!(plain.contains("pip install --no-cache-dir flask"));
        assert!(plain.contains("npm ci && npm cache clean --force"));
    }

    #[test]
    fn df160_removes_what_the_no_cache_rules_added() {
        let text = "FROM node:20\nRUN npm ci\nRUN pip install flask\n";
        let cached = fixed(text, &["DF120", "DF131"], false);
        assert_eq!(
            fixed(&cached, &["DF120", "DF131", "DF160"], true),
            "FROM node:20\nRUN --mount=type=cache,target=/root/.npm npm ci\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n"
        );
    }
}
