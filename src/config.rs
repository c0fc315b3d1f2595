//! Settings the passes read, which rules run, the configuration file (`.dockfix.toml`,
//! `dockfix.toml` or `[tool.dockfix]` in `pyproject.toml`), and inline suppression
//! (`# dockfix: ignore=…`, hadolint pragmas; RULES.md §5). The `# hadolint shell=` pragma is
//! read with the shell facts, in [`crate::document`].
//!
//! Precedence, lowest first: the defaults, the nearest configuration file, the command line,
//! then inline suppressions in the Dockerfile (they only ever remove findings).

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use globset::{GlobSet, GlobSetBuilder};
use rayon::prelude::*;

use crate::document::{strip_prefix_ignore_case, Document};
use crate::fix::{Applicability, Finding};
use crate::transforms::{Rule, RULES};

/// What passes may consult besides the Dockerfile.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The build context (`--context`); `None` means the Dockerfile's own directory.
    pub context_dir: Option<PathBuf>,
    /// `# hadolint ignore=DLxxxx` suppresses the dockfix rules the DL code maps to (§13).
    pub hadolint_pragmas: bool,
    /// DF001's policy (`[rules.DF001]`).
    pub merge: MergeOptions,
    /// DF160 is selected and its (unsafe) fixes may be applied: the RUNs it converts to cache
    /// mounts are left alone by the no-cache rules (RULES.md §4 interactions).
    pub cache_mounts: bool,
    /// DF511's `allowed-registries` (`[rules.DF511]`): patterns as hadolint's
    /// `trustedRegistries` reads them; empty means every registry is allowed.
    pub allowed_registries: Vec<String>,
    /// DF300's options (`[rules.DF300]`).
    pub split: SplitOptions,
}

/// DF300 `split-build-and-runtime` options (RULES.md DF300).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SplitOptions {
    /// `default-codename`: the Debian release of a builder tag without codename whose version
    /// the base-facts table lacks (unset: such a tag is refused).
    pub default_codename: Option<String>,
    /// `static-runtime-image`: the web server image of a Node static site (unset:
    /// `nginx:stable`, with the builder's codename when its tag names one).
    pub static_runtime_image: Option<String>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            context_dir: None,
            hadolint_pragmas: true,
            merge: MergeOptions::default(),
            cache_mounts: false,
            allowed_registries: Vec::new(),
            split: SplitOptions::default(),
        }
    }
}

/// DF001 `merge-adjacent-runs` options (RULES.md §6 "Policy").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MergeOptions {
    pub policy: MergePolicy,
    /// Top-level commands a RUN may have and still be merged (policy `simple`).
    pub max_commands: usize,
    /// Longest merged logical line, in bytes.
    pub max_length: usize,
    /// `merge-across-metadata`: RUNs with only LABEL, EXPOSE, MAINTAINER, STOPSIGNAL,
    /// HEALTHCHECK, CMD or ENTRYPOINT between them are merged too (those move below the
    /// merged RUN). Off by default, as RULES.md §6 DF001 says.
    pub across_metadata: bool,
}

impl Default for MergeOptions {
    fn default() -> MergeOptions {
        MergeOptions {
            policy: MergePolicy::Simple,
            max_commands: 3,
            max_length: 2000,
            across_metadata: false,
        }
    }
}

/// `merge = "simple" | "all" | "off"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergePolicy {
    /// Short RUNs only (`max-commands`).
    Simple,
    /// Any number of commands per RUN.
    All,
    /// Never merge.
    Off,
}

/// `sh -c` receives the merged script as one argument, which Linux caps at 128 KiB.
const MAX_LENGTH_CAP: usize = 100 * 1024;

/// A selector that names no rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown rule selector `{0}` (expected a code like DF101, a prefix like DF1, a rule name, or ALL)")]
pub struct UnknownSelector(pub String);

/// One layer of rule selection (the configuration file, then the command line).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Replaces the rules selected so far.
    pub select: Option<Vec<String>>,
    /// Adds to them.
    pub extend_select: Vec<String>,
    /// Removes from them.
    pub ignore: Vec<String>,
}

/// The rules to run: `select` (default: the default-enabled rules) minus `ignore`, in registry
/// order. A selector is `ALL`, a code, a code prefix (`DF1`) or a rule name.
pub fn select_rules(
    select: &[String],
    ignore: &[String],
) -> Result<Vec<&'static Rule>, UnknownSelector> {
    resolve_rules(&[Selection {
        select: (!select.is_empty()).then(|| select.to_vec()),
        extend_select: Vec::new(),
        ignore: ignore.to_vec(),
    }])
}

/// Apply selection layers in order, starting from the default-enabled rules: a layer's
/// `select` replaces the set, `extend-select` adds, `ignore` removes (as ruff does, a later
/// layer's `select` re-enables what an earlier layer ignored).
pub fn resolve_rules(layers: &[Selection]) -> Result<Vec<&'static Rule>, UnknownSelector> {
    let mut enabled: Vec<bool> = RULES.iter().map(|rule| rule.default_enabled).collect();
    for layer in layers {
        if let Some(select) = &layer.select {
            let select = matchers(select)?;
            for (on, rule) in enabled.iter_mut().zip(RULES) {
                *on = select.iter().any(|s| matches(s, rule));
            }
        }
        for (selectors, value) in [(&layer.extend_select, true), (&layer.ignore, false)] {
            let selectors = matchers(selectors)?;
            for (on, rule) in enabled.iter_mut().zip(RULES) {
                if selectors.iter().any(|s| matches(s, rule)) {
                    *on = value;
                }
            }
        }
    }
    Ok(RULES
        .iter()
        .zip(enabled)
        .filter_map(|(rule, on)| on.then_some(rule))
        .collect())
}

