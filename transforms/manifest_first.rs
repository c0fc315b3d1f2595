//! DF200 `manifest-first` · Safe (Unsafe for Go in a shipped stage) · all stages · no hadolint rule
//!
//! **What it does.** When a stage copies the whole build context (`COPY . .`) and then installs
//! dependencies, copies only the dependency manifests first and installs before the whole
//! copy: `COPY requirements.txt ./` ⏎ `RUN pip install -r requirements.txt` ⏎ `COPY . .`.
//!
//! **Why.** Every edit of any source file changes `COPY . .`, and Docker then re-runs every
//! later instruction: the dependency install runs again although no dependency changed. With
//! the manifests copied first, the install layer is reused until a manifest changes.
//!
//! **Ecosystems.** pip (`-r`/`-c` files and the files they include), npm (`npm ci`, argless
//! `npm install`), Yarn, pnpm, Bundler, Pipenv, Mix (`mix deps.get`): the install RUN moves,
//! byte for byte with its comments. Poetry without `--no-root` and `uv sync`: a dependency-only
//! install (`--no-root`, `--no-install-project`) is inserted before and the original stays. Go:
//! `RUN go mod download` is inserted before the whole copy; the build stays. Maven
//! (`dependency:go-offline`), Gradle (`dependencies`), Cargo (`cargo fetch` on a stub crate) and
//! .NET builds (`dotnet restore`) get a download step the same way (Unsafe); a .NET restore
//! moves with the projects it references. A go.mod without `require` and a Cargo.toml without
//! dependency tables have nothing to download: no finding (RULES.md says so for Go only; Cargo
//! is treated alike). Composer: the install moves with `--no-scripts
//! --no-autoloader`, and `composer dump-autoload` (and `post-install-cmd`) run after the copy.
//!
//! **Build context.** Only manifests that exist in the build context (`--context`, default the
//! Dockerfile's directory) and that `.dockerignore` does not exclude are copied; the copy keeps
//! the flags (`--chown`, `--chmod`, `--link`) and the destination of the whole copy, and paths
//! are resolved against WORKDIR and a leading `cd`.
//!
//! **Fix safety.** Safe: the install reads the same manifests and runs with the same
//! environment, only earlier. Unsafe: the inserted download steps (they can fail where the
//! build works, or fetch more), and Composer (scripts and autoloading run at another time). Go in a stage whose layers ship (the final stage and the stages
//! it is built `FROM`) is Unsafe: `go mod download` fetches every module in go.mod into the
//! layer, also those the build never compiles.
//!
//! **Skips** (shown with `--show-skipped`): the install needs the sources (`pip install .`,
//! `-e .`, local paths, `file:` dependencies, workspaces, lifecycle scripts, `gemspec`, local
//! `replace`, vendored modules); a manifest is missing from the context or ignored; an
//! instruction other than LABEL/EXPOSE/unrelated ENV or ARG between the copy and the install;
//! the install RUN also runs other commands (split it); several whole-context copies; no
//! build context.

use std::collections::BTreeMap;

use crate::config::Settings;
use crate::context::BuildContext;
use crate::document::{join_path, Document, Instruction, Keyword};
use crate::fix::{Applicability, Edit, Finding, Fix};
use crate::manifests::{self, Refusal};
use crate::shell::{Command, Nesting, Word};
use crate::shell_rules::{has_option, pip_arguments};

const CODE: &str = "DF200";

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    (0..document.stages.len())
        .filter_map(|stage| check_stage(document, stage))
        .collect()
}

/// A `COPY . <dest>` of the whole context.
struct WholeCopy<'d> {
    index: usize,
    instruction: &'d Instruction,
    /// The destination as written.
    dest: &'d str,
    /// Flags the manifest copy keeps (`--chown=…`, `--chmod=…`, `--link`).
    flags: String,
}

fn whole_context_copy(instruction: &Instruction, index: usize) -> Option<WholeCopy<'_>> {
    if instruction.opaque {
        return None;
    }
    let dest = instruction.whole_context_destination()?;
    let flags = instruction
        .flags
        .iter()
        .filter(|flag| matches!(flag.name.as_str(), "chown" | "chmod" | "link"))
        .map(|flag| match &flag.value {
            Some(value) => format!(" --{}={value}", flag.name),
            None => format!(" --{}", flag.name),
        })
        .collect();
    Some(WholeCopy {
        index,
        instruction,
        dest,
        flags,
    })
}

fn check_stage(document: &Document, stage: usize) -> Option<Finding> {
    let indices: Vec<usize> = document.stage_instructions(stage).map(|(i, _)| i).collect();
    let copies: Vec<WholeCopy> = indices
        .iter()
        .filter_map(|&i| whole_context_copy(&document.instructions[i], i))
        .collect();
    let copy = copies.first()?;
    let context = document.context.as_deref();
    let mut blocker: Option<(&'static str, String)> = None;
    for &index in indices.iter().filter(|&&i| i > copy.index) {
        let instruction = &document.instructions[index];
        match instruction.keyword {
            Keyword::Label | Keyword::Expose => continue,
            Keyword::Env | Keyword::Arg => {
                if reads_install_environment(instruction.args()) {
                    blocker.get_or_insert((
                        "instruction-between",
                        "an ENV/ARG an install may read is set between the copy and the install"
                            .to_string(),
                    ));
                }
                continue;
            }
            Keyword::Run if !instruction.onbuild => {}
            _ => {
                blocker.get_or_insert((
                    "instruction-between",
                    format!(
                        "{} between the copy and the install changes what the install sees",
                        instruction.logical.keyword_upper(document.text())
                    ),
                ));
                continue;
            }
        }
        let Some(install) = Install::recognise(document, index) else {
            blocker.get_or_insert((
                "run-between",
                "a RUN between the copy and the install may change the files".to_string(),
            ));
            continue;
        };
        let skip = |(reason, message): Refusal| {
            Finding::skip(CODE, instruction.logical.range.clone(), reason, message)
        };
        if dependencies_fetched_before(document, copy.index, &install) {
            return None;
        }
        if let Some(refusal) = blocker {
            return Some(skip(refusal));
        }
        if copies.len() > 1 {
            return Some(skip((
                "several-copies",
                "the stage copies the whole context more than once".to_string(),
            )));
        }
        let Some(context) = context else {
            return Some(skip((
                "no-context",
                "the build context is unknown (use --context)".to_string(),
            )));
        };
        return Some(match plan(document, context, copy, &install) {
            Ok(Some(plan)) => finding(document, copy, &install, &plan),
            Ok(None) => return None,
            Err(refusal) => skip(refusal),
        });
    }
    None
}

/// The stage's layers are in the final image: it is the final stage or one the final stage
/// builds on with `FROM <stage>` (a stage only copied from ships the copied files, not layers).
fn layers_ship(document: &Document, stage: usize) -> bool {
    let mut current = document.stages.len().checked_sub(1);
    while let Some(index) = current {
        if index == stage {
            return true;
        }
        current = document.stages[index].parent;
    }
    false
}

/// ENV/ARG names the ecosystems read implicitly (RULES.md DF200).
fn reads_install_environment(args: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "PIP_",
        "UV_",
        "POETRY_",
        "PIPENV_",
        "NPM_CONFIG_",
        "NODE_ENV",
        "YARN_",
        "PNPM_",
        "GO",
        "CARGO_",
        "BUNDLE_",
        "GEM_",
        "COMPOSER_",
        "MIX_",
        "HEX_",
        "http_proxy",
        "https_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "no_proxy",
        "NO_PROXY",
    ];
    args.split_ascii_whitespace()
        .map(|word| word.split('=').next().unwrap_or(word))
        .any(|name| PREFIXES.iter().any(|prefix| name.starts_with(prefix)))
}

/// The package managers whose installs this rule can reorder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ecosystem {
    Pip,
    Npm,
    Yarn,
    Pnpm,
    Go,
    Bundler,
    Poetry,
    Pipenv,
    Uv,
    Mix,
    Maven,
    Gradle,
    Dotnet,
    Composer,
    Cargo,
}

impl Ecosystem {
    fn name(self) -> &'static str {
        match self {
            Ecosystem::Pip => "pip install",
            Ecosystem::Npm => "npm install",
            Ecosystem::Yarn => "yarn install",
            Ecosystem::Pnpm => "pnpm install",
            Ecosystem::Go => "go build",
            Ecosystem::Bundler => "bundle install",
            Ecosystem::Poetry => "poetry install",
            Ecosystem::Pipenv => "pipenv install",
            Ecosystem::Uv => "uv sync",
            Ecosystem::Mix => "mix deps.get",
            Ecosystem::Maven => "mvn package",
            Ecosystem::Gradle => "gradle build",
            Ecosystem::Dotnet => "dotnet restore",
            Ecosystem::Composer => "composer install",
            Ecosystem::Cargo => "cargo build",
        }
    }
}

/// A RUN that installs dependencies of one ecosystem.
struct Install<'d> {
    index: usize,
    instruction: &'d Instruction,
    ecosystem: Ecosystem,
    /// The install commands (several for pip: `pip install -U pip && pip install -r r.txt`).
    commands: Vec<Command>,
    /// A literal leading `cd DIR`.
    cd: Option<String>,
    /// Commands other than the install, the leading `cd` and harmless ones (why it cannot move).
    others: Vec<String>,
}

impl<'d> Install<'d> {
    /// The install as the user wrote it (`npm ci`, `pip install`, `go build`).
    fn display(&self) -> String {
        let command = &self.commands[0];
        match (self.ecosystem, command.basename()) {
            (Ecosystem::Pip, _) | (_, None) => self.ecosystem.name().to_string(),
            (_, Some(name)) => match first_word(&command.args) {
                Some(subcommand) => format!("{name} {subcommand}"),
                None => name.to_string(),
            },
        }
    }