fn matchers(selectors: &[String]) -> Result<Vec<String>, UnknownSelector> {
    selectors
        .iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .map(|s| {
            if RULES.iter().any(|rule| matches(&s, rule)) {
                Ok(s)
            } else {
                Err(UnknownSelector(s))
            }
        })
        .collect()
}

fn matches(selector: &str, rule: &Rule) -> bool {
    selector.eq_ignore_ascii_case("ALL")
        || selector == rule.name
        || (selector.len() >= 2 && rule.code.starts_with(&selector.to_ascii_uppercase()))
}

// Configuration files.

/// The names of a configuration file, in the order they are tried in each directory (as ruff
/// tries `.ruff.toml`, `ruff.toml`, `pyproject.toml`).
pub const CONFIG_NAMES: &[&str] = &[".dockfix.toml", "dockfix.toml", PYPROJECT];

/// Configures dockfix only with a `[tool.dockfix]` table, as `[tool.ruff]` configures ruff.
const PYPROJECT: &str = "pyproject.toml";

/// The configuration file in `dir` itself, if any; a `pyproject.toml` without
/// `[tool.dockfix]` is passed over.
fn config_in(dir: &Path) -> Option<PathBuf> {
    CONFIG_NAMES
        .iter()
        .map(|name| dir.join(name))
        .find(|path| path.is_file() && (!is_pyproject(path) || configures_dockfix(path)))
}

fn is_pyproject(path: &Path) -> bool {
    path.file_name().is_some_and(|name| name == PYPROJECT)
}

/// A `pyproject.toml` with a `[tool.dockfix]` table; one that names dockfix but is not valid
/// TOML counts too, so that its error is reported instead of another file silently used.
fn configures_dockfix(path: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    text.contains("dockfix")
        && text
            .parse::<toml::Table>()
            .map_or(true, |table| tool_dockfix(table).is_some())
}

/// The `[tool.dockfix]` value of a parsed `pyproject.toml`.
fn tool_dockfix(mut table: toml::Table) -> Option<toml::Value> {
    match table.remove("tool")? {
        toml::Value::Table(mut tool) => tool.remove("dockfix"),
        _ => None,
    }
}

/// A parsed `dockfix.toml`.
#[derive(Debug, Clone, Default)]
pub struct ConfigFile {
    pub path: PathBuf,
    pub selection: Selection,
    pub unsafe_fixes: Option<bool>,
    pub hadolint_pragmas: Option<bool>,
    /// Glob patterns, relative to the file's directory.
    pub exclude: Vec<String>,
    pub merge: MergeOptions,
    /// `[rules.DF511] allowed-registries`.
    pub allowed_registries: Vec<String>,
    /// `[rules.DF300]`.
    pub split: SplitOptions,
}

impl ConfigFile {
    /// Read and check a configuration file (of a `pyproject.toml`, its `[tool.dockfix]`
    /// table); unknown keys and wrong types are errors (a typo must not silently select other
    /// rules).
    pub fn load(path: &Path) -> Result<ConfigFile, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|err| format!("cannot read: {}", crate::discover::describe_io_error(&err)))?;
        let mut table: toml::Table = text.parse().map_err(|err: toml::de::Error| {
            err.to_string()
                .lines()
                .next()
                .unwrap_or_default()
                .to_string()
        })?;
        if is_pyproject(path) {
            table = match tool_dockfix(table) {
                Some(toml::Value::Table(table)) => table,
                Some(_) => return Err("`tool.dockfix` must be a table".to_string()),
                None => return Err("no `[tool.dockfix]` table".to_string()),
            };
        }
        let mut config = ConfigFile {
            path: path.to_path_buf(),
            ..ConfigFile::default()
        };
        for (key, value) in &table {
            match key.as_str() {
                "select" => config.selection.select = Some(strings(key, value)?),
                "extend-select" => config.selection.extend_select = strings(key, value)?,
                "ignore" => config.selection.ignore = strings(key, value)?,
                "exclude" => config.exclude = strings(key, value)?,
                "unsafe-fixes" => config.unsafe_fixes = Some(boolean(key, value)?),
                "hadolint-pragmas" => config.hadolint_pragmas = Some(boolean(key, value)?),
                "rules" => {
                    let rules = value
                        .as_table()
                        .ok_or("`rules` must be a table of per-rule options")?;
                    for (rule, options) in rules {
                        config.rule_options(rule, options)?;
                    }
                }
                _ => return Err(format!("unknown key `{key}`")),
            }
        }
        let layer = std::slice::from_ref(&config.selection);
        resolve_rules(layer).map_err(|err| err.to_string())?;
        exclude_matcher(&config.exclude)?;
        Ok(config)
    }

    /// `[rules.DF001]` (or `[rules.merge-adjacent-runs]`), `[rules.DF300]`, `[rules.DF511]`.
    fn rule_options(&mut self, rule: &str, options: &toml::Value) -> Result<(), String> {
        let code = crate::transforms::rule(rule)
            .ok_or_else(|| format!("`rules.{rule}`: no such rule"))?
            .code;
        let options = options
            .as_table()
            .ok_or_else(|| format!("`rules.{rule}` must be a table"))?;
        if !["DF001", "DF300", "DF511"].contains(&code) {
            return Err(format!("`rules.{rule}`: {code} has no options"));
        }
        for (key, value) in options {
            let name = format!("rules.{rule}.{key}");
            match (code, key.as_str()) {
                ("DF001", "merge") => {
                    self.merge.policy = match value.as_str() {
                        Some("simple") => MergePolicy::Simple,
                        Some("all") => MergePolicy::All,
                        Some("off") => MergePolicy::Off,
                        _ => {
                            return Err(format!("`{name}` must be \"simple\", \"all\" or \"off\""))
                        }
                    }
                }
                ("DF001", "max-commands") => {
                    self.merge.max_commands = count(&name, value, usize::MAX)?
                }
                ("DF001", "max-length") => {
                    self.merge.max_length = count(&name, value, MAX_LENGTH_CAP)?
                }
                ("DF001", "merge-across-metadata") => {
                    self.merge.across_metadata = boolean(&name, value)?
                }
                ("DF300", "default-codename") => {
                    let codename = string(&name, value)?;
                    if crate::stages::debian_version(&codename).is_none() {
                        return Err(format!(
                            "`{name}`: `{codename}` is not a Debian release dockfix knows (bullseye, bookworm, trixie)"
                        ));
                    }
                    self.split.default_codename = Some(codename);
                }
                ("DF300", "static-runtime-image") => {
                    let image = string(&name, value)?;
                    if image.is_empty() || image.contains(char::is_whitespace) {
                        return Err(format!("`{name}`: `{image}` is not an image reference"));
                    }
                    self.split.static_runtime_image = Some(image);
                }
                ("DF511", "allowed-registries") => {
                    self.allowed_registries = strings(&name, value)?;
                    let inner = |p: &str| {
                        let p = p.strip_prefix('*').unwrap_or(p);
                        p.strip_suffix('*').unwrap_or(p).contains('*')
                    };
                    if let Some(bad) = self
                        .allowed_registries
                        .iter()
                        .find(|p| p.is_empty() || inner(p))
                    {
                        return Err(format!(
                            "`{name}`: `{bad}` is not a registry pattern (`*` may only start or end one)"
                        ));
                    }
                }
                _ => return Err(format!("unknown key `{name}`")),
            }
        }
        Ok(())
    }
}

fn strings(key: &str, value: &toml::Value) -> Result<Vec<String>, String> {
    let error = || format!("`{key}` must be a list of strings");
    value
        .as_array()
        .ok_or_else(error)?
        .iter()
        .map(|item| item.as_str().map(str::to_string).ok_or_else(error))
        .collect()
}

fn string(key: &str, value: &toml::Value) -> Result<String, String> {
    value
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("`{key}` must be a string"))
}

fn boolean(key: &str, value: &toml::Value) -> Result<bool, String> {
    value
        .as_bool()
        .ok_or_else(|| format!("`{key}` must be true or false"))
}

fn count(key: &str, value: &toml::Value, max: usize) -> Result<usize, String> {
    value
        .as_integer()
        .and_then(|n| usize::try_from(n).ok())
        .filter(|&n| n >= 1 && n <= max)
        .ok_or_else(|| format!("`{key}` must be a whole number from 1 to {max}"))
}

/// What the command line sets; `None` or empty leaves the configuration file's value.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub selection: Selection,
    pub unsafe_fixes: Option<bool>,
    pub context_dir: Option<PathBuf>,
}

/// Everything that decides how one file is checked and fixed.
pub struct Resolved {
    /// The configuration file used, if any.
    pub config: Option<PathBuf>,
    pub rules: Vec<&'static Rule>,
    pub settings: Settings,
    /// The least trusted fix applied.
    pub minimum: Applicability,
    pub exclude: Exclude,
}

/// Combine the defaults, a configuration file and the command line.
pub fn resolve(config: Option<&ConfigFile>, overrides: &Overrides) -> Result<Resolved, String> {
    let mut layers = Vec::new();
    layers.extend(config.map(|c| c.selection.clone()));
    layers.push(overrides.selection.clone());
    let rules = resolve_rules(&layers).map_err(|err| err.to_string())?;
    let unsafe_fixes = overrides
        .unsafe_fixes
        .or(config.and_then(|c| c.unsafe_fixes))
        .unwrap_or(false);
    let settings = Settings {
        context_dir: overrides.context_dir.clone(),
        hadolint_pragmas: config.and_then(|c| c.hadolint_pragmas).unwrap_or(true),
        merge: config.map(|c| c.merge).unwrap_or_default(),
        cache_mounts: unsafe_fixes && rules.iter().any(|rule| rule.code == "DF160"),
        allowed_registries: config
            .map(|c| c.allowed_registries.clone())
            .unwrap_or_default(),
        split: config.map(|c| c.split.clone()).unwrap_or_default(),
    };
    let exclude = match config {
        Some(config) => Exclude {
            root: config.path.parent().map(Path::to_path_buf),
            patterns: config.exclude.clone(),
            matcher: exclude_matcher(&config.exclude)?,
        },
        None => Exclude::default(),
    };
    Ok(Resolved {
        config: config.map(|c| c.path.clone()),
        rules,
        settings,
        minimum: if unsafe_fixes {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        },
        exclude,
    })
}