    fn recognise(document: &'d Document, index: usize) -> Option<Install<'d>> {
        let instruction = &document.instructions[index];
        let body = instruction.editable_shell(document.text()).ok()?;
        let mut install = Install {
            index,
            instruction,
            ecosystem: Ecosystem::Pip,
            commands: Vec::new(),
            cd: None,
            others: Vec::new(),
        };
        let mut found: Vec<(Ecosystem, Command)> = Vec::new();
        for (position, command) in body.script.commands().iter().enumerate() {
            let name = command.basename().unwrap_or_default().to_string();
            match classify(command) {
                Some(ecosystem) => found.push((ecosystem, command.clone())),
                None if position == 0 && name == "cd" && command.args.len() == 1 => {
                    match command.args[0].value.clone() {
                        Some(dir) => install.cd = Some(dir),
                        None => install.others.push(name),
                    }
                }
                None if command.nesting != Nesting::TopLevel || !is_harmless(command) => {
                    install.others.push(name);
                }
                None => {}
            }
        }
        // `pip install poetry && poetry install`: a pip install of named packages installs a
        // tool when another ecosystem does the dependency install.
        let primary = found
            .iter()
            .map(|(ecosystem, _)| *ecosystem)
            .find(|ecosystem| *ecosystem != Ecosystem::Pip)
            .or(found.first().map(|(ecosystem, _)| *ecosystem));
        for (ecosystem, command) in found {
            if Some(ecosystem) == primary {
                install.commands.push(command);
            } else if ecosystem != Ecosystem::Pip || reads_requirement_files(&command) {
                install
                    .others
                    .push(command.basename().unwrap_or_default().to_string());
            }
        }
        let ecosystem = primary;
        install.ecosystem = ecosystem?;
        Some(install)
    }
}

/// A pip install that reads requirement or constraint files.
fn reads_requirement_files(command: &Command) -> bool {
    pip_arguments(command).is_some_and(|args| {
        args.iter().filter_map(|w| w.value.as_deref()).any(|v| {
            v.starts_with("-r")
                || v.starts_with("-c")
                || v.starts_with("--requirement")
                || v.starts_with("--constraint")
        })
    })
}

/// The ecosystem whose dependency install this command is.
fn classify(command: &Command) -> Option<Ecosystem> {
    let name = command.basename()?;
    let values: Vec<&str> = command
        .args
        .iter()
        .filter_map(|w| w.value.as_deref())
        .collect();
    let first = values.iter().find(|v| !v.starts_with('-')).copied();
    if pip_arguments(command).is_some_and(|args| first_word(args) == Some("install")) {
        return Some(Ecosystem::Pip);
    }
    match (name, first) {
        ("npm", Some("ci" | "install" | "i")) if !values.contains(&"-g") => Some(Ecosystem::Npm),
        ("yarn", None | Some("install")) => Some(Ecosystem::Yarn),
        ("pnpm", Some("install" | "i")) => Some(Ecosystem::Pnpm),
        ("go", Some("build" | "install" | "test")) => Some(Ecosystem::Go),
        ("bundle", Some("install")) => Some(Ecosystem::Bundler),
        ("poetry", Some("install")) => Some(Ecosystem::Poetry),
        ("pipenv", Some("install" | "sync")) => Some(Ecosystem::Pipenv),
        ("uv", Some("sync")) => Some(Ecosystem::Uv),
        ("uv", Some("pip")) if values.contains(&"install") => Some(Ecosystem::Pip),
        ("mix", Some("deps.get")) => Some(Ecosystem::Mix),
        ("mvn" | "mvnw", _) if values.iter().any(|v| MAVEN_BUILDS.contains(v)) => {
            Some(Ecosystem::Maven)
        }
        ("gradle" | "gradlew", _) if values.iter().any(|v| GRADLE_BUILDS.contains(v)) => {
            Some(Ecosystem::Gradle)
        }
        ("dotnet", Some("restore" | "build" | "publish" | "test")) => Some(Ecosystem::Dotnet),
        ("composer" | "composer.phar", Some("install")) => Some(Ecosystem::Composer),
        ("cargo", Some("build" | "install")) => Some(Ecosystem::Cargo),
        _ => None,
    }
}

fn first_word(args: &[Word]) -> Option<&str> {
    args.iter()
        .filter_map(|w| w.value.as_deref())
        .find(|v| !v.starts_with('-'))
}

/// Maven phases and Gradle tasks that build (and so download dependencies first).
const MAVEN_BUILDS: &[&str] = &["package", "install", "verify"];
const GRADLE_BUILDS: &[&str] = &["build", "assemble", "bootJar", "installDist", "shadowJar"];

/// Commands that may share the install's RUN without reading the sources: configuration and
/// cache cleanup, installs of named tools.
fn is_harmless(command: &Command) -> bool {
    let values: Vec<&str> = command
        .args
        .iter()
        .filter_map(|w| w.value.as_deref())
        .collect();
    let first = values.first().copied();
    match command.basename() {
        Some("set" | "true" | ":" | "echo" | "corepack") => true,
        Some("rm") => values
            .iter()
            .all(|v| v.starts_with('-') || v.starts_with('/')),
        Some("npm") => {
            matches!(first, Some("cache" | "config"))
                || (matches!(first, Some("install" | "i")) && values.contains(&"-g"))
        }
        Some("yarn") => matches!(first, Some("cache" | "config")),
        Some("pnpm") => first == Some("config"),
        Some("bundle" | "poetry" | "pipenv") => first == Some("config"),
        Some("mix") => first.is_some_and(|f| f.starts_with("local.")),
        Some("gem") => first == Some("install") && !values.iter().any(|v| v.contains('/')),
        _ => false,
    }
}

/// What to do: copy these manifests, then move the install or insert a command.
struct Plan {
    /// Context-relative manifest files and directories, in order.
    manifests: Vec<String>,
    action: Action,
    /// Text inserted into the moved RUN at this file offset (Composer's `--no-scripts`).
    move_flag: Option<(usize, String)>,
    /// RUNs inserted right after the whole copy (Composer's `dump-autoload`).
    after_copy: Vec<String>,
    applicability: Applicability,
    note: Option<String>,
}

enum Action {
    /// Move the install RUN (with its comments) before the whole copy.
    Move,
    /// Insert this RUN before the whole copy; the install stays.
    Insert(String),
}

/// Work out the manifests and the action, or why not; `None` when there is nothing to gain.
fn plan(
    document: &Document,
    context: &BuildContext,
    copy: &WholeCopy,
    install: &Install,
) -> Result<Option<Plan>, Refusal> {
    let frame = Frame::new(document, copy, install)?;
    let mut manifests = Manifests {
        context,
        frame: &frame,
        files: Vec::new(),
    };
    let mut action = Action::Move;
    let mut applicability = Applicability::Safe;
    let mut note = None;
    let mut move_flag = None;
    let mut after_copy = Vec::new();
    let args = |command: &Command| -> Vec<String> {
        command
            .args
            .iter()
            .filter_map(|w| w.value.clone())
            .collect()
    };
    match install.ecosystem {
        Ecosystem::Pip => {
            for command in &install.commands {
                let pip = pip_arguments(command).unwrap_or(&command.args);
                pip_manifests(pip, &mut manifests)?;
            }
        }
        Ecosystem::Npm | Ecosystem::Yarn | Ecosystem::Pnpm => {
            let command = &install.commands[0];
            let values = args(command);
            let operands = values.iter().filter(|v| !v.starts_with('-')).count();
            let expected = usize::from(install.ecosystem != Ecosystem::Yarn || !values.is_empty());
            if operands > expected
                || values
                    .iter()
                    .any(|v| v == "--prefix" || v.starts_with("-w"))
            {
                return Err((
                    "packages-named",
                    "the install names packages or another folder: it changes package.json"
                        .to_string(),
                ));
            }
            let package = manifests.require("package.json")?;
            let scripts_off = has_option(&command.args, "--ignore-scripts");
            if let Some(refusal) = manifests::package_json_refusal(&package, scripts_off) {
                return Err(refusal);
            }
            let optional: &[&str] = match install.ecosystem {
                Ecosystem::Npm => &["package-lock.json", "npm-shrinkwrap.json", ".npmrc"],
                Ecosystem::Yarn => &[
                    "yarn.lock",
                    ".yarnrc",
                    ".yarnrc.yml",
                    ".npmrc",
                    ".yarn/releases",
                    ".yarn/plugins",
                    ".yarn/patches",
                ],
                _ => &["pnpm-lock.yaml", ".npmrc", "patches"],
            };
            if install.ecosystem == Ecosystem::Pnpm && manifests.available("pnpm-workspace.yaml") {
                return Err((
                    "workspaces",
                    "pnpm-workspace.yaml: the workspace's manifests live in several folders (advice: `pnpm fetch`)"
                        .to_string(),
                ));
            }
            manifests.optional(optional);
        }
        Ecosystem::Go => {
            let go_mod = manifests.require("go.mod")?;
            let facts = manifests::go_mod(&go_mod);
            if !facts.requires || ran_before(document, install.index, "go mod download") {
                return Ok(None);
            }
            if facts.local_replace {
                return Err((
                    "local-dependency",
                    "go.mod replaces a module with a local directory".to_string(),
                ));
            }
            if manifests.available("go.work") || manifests.exists("vendor/modules.txt") {
                return Err((
                    "vendored",
                    "the build uses a workspace (go.work) or vendored modules".to_string(),
                ));
            }
            let vendor_flag = install
                .commands
                .iter()
                .any(|c| args(c).iter().any(|a| a == "-mod=vendor"));
            if vendor_flag || document.env_value(install.index, "GOFLAGS").is_some() {
                return Err((
                    "vendored",
                    "GOFLAGS or -mod=vendor decide where modules come from".to_string(),
                ));
            }
            if install.instruction.flag("mount").is_some() {
                return Err((
                    "cache-mount",
                    "the build mounts a cache: a download layer would not be used".to_string(),
                ));
            }
            manifests.optional(&["go.sum"]);
            action = Action::Insert("RUN go mod download".to_string());
            if install
                .instruction
                .stage
                .is_some_and(|stage| layers_ship(document, stage))
            {
                applicability = Applicability::Unsafe;
                note = Some(
                    "go mod download fetches every module of go.mod into a layer that ships, also those the build never compiles"
                        .to_string(),
                );
            }
        }
        Ecosystem::Bundler => {
            if has_option(&install.commands[0].args, "--local") {
                return Err((
                    "local-dependency",
                    "`bundle install --local` installs from vendor/cache".to_string(),
                ));
            }
            let gemfile = manifests.require("Gemfile")?;
            if let Some(refusal) = manifests::gemfile_refusal(&gemfile) {
                return Err(refusal);
            }
            manifests.optional(&["Gemfile.lock"]);
            if gemfile.contains(".ruby-version") {
                manifests.require(".ruby-version")?;
            }
        }
        Ecosystem::Poetry | Ecosystem::Uv => {
            let pyproject = manifests.require("pyproject.toml")?;
            let facts = manifests::pyproject(&pyproject)?;
            if facts.local_dependency || facts.uv_workspace {
                return Err((
                    "local-dependency",
                    "pyproject.toml has path dependencies or a workspace".to_string(),
                ));
            }
            let command = &install.commands[0];
            let (dependencies_only, lock) = if install.ecosystem == Ecosystem::Poetry {
                manifests.optional(&["poetry.lock", "poetry.toml"]);
                if let Some(readme) = &facts.readme {
                    manifests.optional(&[readme.as_str()]);
                }
                let only = has_option(&command.args, "--no-root") || facts.poetry_package_mode_off;
                (only, "--no-root")
            } else {
                manifests.optional(&["uv.lock", ".python-version"]);
                (
                    has_option(&command.args, "--no-install-project"),
                    "--no-install-project",
                )
            };
            if !dependencies_only {
                if ran_before(document, copy.index, lock) {
                    return Ok(None);
                }
                action = Action::Insert(with_flag_after_subcommand(document, install, lock));
            }
        }
        Ecosystem::Pipenv => {
            let values = args(&install.commands[0]);
            if values.iter().filter(|v| !v.starts_with('-')).count() > 1 {
                return Err((
                    "packages-named",
                    "the install names packages: it changes the Pipfile".to_string(),
                ));
            }
            let pipfile = manifests.require("Pipfile")?;
            if let Some(refusal) = manifests::pipfile_refusal(&pipfile) {
                return Err(refusal);
            }
            manifests.optional(&["Pipfile.lock"]);
        }
        Ecosystem::Mix => {
            let mix = manifests.require("mix.exs")?;
            if mix.contains("apps_path") {
                return Err((
                    "workspaces",
                    "an umbrella project: its apps' manifests live in several folders".to_string(),
                ));
            }
            manifests.optional(&["mix.lock"]);
        }
        Ecosystem::Maven => {
            if ran_before(document, copy.index, "dependency:go-offline") {
                return Ok(None);
            }
            let command = &install.commands[0];
            let pom = manifests.require("pom.xml")?;
            if pom.contains("<modules>") {
                return Err((
                    "workspaces",
                    "a multi-module build: every module's pom.xml is needed".to_string(),
                ));
            }
            manifests.optional(&["mvnw", ".mvn"]);
            let mut options = Vec::new();
            let values = args(command);
            let mut words = values.iter();
            while let Some(value) = words.next() {
                if matches!(
                    value.as_str(),
                    "-s" | "--settings" | "-P" | "--activate-profiles"
                ) {
                    let Some(argument) = words.next() else { break };
                    if value.starts_with("-s") || value == "--settings" {
                        manifests.require(argument)?;
                    }
                    options.push(format!("{value} {argument}"));
                } else if value.starts_with("-P") || value.starts_with("-s") && value.len() > 2 {
                    options.push(value.clone());
                }
            }
            let program = command_word(document, install, command);
            action = Action::Insert(
                [format!("RUN {program} -B dependency:go-offline")]
                    .into_iter()
                    .chain(options)
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            applicability = Applicability::Unsafe;
            note = Some(
                "dependency:go-offline can fail where the build works (plugins resolved late)"
                    .to_string(),
            );
        }
        Ecosystem::Gradle => {
            if ran_before(document, copy.index, "dependencies --no-daemon") {
                return Ok(None);
            }
            let settings = ["settings.gradle", "settings.gradle.kts"]
                .iter()
                .find_map(|name| manifests.require(name).ok());
            if manifests.available("buildSrc") || settings.is_some_and(|s| s.contains("include")) {
                return Err((
                    "workspaces",
                    "subprojects, included builds or buildSrc: their build scripts are needed"
                        .to_string(),
                ));
            }
            if !manifests.available("build.gradle") && !manifests.available("build.gradle.kts") {
                return Err((
                    "manifest-missing",
                    "no build.gradle in the build context".to_string(),
                ));
            }
            manifests.optional(&[
                "build.gradle",
                "build.gradle.kts",
                "gradle.properties",
                "gradlew",
                "gradle",
            ]);
            let program = command_word(document, install, &install.commands[0]);
            action = Action::Insert(format!("RUN {program} dependencies --no-daemon"));
            applicability = Applicability::Unsafe;
            note = Some(
                "resolving dependencies up front can fail where the build works (configurations resolved late)"
                    .to_string(),
            );
        }
        Ecosystem::Composer => {
            let command = &install.commands[0];
            let values = args(command);
            if values.iter().filter(|v| !v.starts_with('-')).count() > 1 {
                return Err((
                    "packages-named",
                    "the install names packages: it changes composer.json".to_string(),
                ));
            }
            let composer = manifests.require("composer.json")?;
            let json: serde_json::Value = serde_json::from_str(&composer).map_err(|_| {
                (
                    "unreadable-manifest",
                    "composer.json is not valid JSON".to_string(),
                )
            })?;
            let path_repository = json["repositories"]
                .as_array()
                .is_some_and(|repositories| repositories.iter().any(|r| r["type"] == "path"));
            if path_repository {
                return Err((
                    "local-dependency",
                    "composer.json has a path repository: it needs the sources".to_string(),
                ));
            }
            manifests.optional(&["composer.lock", "auth.json"]);
            let body = install
                .instruction
                .editable_shell(document.text())
                .expect("a recognised install has an editable shell body");
            let subcommand = command
                .args
                .iter()
                .find(|w| w.value.as_deref() == Some("install"))
                .expect("classified as composer install");
            let at = install
                .instruction
                .script_end_to_file(body, subcommand.range.end);
            move_flag = Some((at, " --no-scripts --no-autoloader".to_string()));
            let program = command_word(document, install, command);
            let mut dump = format!("RUN {program} dump-autoload");
            for (original, option) in [
                ("-o", " --optimize"),
                ("--optimize-autoloader", " --optimize"),
                ("-a", " --classmap-authoritative"),
                ("--classmap-authoritative", " --classmap-authoritative"),
                ("--apcu-autoloader", " --apcu"),
            ] {
                if values.iter().any(|v| v == original) && !dump.ends_with(option) {
                    dump.push_str(option);
                }
            }
            if values.iter().any(|v| v == "--no-dev") {
                dump.push_str(" --no-dev");
            }
            after_copy.push(dump);
            if json["scripts"]["post-install-cmd"].is_string()
                || json["scripts"]["post-install-cmd"].is_array()
            {
                after_copy.push(format!("RUN {program} run-script post-install-cmd"));
            }
            applicability = Applicability::Unsafe;
            note = Some(
                "the install runs without scripts and autoloader before the sources; dump-autoload (and post-install-cmd) run after them — plugins' install hooks may behave differently"
                    .to_string(),
            );
        }
        Ecosystem::Cargo => {
            if ran_before(document, copy.index, "cargo fetch") {
                return Ok(None);
            }
            let cargo = manifests.require("Cargo.toml")?;
            if !manifests::cargo_fetches(&cargo) {
                return Ok(None);
            }
            let explicit = [
                "[workspace]",
                "path =",
                "path=",
                "[[bin]]",
                "[[example]]",
                "[[bench]]",
                "[[test]]",
                "build =",
            ];
            if let Some(found) = explicit.iter().find(|marker| cargo.contains(**marker)) {
                return Err((
                    "workspaces",
                    format!("Cargo.toml has `{found}`: a fetch with a stub crate may not match it"),
                ));
            }
            let copied_before = document
                .stage_instructions(install.instruction.stage.unwrap_or_default())
                .any(|(i, other)| {
                    i < copy.index && matches!(other.keyword, Keyword::Copy | Keyword::Add)
                });
            if copied_before || install.instruction.flag("mount").is_some() {
                return Err((
                    "cache-mount",
                    "files copied earlier or a cache mount: a stub src/ could clash or go unused"
                        .to_string(),
                ));
            }
            manifests.optional(&["Cargo.lock"]);
            action = Action::Insert(
                "RUN mkdir -p src && echo 'fn main() {}' > src/main.rs && touch src/lib.rs && cargo fetch && rm -rf src"
                    .to_string(),
            );
            applicability = Applicability::Unsafe;
            note = Some(
                "cargo fetch with a stub crate downloads every dependency of every target and platform into the layer (cargo-chef does this more precisely)"
                    .to_string(),
            );
        }
        Ecosystem::Dotnet => {
            let command = &install.commands[0];
            let values = args(command);
            let restore = values.first().is_some_and(|v| v == "restore");
            if !restore && ran_before(document, install.index, "dotnet restore") {
                return Ok(None);
            }
            let project = values.iter().skip(1).find(|v| !v.starts_with('-')).cloned();
            dotnet_manifests(&mut manifests, project.as_deref())?;
            if !restore {
                let project = project.map(|p| format!(" {p}")).unwrap_or_default();
                let runtime = values
                    .windows(2)
                    .find(|pair| pair[0] == "-r" || pair[0] == "--runtime")
                    .map(|pair| format!(" -r {}", pair[1]))
                    .unwrap_or_default();
                action = Action::Insert(format!("RUN dotnet restore{project}{runtime}"));
                applicability = Applicability::Unsafe;
                note = Some(
                    "a separate restore may resolve differently from the build's implicit one (configuration, runtime)"
                        .to_string(),
                );
            }
        }
    }
    // A RUN that moves (or is copied, for Poetry/uv) must do nothing but the install; an
    // inserted download step leaves the build RUN and its other commands where they are.
    let keeps_run = matches!(
        install.ecosystem,
        Ecosystem::Go | Ecosystem::Maven | Ecosystem::Gradle
    ) || (install.ecosystem == Ecosystem::Dotnet
        && matches!(action, Action::Insert(_)));
    if !install.others.is_empty() && !keeps_run {
        return Err((
            "other-commands",
            format!(
                "the RUN also runs `{}`: split it so the install can run before the copy",
                install.others.join("`, `")
            ),
        ));
    }
    Ok(Some(Plan {
        manifests: manifests.files,
        action,
        move_flag,
        after_copy,
        applicability,
        note,
    }))
}

/// The build's dependencies are already fetched before the whole copy (`go mod download`,
/// `dependency:go-offline`, a separate `dotnet restore` …): nothing to gain.
fn dependencies_fetched_before(document: &Document, copy: usize, install: &Install) -> bool {
    let first = install.commands[0]
        .args
        .first()
        .and_then(|w| w.value.as_deref());
    let marker = match install.ecosystem {
        Ecosystem::Go => "go mod download",
        Ecosystem::Maven => "dependency:go-offline",
        Ecosystem::Gradle => "dependencies --no-daemon",
        Ecosystem::Dotnet if first != Some("restore") => "dotnet restore",
        _ => return false,
    };
    ran_before(document, copy, marker)
}

/// A RUN before instruction `index` in the stage (or its parents) already contains `text`: the
/// dependency-only step this rule inserts is there.
fn ran_before(document: &Document, index: usize, text: &str) -> bool {
    document.instructions_before(index).into_iter().any(|i| {
        let instruction = &document.instructions[i];
        instruction.keyword == Keyword::Run && instruction.logical.text.contains(text)
    })
}

/// The command word as written (`./mvnw`, `gradle`), for an inserted RUN.
fn command_word(document: &Document, install: &Install, command: &Command) -> String {
    let body = install
        .instruction
        .editable_shell(document.text())
        .expect("a recognised install has an editable shell body");
    body.script.text()[command.name.range.clone()].to_string()
}

/// The project files a `dotnet restore` reads: the project or solution named (else every
/// project and solution in the working directory), the projects they reference, and the
/// shared build files beside them.
fn dotnet_manifests(manifests: &mut Manifests, project: Option<&str>) -> Result<(), Refusal> {
    let mut queue: Vec<String> = match project {
        Some(project) => vec![project.to_string()],
        None => manifests.list_dir("", &[".csproj", ".fsproj", ".vbproj", ".sln"]),
    };
    if queue.is_empty() {
        return Err((
            "manifest-missing",
            "no project or solution file in the build context".to_string(),
        ));
    }
    let mut seen = 0;
    while seen < queue.len() {
        let path = queue[seen].clone();
        seen += 1;
        let text = manifests.require(&path)?;
        let dir = path.rsplit_once('/').map_or("", |(dir, _)| dir);
        for reference in manifests::project_references(&text) {
            let joined = if dir.is_empty() {
                reference
            } else {
                format!("{dir}/{reference}")
            };
            let Some(normalized) = normalize_relative(&joined) else {
                return Err((
                    "outside-copy",
                    format!("{path} references {joined}, outside the build context"),
                ));
            };
            if !queue.contains(&normalized) {
                queue.push(normalized);
            }
        }
        let shared = [
            "Directory.Build.props",
            "Directory.Build.targets",
            "Directory.Packages.props",
            "NuGet.config",
            "nuget.config",
            "global.json",
        ];
        let beside: Vec<String> = shared
            .iter()
            .map(|name| {
                if dir.is_empty() {
                    name.to_string()
                } else {
                    format!("{dir}/{name}")
                }
            })
            .collect();
        manifests.optional(&beside.iter().map(String::as_str).collect::<Vec<_>>());
    }
    manifests.optional(&[
        "Directory.Build.props",
        "Directory.Packages.props",
        "NuGet.config",
        "nuget.config",
        "global.json",
    ]);
    Ok(())
}

/// A relative path with `.` and `..` resolved; `None` when it climbs above its start.
fn normalize_relative(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            _ => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// The install RUN's text with `flag` inserted after the install's subcommand (Poetry's
/// `--no-root`, uv's `--no-install-project`), for a dependency-only install before the copy.
fn with_flag_after_subcommand(document: &Document, install: &Install, flag: &str) -> String {
    let instruction = install.instruction;
    let body = instruction
        .editable_shell(document.text())
        .expect("a recognised install has an editable shell body");
    let command = &install.commands[0];
    let subcommand = command
        .args
        .iter()
        .find(|w| w.value.as_deref().is_some_and(|v| !v.starts_with('-')))
        .unwrap_or(&command.name);
    let at = instruction.script_end_to_file(body, subcommand.range.end);
    let range = &instruction.logical.range;
    let text = document.text();
    format!("{} {flag}{}", &text[range.start..at], &text[at..range.end])
}

/// Where the install runs, relative to the whole copy's destination.
struct Frame {
    /// Absolute (or base-relative) destination of the whole copy.
    dest: String,
    /// The install's working directory in the same terms.
    cwd: String,
}

impl Frame {
    fn new(document: &Document, copy: &WholeCopy, install: &Install) -> Result<Frame, Refusal> {
        let workdir = document
            .workdir(copy.index)
            .ok_or(("dynamic-path", "WORKDIR uses a variable".to_string()))?;
        if copy.dest.contains('$') || install.cd.as_deref().is_some_and(|cd| cd.contains('$')) {
            return Err((
                "dynamic-path",
                "the destination uses a variable".to_string(),
            ));
        }
        let dest = join_path(&workdir, copy.dest);
        let cwd = match &install.cd {
            Some(cd) => join_path(&workdir, cd),
            None => workdir,
        };
        Ok(Frame { dest, cwd })
    }

    /// The context-relative path of a file the install reads at `path` (relative to its cwd).
    fn to_context(&self, path: &str) -> Result<String, Refusal> {
        let absolute = join_path(&self.cwd, path);
        if absolute == self.dest {
            return Ok(String::new());
        }
        absolute
            .strip_prefix(&format!("{}/", self.dest))
            .map(str::to_string)
            .ok_or((
                "outside-copy",
                format!("the install reads {path}, which the whole copy does not provide"),
            ))
    }
}

/// The manifests an install reads, checked against the build context.
struct Manifests<'a> {
    context: &'a BuildContext,
    frame: &'a Frame,
    files: Vec<String>,
}

impl Manifests<'_> {
    fn exists(&self, path: &str) -> bool {
        self.frame
            .to_context(path)
            .is_ok_and(|path| self.context.exists(&path))
    }

    fn available(&self, path: &str) -> bool {
        self.frame
            .to_context(path)
            .is_ok_and(|path| self.context.available(&path))
    }

    /// A manifest the install needs: it must reach the builder. Returns its text.
    fn require(&mut self, path: &str) -> Result<String, Refusal> {
        let in_context = self.frame.to_context(path)?;
        if !self.context.available(&in_context) {
            let reason = if self.context.exists(&in_context) {
                (
                    "manifest-ignored",
                    format!("{in_context} is excluded by .dockerignore"),
                )
            } else {
                (
                    "manifest-missing",
                    format!(
                        "{in_context} is not in the build context (generated during the build?)"
                    ),
                )
            };
            return Err(reason);
        }
        let text = self.context.read(&in_context).unwrap_or_default();
        if !self.files.contains(&in_context) {
            self.files.push(in_context);
        }
        Ok(text)
    }

    /// Files of the install's working directory `dir` whose names end in one of `suffixes`.
    fn list_dir(&self, dir: &str, suffixes: &[&str]) -> Vec<String> {
        let Ok(in_context) = self
            .frame
            .to_context(if dir.is_empty() { "." } else { dir })
        else {
            return Vec::new();
        };
        let mut names: Vec<String> = self
            .context
            .list(&in_context)
            .into_iter()
            .filter(|name| suffixes.iter().any(|suffix| name.ends_with(suffix)))
            .map(|name| {
                if dir.is_empty() {
                    name
                } else {
                    format!("{dir}/{name}")
                }
            })
            .collect();
        names.sort();
        names
    }

    /// Manifests copied when they reach the builder.
    fn optional(&mut self, paths: &[&str]) {
        for path in paths {
            if let Ok(in_context) = self.frame.to_context(path) {
                if self.context.available(&in_context) && !self.files.contains(&in_context) {
                    self.files.push(in_context);
                }
            }
        }
    }
}

/// The requirement files of one pip install (and the files they include).
fn pip_manifests(args: &[Word], manifests: &mut Manifests) -> Result<(), Refusal> {
    const WITH_VALUE: &[&str] = &[
        "-i",
        "--index-url",
        "--extra-index-url",
        "--trusted-host",
        "-t",
        "--target",
        "--prefix",
        "--root",
        "--platform",
        "--python-version",
        "--implementation",
        "--abi",
        "--progress-bar",
        "--upgrade-strategy",
        "--src",
        "--log",
        "--proxy",
        "--timeout",
        "--retries",
        "--cache-dir",
        "--exists-action",
        "--cert",
        "--client-cert",
        "--global-option",
        "--config-settings",
        "-C",
        "--no-binary",
        "--only-binary",
        "--python",
    ];
    let mut words = args
        .iter()
        .skip_while(|w| w.value.as_deref() != Some("install"))
        .skip(1);
    let mut pending: Vec<String> = Vec::new();
    while let Some(word) = words.next() {
        let Some(value) = word.value.as_deref() else {
            return Err(("dynamic-args", "an argument uses a variable".to_string()));
        };
        let next = |words: &mut dyn Iterator<Item = &Word>| {
            words.next().and_then(|w| w.value.clone()).ok_or((
                "dynamic-args",
                format!("the value of `{value}` is not literal"),
            ))
        };
        match value {
            "-r" | "--requirement" | "-c" | "--constraint" => pending.push(next(&mut words)?),
            "-e" | "--editable" | "-f" | "--find-links" => {
                let target = next(&mut words)?;
                if manifests::is_local_requirement(&target) || !target.contains("://") {
                    return Err((
                        "local-requirement",
                        format!("`{value} {target}` installs local sources"),
                    ));
                }
            }
            _ if WITH_VALUE.contains(&value) => {
                next(&mut words)?;
            }
            _ if value.starts_with("--requirement=") || value.starts_with("--constraint=") => {
                pending.push(
                    value
                        .split_once('=')
                        .map(|(_, f)| f.to_string())
                        .unwrap_or_default(),
                );
            }
            _ if (value.starts_with("-r") || value.starts_with("-c")) && value.len() > 2 => {
                pending.push(value[2..].to_string());
            }
            _ if value.starts_with('-') => {}
            _ if manifests::is_local_requirement(value) => {
                return Err((
                    "local-requirement",
                    format!("`pip install {value}` installs local sources"),
                ));
            }
            _ => {}
        }
    }
    // Requirement files, then what they include (relative to the including file).
    let mut queue: Vec<String> = pending;
    let mut seen = 0;
    while seen < queue.len() {
        let path = queue[seen].clone();
        seen += 1;
        let text = manifests.require(&path)?;
        let dir = path.rsplit_once('/').map_or("", |(dir, _)| dir);
        for include in manifests::requirement_includes(&text)? {
            let included = if dir.is_empty() {
                include
            } else {
                format!("{dir}/{include}")
            };
            if !queue.contains(&included) {
                queue.push(included);
            }
        }
    }
    Ok(())
}

fn finding(document: &Document, copy: &WholeCopy, install: &Install, plan: &Plan) -> Finding {
    let text = document.text();
    let eol = document
        .source
        .line_ending_at(copy.instruction.logical.range.start);
    let insert_at = block_start(document, copy.index);
    let indent = &text[line_start(text, copy.instruction.logical.range.start)
        ..copy.instruction.logical.range.start];
    let mut inserted = String::new();
    let copies = manifest_copies(document, &plan.manifests);
    for (target, sources) in &copies {
        let target = target_dir(copy.dest, target);
        inserted.push_str(&format!(
            "{indent}COPY{} {} {target}{eol}",
            copy.flags,
            sources.join(" ")
        ));
    }
    let mut edits = Vec::new();
    let mut added = copies.len();
    match &plan.action {
        Action::Move => {
            let (mut moved, deletion) = move_block(document, install.index, eol);
            if let Some((at, flag)) = &plan.move_flag {
                moved.insert_str(at - block_start(document, install.index), flag);
            }
            inserted.push_str(&moved);
            edits.push(deletion);
        }
        Action::Insert(run) => {
            inserted.push_str(&format!("{indent}{run}{eol}"));
            added += 1;
        }
    }
    edits.insert(0, Edit::insert(insert_at, inserted));
    if !plan.after_copy.is_empty() {
        let after: String = plan
            .after_copy
            .iter()
            .map(|run| format!("{eol}{indent}{run}"))
            .collect();
        edits.push(Edit::insert(copy.instruction.logical.range.end, after));
        added += plan.after_copy.len();
    }
    let copy_text = format!("COPY . {}", copy.dest);
    let manifests = if plan.manifests.is_empty() {
        "nothing".to_string()
    } else {
        plan.manifests.join(", ")
    };
    let note = plan.note.clone().unwrap_or_else(|| {
        format!(
            "copies {manifests} first: the dependency layer is reused while only sources change"
        )
    });
    let fix = Fix {
        edits,
        applicability: plan.applicability,
        note: Some(note),
        removes_instructions: 0,
        adds_instructions: added,
        moves_instructions: matches!(plan.action, Action::Move),
        drops_commands: Vec::new(),
        files: Vec::new(),
    };
    Finding::new(
        CODE,
        install.instruction.logical.range.clone(),
        format!(
            "`{}` runs after `{copy_text}`: every source change re-runs it",
            install.display()
        ),
    )
    .with_fix(fix)
}

/// The manifest COPYs: (target directory under the destination, sources). Files are grouped
/// by their directory; a directory gets a COPY of its own into a folder of its name (COPY
/// copies a directory's contents, not the directory).
fn manifest_copies(document: &Document, manifests: &[String]) -> Vec<(String, Vec<String>)> {
    let is_dir = |path: &str| {
        document
            .context
            .as_deref()
            .is_some_and(|context| context.is_dir(path))
    };
    let mut files: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut dirs = Vec::new();
    for path in manifests {
        if is_dir(path) {
            dirs.push((path.clone(), vec![path.clone()]));
        } else {
            let dir = path.rsplit_once('/').map_or("", |(dir, _)| dir).to_string();
            files.entry(dir).or_default().push(path.clone());
        }
    }
    files.into_iter().chain(dirs).collect()
}

/// The manifest copy's destination for a context directory: the whole copy's destination plus
/// the directory, always ending in `/` (a single file copied to a missing path without `/`
/// would become a file of that name).
fn target_dir(dest: &str, dir: &str) -> String {
    let base = dest.trim_end_matches('/');
    let base = if base.is_empty() && dest.starts_with('/') {
        ""
    } else if base.is_empty() {
        "."
    } else {
        base
    };
    if dir.is_empty() {
        format!("{base}/")
    } else {
        format!("{base}/{dir}/")
    }
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// Start of the comment lines directly above an instruction (no blank line between), or of
/// its own line: what moves with it and where insertions before it go.
fn block_start(document: &Document, index: usize) -> usize {
    let text = document.text();
    let mut start = line_start(text, document.instructions[index].logical.range.start);
    while start > 0 {
        let previous = line_start(text, start - 1);
        let line = text[previous..start].trim();
        if !line.starts_with('#') || (previous == 0 && line.starts_with("# ") && is_directive(line))
        {
            break;
        }
        start = previous;
    }
    start
}

fn is_directive(line: &str) -> bool {
    let line = line.trim_start_matches('#').trim().to_ascii_lowercase();
    ["syntax", "escape", "check"]
        .iter()
        .any(|key| line.starts_with(key) && line[key.len()..].trim_start().starts_with('='))
}

/// The text that moves (the RUN with its comment block, ending in a line ending) and the
/// deletion at its old place.
fn move_block(document: &Document, index: usize, eol: &str) -> (String, Edit) {
    let text = document.text();
    let range = &document.instructions[index].logical.range;
    let start = block_start(document, index);
    let after = &text[range.end..];
    let own_eol = if after.starts_with("\r\n") {
        2
    } else {
        usize::from(after.starts_with('\n'))
    };
    let moved = format!("{}{eol}", &text[start..range.end]);
    let deletion = if own_eol > 0 {
        start..range.end + own_eol
    } else {
        // The last line has no line ending: take the previous one, so the file still ends
        // without a newline.
        let previous = text[..start].trim_end_matches(['\r', '\n']).len();
        previous..range.end
    };
    (
        moved,
        Edit {
            range: deletion,
            replacement: String::new(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_join_like_a_shell() {
        assert_eq!(join_path("/app", "."), "/app");
        assert_eq!(join_path("/app", "./src/"), "/app/src");
        assert_eq!(join_path("/app", "/srv"), "/srv");
        assert_eq!(join_path("<base>", "app"), "<base>/app");
        assert_eq!(join_path("/app/x", ".."), "/app");
        assert_eq!(join_path("/", "."), "/");
    }

    #[test]
    fn relative_paths_must_stay_inside() {
        assert_eq!(
            normalize_relative("src/Api/../Lib/Lib.csproj").as_deref(),
            Some("src/Lib/Lib.csproj")
        );
        assert_eq!(normalize_relative("../Lib/Lib.csproj"), None);
    }

    #[test]
    fn manifest_targets_keep_the_destination_and_end_in_a_slash() {
        assert_eq!(target_dir(".", ""), "./");
        assert_eq!(target_dir("./", "requirements"), "./requirements/");
        assert_eq!(target_dir("/app", ""), "/app/");
        assert_eq!(target_dir("/app/", ""), "/app/");
        assert_eq!(target_dir("/", ""), "/");
    }

    #[test]
    fn frames_map_install_paths_into_the_context() {
        let frame = Frame {
            dest: "/app".to_string(),
            cwd: "/app/api".to_string(),
        };
        assert_eq!(
            frame.to_context("requirements.txt").unwrap(),
            "api/requirements.txt"
        );
        assert_eq!(frame.to_context("../package.json").unwrap(), "package.json");
        assert_eq!(frame.to_context("/etc/x").unwrap_err().0, "outside-copy");
    }
}