impl Resolved {
    /// The resolved settings as TOML, for `--show-settings`.
    pub fn describe(&self) -> String {
        let list = |items: Vec<String>| {
            let quoted: Vec<String> = items.iter().map(|item| format!("{item:?}")).collect();
            format!("[{}]", quoted.join(", "))
        };
        let config = self
            .config
            .as_ref()
            .map_or("none (defaults)".to_string(), |path| {
                path.display().to_string()
            });
        let merge = self.settings.merge;
        let policy = match merge.policy {
            MergePolicy::Simple => "simple",
            MergePolicy::All => "all",
            MergePolicy::Off => "off",
        };
        let context = self
            .settings
            .context_dir
            .as_ref()
            .map_or("each Dockerfile's directory".to_string(), |dir| {
                dir.display().to_string()
            });
        // Unset options have no TOML value: a comment says what applies instead.
        let split = &self.settings.split;
        let codename = split.default_codename.as_ref().map_or(
            "# default-codename: unset (a builder version missing from the base-facts table is refused)".to_string(),
            |codename| format!("default-codename = {codename:?}"),
        );
        let static_image = split.static_runtime_image.as_ref().map_or(
            "# static-runtime-image: unset (`nginx:stable`, `nginx:stable-<codename>` when the builder's tag names one)".to_string(),
            |image| format!("static-runtime-image = {image:?}"),
        );
        format!(
            "# configuration file: {config}\n# build context: {context}\nselect = {}\nunsafe-fixes = {}\nhadolint-pragmas = {}\nexclude = {}\n\n[rules.DF001]\nmerge = \"{policy}\"\nmax-commands = {}\nmax-length = {}\nmerge-across-metadata = {}\n\n[rules.DF300]\n{codename}\n{static_image}\n\n[rules.DF511]\nallowed-registries = {}\n",
            list(self.rules.iter().map(|rule| rule.code.to_string()).collect()),
            self.minimum == Applicability::Unsafe,
            self.settings.hadolint_pragmas,
            list(self.exclude.patterns.clone()),
            merge.max_commands,
            merge.max_length,
            merge.across_metadata,
            list(self.settings.allowed_registries.clone()),
        )
    }
}

/// A configuration file's `exclude` globs. A pattern without `/` matches any file or
/// directory of that name; one with `/` matches a path relative to the file's directory (or
/// a directory above the file). `**` crosses directories, `*` does not.
#[derive(Debug, Clone, Default)]
pub struct Exclude {
    root: Option<PathBuf>,
    patterns: Vec<String>,
    matcher: Option<(GlobSet, GlobSet)>,
}

fn exclude_matcher(patterns: &[String]) -> Result<Option<(GlobSet, GlobSet)>, String> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let (mut names, mut paths) = (GlobSetBuilder::new(), GlobSetBuilder::new());
    for pattern in patterns {
        let trimmed = pattern.trim_start_matches("./").trim_end_matches('/');
        let glob = globset::GlobBuilder::new(trimmed)
            .literal_separator(true)
            .build()
            .map_err(|err| format!("`exclude`: {err}"))?;
        if trimmed.contains('/') {
            paths.add(glob);
        } else {
            names.add(glob);
        }
    }
    let build = |builder: GlobSetBuilder| builder.build().map_err(|err| err.to_string());
    Ok(Some((build(names)?, build(paths)?)))
}

impl Exclude {
    /// True when `path` (absolute, or relative to the current directory) is excluded.
    pub fn excludes(&self, path: &Path) -> bool {
        let (Some((names, paths)), Some(root)) = (&self.matcher, &self.root) else {
            return false;
        };
        let absolute = |path: &Path| {
            std::path::absolute(path)
                .map(|p| p.components().collect::<PathBuf>())
                .unwrap_or_else(|_| path.to_path_buf())
        };
        let (path, root) = (absolute(path), absolute(root));
        let Ok(relative) = path.strip_prefix(&root) else {
            return false;
        };
        let mut prefix = PathBuf::new();
        relative.components().any(|component| {
            prefix.push(component);
            names.is_match(Path::new(component.as_os_str())) || paths.is_match(&prefix)
        })
    }
}

// Inline suppression (RULES.md §5).

/// The rule RULES.md §11 reports unused `# dockfix:` codes with.
pub const UNUSED_SUPPRESSION: &str = "DF590";

/// What a pragma applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The instruction right below the comment block (index).
    Instruction(usize),
    /// The whole file (`global ignore=`).
    File,
    /// A comment not attached to any instruction: suppresses nothing.
    Nothing,
}

/// One code of one suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pragma {
    /// The code's bytes in the comment.
    pub range: Range<usize>,
    /// The code as written.
    pub written: String,
    /// The dockfix rule it suppresses (`None`: no rule; a hadolint code without a mapping).
    pub rule: Option<&'static str>,
    pub target: Target,
    /// From `# dockfix:` (DF590 reports it when unused), not from a hadolint pragma.
    pub dockfix: bool,
}

/// hadolint codes and the dockfix rule each maps to (RULES.md §13).
const HADOLINT: &[(&str, &str)] = &[
    ("DL3000", "DF509"),
    ("DL3002", "DF505"),
    ("DL3003", "DF508"),
    ("DL3004", "DF502"),
    ("DL3005", "DF501"),
    ("DL3006", "DF500"),
    ("DL3007", "DF500"),
    ("DL3009", "DF102"),
    ("DL3010", "DF005"),
    ("DL3014", "DF103"),
    ("DL3015", "DF101"),
    ("DL3017", "DF501"),
    ("DL3019", "DF110"),
    ("DL3020", "DF400"),
    ("DL3025", "DF401"),
    ("DL3026", "DF511"),
    ("DL3027", "DF104"),
    ("DL3030", "DF143"),
    ("DL3031", "DF501"),
    ("DL3032", "DF140"),
    ("DL3034", "DF143"),
    ("DL3035", "DF501"),
    ("DL3036", "DF142"),
    ("DL3038", "DF143"),
    ("DL3039", "DF501"),
    ("DL3040", "DF140"),
    ("DL3042", "DF120"),
    ("DL3057", "DF506"),
    ("DL3059", "DF001"),
    ("DL3060", "DF132"),
    ("DL3064", "DF503"),
    ("DL4000", "DF402"),
    ("DL4003", "DF507"),
    ("DL4004", "DF507"),
    ("DL4006", "DF510"),
];

/// Every suppression code in the Dockerfile's comment lines (not comment lines inside an
/// instruction's continuation or heredoc, which belong to the instruction), in file order.
/// hadolint pragmas count only when `settings.hadolint_pragmas`.
pub fn pragmas(document: &Document, settings: &Settings) -> Vec<Pragma> {
    let text = document.text();
    if !(text.contains("dockfix:") || settings.hadolint_pragmas && text.contains("hadolint")) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut next = 0; // index of the first instruction starting after the current line
    let mut offset = 0;
    // Comment lines since the last blank line or instruction: (line offset, line).
    let mut block: Vec<(usize, &str)> = Vec::new();
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        while document
            .instructions
            .get(next)
            .is_some_and(|i| i.logical.range.end <= start)
        {
            next += 1;
        }
        let instruction = document.instructions.get(next);
        if instruction.is_some_and(|i| i.logical.range.start < start) {
            continue; // inside an instruction (continuation or heredoc lines)
        }
        let content = line.trim();
        if content.starts_with('#') {
            block.push((start, line));
            continue;
        }
        let target = match instruction {
            Some(i) if !content.is_empty() && i.logical.range.start < offset => {
                Target::Instruction(next)
            }
            _ => Target::Nothing,
        };
        for (line_start, comment) in block.drain(..) {
            out.extend(parse_pragma(comment, line_start, target, settings));
        }
    }
    for (line_start, comment) in block {
        out.extend(parse_pragma(comment, line_start, Target::Nothing, settings));
    }
    out
}

/// The codes of one comment line: `# dockfix: [global] ignore=DF101,DF120  # reason` or
/// `# hadolint [global] ignore=DL3015,DL3008`.
fn parse_pragma(line: &str, offset: usize, target: Target, settings: &Settings) -> Vec<Pragma> {
    let body = line.trim_start().trim_start_matches('#').trim_start();
    let (dockfix, rest) = if let Some(rest) = strip_prefix_ignore_case(body, "dockfix:") {
        (true, rest)
    } else if let Some(rest) = strip_prefix_ignore_case(body, "hadolint ") {
        if !settings.hadolint_pragmas {
            return Vec::new();
        }
        (false, rest)
    } else {
        return Vec::new();
    };
    let rest = rest.trim_start();
    let (target, rest) = match strip_prefix_ignore_case(rest, "global ") {
        Some(rest) => (Target::File, rest.trim_start()),
        None => (target, rest),
    };
    let Some(after) = strip_prefix_ignore_case(rest, "ignore=") else {
        return Vec::new();
    };
    // `after` is the line's tail; a second `#` starts the reason.
    let base = offset + line.len() - after.len();
    let codes = after.split('#').next().unwrap_or_default();
    let mut out = Vec::new();
    let mut pos = 0;
    for token in codes.split(|c: char| c == ',' || c.is_whitespace()) {
        let start = pos;
        pos += token.len() + 1;
        if token.is_empty() {
            continue;
        }
        let rule = if dockfix {
            crate::transforms::rule(token).map(|rule| rule.code)
        } else {
            let code = token.to_ascii_uppercase();
            HADOLINT
                .iter()
                .find(|(dl, _)| *dl == code)
                .map(|(_, df)| *df)
        };
        if !dockfix && rule.is_none() {
            continue; // a hadolint code dockfix has no rule for
        }
        out.push(Pragma {
            range: base + start..base + start + token.len(),
            written: token.to_string(),
            rule,
            target,
            dockfix,
        });
    }
    out
}

/// The instructions a finding touches: those its range or its fix's edits overlap or border
/// (a merge replaces the bytes between two RUNs; an insertion lands at an edge).
fn touched(document: &Document, finding: &Finding) -> Vec<usize> {
    let mut ranges = vec![finding.range.clone()];
    if let Some(fix) = &finding.fix {
        ranges.extend(fix.edits.iter().map(|edit| edit.range.clone()));
    }
    document
        .instructions
        .iter()
        .enumerate()
        .filter(|(_, instruction)| {
            let own = &instruction.logical.range;
            ranges
                .iter()
                .any(|range| range.start <= own.end && own.start <= range.end)
        })
        .map(|(index, _)| index)
        .collect()
}

/// Drop the findings a pragma suppresses (RULES.md §5): a global one drops the rule's findings
/// in the whole file, an attached one those touching its instruction — a fix spanning several
/// instructions is dropped when any of them suppresses the rule. DF590's candidates (one per
/// `# dockfix:` code) survive only for codes that suppressed nothing and whose rule ran
/// (`rules`); unknown codes always survive.
pub fn suppress(
    document: &Document,
    rules: &[&Rule],
    settings: &Settings,
    findings: Vec<Finding>,
) -> Vec<Finding> {
    let pragmas = pragmas(document, settings);
    if pragmas.is_empty() {
        return findings;
    }
    let mut used = vec![false; pragmas.len()];
    let (candidates, findings): (Vec<Finding>, Vec<Finding>) = findings
        .into_iter()
        .partition(|finding| finding.code == UNUSED_SUPPRESSION);
    let mut kept: Vec<Finding> = findings
        .into_iter()
        .filter(|finding| !suppressed(&pragmas, &mut used, finding, &touched(document, finding)))
        .collect();
    let ran = |code: &str| rules.iter().any(|rule| rule.code == code);
    for candidate in candidates {
        let Some(index) = pragmas.iter().position(|p| p.range == candidate.range) else {
            continue;
        };
        let pragma = &pragmas[index];
        let unused =
            !used[index] && pragma.rule.is_none_or(ran) && !keeps_runs_apart(document, pragma);
        let own = match pragma.target {
            Target::Instruction(i) => vec![i],
            _ => Vec::new(),
        };
        if unused && !suppressed(&pragmas, &mut used, &candidate, &own) {
            kept.push(candidate);
        }
    }
    kept
}

/// Configuration files already read, by path (a run reads each once).
#[derive(Default)]
pub struct ConfigCache {
    files: HashMap<PathBuf, Result<std::sync::Arc<Resolved>, String>>,
    /// The nearest configuration file of each directory asked about: files of a bulk run share
    /// most of their ancestors, so each directory is probed once.
    nearest: HashMap<PathBuf, Option<PathBuf>>,
    /// The configuration file in each directory probed by [`ConfigCache::look_in`].
    present: HashMap<PathBuf, Option<PathBuf>>,
}

impl ConfigCache {
    /// The settings for a file in `dir` (or the one `explicit` names), read on first use.
    pub fn resolve(
        &mut self,
        dir: &Path,
        explicit: Option<&Path>,
        isolated: bool,
        overrides: &Overrides,
    ) -> Result<std::sync::Arc<Resolved>, String> {
        let path = match explicit {
            Some(path) => Some(path.to_path_buf()),
            None if isolated => None,
            None => self.nearest_config(dir),
        };
        let key = path.clone().unwrap_or_default();
        self.files
            .entry(key)
            .or_insert_with(|| {
                let config = path
                    .as_deref()
                    .map(|path| {
                        ConfigFile::load(path).map_err(|err| format!("{}: {err}", path.display()))
                    })
                    .transpose()?;
                resolve(config.as_ref(), overrides).map(std::sync::Arc::new)
            })
            .clone()
    }

    /// Look for configuration files in `dirs` and all their ancestors at once, on all threads:
    /// a bulk run's thousands of directories would otherwise be probed one by one before any
    /// file is processed.
    pub fn look_in(&mut self, dirs: &[PathBuf]) {
        let mut seen: std::collections::HashSet<&Path> = std::collections::HashSet::new();
        let mut unknown: Vec<&Path> = Vec::new();
        for dir in dirs {
            // Siblings share their ancestors: stop at the first one already taken.
            for ancestor in dir.ancestors() {
                if !seen.insert(ancestor) {
                    break;
                }
                if !self.nearest.contains_key(ancestor) && !self.present.contains_key(ancestor) {
                    unknown.push(ancestor);
                }
            }
        }
        let found: Vec<(PathBuf, Option<PathBuf>)> = unknown
            .par_iter()
            .map(|dir| (dir.to_path_buf(), config_in(dir)))
            .collect();
        self.present.extend(found);
    }

    /// The configuration file in `dir` or the closest ancestor that has one (as ruff finds its
    /// configuration).
    fn nearest_config(&mut self, dir: &Path) -> Option<PathBuf> {
        if let Some(found) = self.nearest.get(dir) {
            return found.clone();
        }
        let here = match self.present.get(dir) {
            Some(here) => here.clone(),
            None => config_in(dir),
        };
        let found = here.or_else(|| dir.parent().and_then(|up| self.nearest_config(up)));
        self.nearest.insert(dir.to_path_buf(), found.clone());
        found
    }
}

/// A DF001 code above a RUN that follows a RUN: DF001 never merges across a pragma (RULES.md §5
/// "pragmas keep their scope"), so the code has an effect although no finding is dropped.
fn keeps_runs_apart(document: &Document, pragma: &Pragma) -> bool {
    let Target::Instruction(index) = pragma.target else {
        return false;
    };
    let run = |i: usize| document.instructions[i].keyword == crate::document::Keyword::Run;
    pragma.rule == Some("DF001")
        && index > 0
        && run(index)
        && run(index - 1)
        && document.instructions[index].stage == document.instructions[index - 1].stage
}

/// True when a pragma suppresses `finding` (touching these instructions); marks every such
/// pragma used.
fn suppressed(pragmas: &[Pragma], used: &mut [bool], finding: &Finding, touched: &[usize]) -> bool {
    let mut hit = false;
    for (pragma, used) in pragmas.iter().zip(used.iter_mut()) {
        let applies = match pragma.target {
            Target::File => true,
            Target::Instruction(index) => touched.contains(&index),
            Target::Nothing => false,
        };
        if applies && pragma.rule == Some(finding.code) {
            *used = true;
            hit = true;
        }
    }
    hit
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Source;

    fn codes(rules: &[&Rule]) -> Vec<&'static str> {
        rules.iter().map(|rule| rule.code).collect()
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn default_is_the_default_enabled_rules() {
        let rules = select_rules(&[], &[]).unwrap();
        assert!(rules.iter().all(|rule| rule.default_enabled));
        assert!(codes(&rules).contains(&"DF101"));
    }

    #[test]
    fn select_by_code_prefix_and_name_then_ignore() {
        let rules = select_rules(&strings(&["df1"]), &strings(&["pip-no-cache-dir"])).unwrap();
        let codes = codes(&rules);
        assert!(codes.contains(&"DF101") && !codes.contains(&"DF120"));
        assert!(codes.iter().all(|code| code.starts_with("DF1")));
        assert!(select_rules(&strings(&["ALL"]), &strings(&["ALL"]))
            .unwrap()
            .is_empty());
    }

    #[test]
    fn unknown_selector_is_an_error() {
        let err = select_rules(&strings(&["DF999"]), &[]).err().unwrap();
        assert_eq!(err, UnknownSelector("DF999".to_string()));
    }

    #[test]
    fn a_later_layer_selects_what_an_earlier_one_ignored() {
        let file = Selection {
            select: Some(strings(&["DF1"])),
            extend_select: strings(&["DF001"]),
            ignore: strings(&["DF101"]),
        };
        let cli = Selection {
            select: None,
            extend_select: strings(&["DF101"]),
            ignore: strings(&["DF120"]),
        };
        let rules = codes(&resolve_rules(std::slice::from_ref(&file)).unwrap());
        assert!(rules.contains(&"DF001") && !rules.contains(&"DF101"));
        let rules = codes(&resolve_rules(&[file, cli]).unwrap());
        assert!(rules.contains(&"DF101") && !rules.contains(&"DF120"));
    }

    fn exclude_of(root: &str, patterns: &[&str]) -> Exclude {
        let patterns: Vec<String> = patterns.iter().map(|p| p.to_string()).collect();
        Exclude {
            root: Some(PathBuf::from(root)),
            matcher: exclude_matcher(&patterns).unwrap(),
            patterns,
        }
    }

    #[test]
    fn exclude_by_name_anywhere_or_by_relative_path() {
        let exclude = exclude_of("/p", &["vendor", "docker/*.tmpl", "**/gen"]);
        assert!(exclude.excludes(Path::new("/p/a/vendor/Dockerfile")));
        assert!(exclude.excludes(Path::new("/p/docker/x.tmpl")));
        assert!(!exclude.excludes(Path::new("/p/a/docker/x.tmpl")));
        assert!(exclude.excludes(Path::new("/p/a/b/gen/Dockerfile")));
        assert!(!exclude.excludes(Path::new("/p/Dockerfile")));
        assert!(!exclude.excludes(Path::new("/q/vendor/Dockerfile")));
    }

    fn pragmas_of(text: &str) -> Vec<(String, Option<&'static str>, Target)> {
        let document = Document::parse(Source::new(text.to_string()));
        pragmas(&document, &Settings::default())
            .into_iter()
            .map(|p| {
                assert_eq!(&text[p.range.clone()], p.written);
                (p.written, p.rule, p.target)
            })
            .collect()
    }

    #[test]
    fn pragmas_attach_to_the_instruction_below_their_block() {
        let text = "FROM a\n# dockfix: ignore=DF101, apt-lists-kept # reason DF120\n# note\nRUN x \\\n# dockfix: ignore=DF103\n  y\n\n# hadolint global ignore=DL3015,DL3008\n\n# dockfix: ignore=DF001\n\nRUN z\n# dockfix: ignore=NOPE\n";
        let found = pragmas_of(text);
        let attached = Target::Instruction(1);
        assert_eq!(
            found,
            vec![
                ("DF101".into(), Some("DF101"), attached),
                ("apt-lists-kept".into(), Some("DF102"), attached),
                ("DL3015".into(), Some("DF101"), Target::File),
                ("DF001".into(), Some("DF001"), Target::Nothing),
                ("NOPE".into(), None, Target::Nothing),
            ]
        );
    }

    #[test]
    fn a_fix_spanning_instructions_is_dropped_when_one_suppresses_its_rule() {
        use crate::fix::{Edit, Fix};
        let text = "FROM a\n# dockfix: ignore=DF002\nRUN x\nRUN y\nRUN z\n";
        let document = Document::parse(Source::new(text.to_string()));
        let runs: Vec<Range<usize>> = document.instructions[1..]
            .iter()
            .map(|i| i.logical.range.clone())
            .collect();
        // A merge of the second and third RUN whose finding sits on the third only.
        let merge = |code, first: usize| {
            let edit = Edit {
                range: runs[first].end..runs[first + 1].start + 4,
                replacement: " && ".to_string(),
            };
            Finding::new(code, runs[first + 1].clone(), "merge").with_fix(Fix::safe(vec![edit]))
        };
        let findings = vec![merge("DF002", 0), merge("DF002", 1), merge("DF003", 0)];
        let rules: Vec<&Rule> = RULES.iter().collect();
        let kept = suppress(&document, &rules, &Settings::default(), findings);
        let kept: Vec<(&str, usize)> = kept.iter().map(|f| (f.code, f.range.start)).collect();
        assert_eq!(kept, [("DF002", runs[2].start), ("DF003", runs[1].start)]);
    }

    fn load(text: &str) -> Result<ConfigFile, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dockfix.toml");
        std::fs::write(&path, text).unwrap();
        ConfigFile::load(&path)
    }

    #[test]
    fn rule_options_belong_to_their_rule() {
        let config = load("[rules.DF001]\nmerge-across-metadata = true\n[rules.disallowed-registry]\nallowed-registries = [\"*\", \"*.x\", \"x.*\"]\n").unwrap();
        assert!(config.merge.across_metadata);
        assert_eq!(config.allowed_registries, ["*", "*.x", "x.*"]);
        let err = |text: &str| load(text).err().unwrap();
        assert_eq!(
            err("[rules.DF101]\n"),
            "`rules.DF101`: DF101 has no options"
        );
        assert_eq!(
            err("[rules.DF511]\nmerge = \"all\"\n"),
            "unknown key `rules.DF511.merge`"
        );
        assert_eq!(
            err("[rules.DF001]\nallowed-registries = []\n"),
            "unknown key `rules.DF001.allowed-registries`"
        );
        assert!(
            err("[rules.DF511]\nallowed-registries = [\"\"]\n").contains("not a registry pattern")
        );
        let split = load("[rules.split-build-and-runtime]\ndefault-codename = \"trixie\"\nstatic-runtime-image = \"nginx:1.27-alpine\"\n").unwrap().split;
        assert_eq!(split.default_codename.as_deref(), Some("trixie"));
        assert_eq!(
            split.static_runtime_image.as_deref(),
            Some("nginx:1.27-alpine")
        );
        assert_eq!(
            err("[rules.DF300]\nruntime = \"x\"\n"),
            "unknown key `rules.DF300.runtime`"
        );
        assert_eq!(
            err("[rules.DF300]\nstatic-runtime-image = [\"nginx\"]\n"),
            "`rules.DF300.static-runtime-image` must be a string"
        );
    }

    #[test]
    fn pyproject_counts_only_with_a_tool_dockfix_table_and_after_the_dockfix_files() {
        let dir = tempfile::tempdir().unwrap();
        let (root, sub) = (dir.path(), dir.path().join("sub"));
        std::fs::create_dir(&sub).unwrap();
        std::fs::write(sub.join("pyproject.toml"), "[tool.black]\n").unwrap();
        std::fs::write(root.join("pyproject.toml"), "[tool.dockfix]\n").unwrap();
        assert_eq!(
            ConfigCache::default().nearest_config(&sub),
            Some(root.join("pyproject.toml"))
        );
        std::fs::write(
            sub.join("pyproject.toml"),
            "[tool.dockfix.rules.DF001]\nmerge = \"all\"\n",
        )
        .unwrap();
        assert_eq!(
            ConfigCache::default().nearest_config(&sub),
            Some(sub.join("pyproject.toml"))
        );
        let config = ConfigFile::load(&sub.join("pyproject.toml")).unwrap();
        assert_eq!(config.merge.policy, MergePolicy::All);
        std::fs::write(sub.join("dockfix.toml"), "").unwrap();
        assert_eq!(
            ConfigCache::default().nearest_config(&sub),
            Some(sub.join("dockfix.toml"))
        );
        std::fs::write(sub.join(".dockfix.toml"), "").unwrap();
        assert_eq!(
            ConfigCache::default().nearest_config(&sub),
            Some(sub.join(".dockfix.toml"))
        );
    }

    #[test]
    fn hadolint_pragmas_can_be_turned_off() {
        let document = Document::parse(Source::new(
            "FROM a\n# hadolint ignore=DL3015\nRUN x\n".to_string(),
        ));
        let settings = Settings {
            hadolint_pragmas: false,
            ..Settings::default()
        };
        assert!(pragmas(&document, &settings).is_empty());
        assert_eq!(pragmas(&document, &Settings::default()).len(), 1);
    }
}
