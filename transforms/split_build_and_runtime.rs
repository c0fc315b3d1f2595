//! DF300 `split-build-and-runtime` · Unsafe · all stages · no hadolint rule
//!
//! **What it does.** A single-stage build on an SDK image (`golang`, `rust`, `maven`, `gradle`,
//! JDK images, `dotnet/sdk`, full `node` with a build step, full `python` that compiles) ships
//! the whole toolchain. The fix names the stage `builder` (`FROM golang:1.22 AS builder`),
//! appends a runtime stage on a small image of the same family and version, copies only the
//! artifact into it (`COPY --from=builder /app/server /app/server`) and moves the runtime
//! instructions there.
//!
//! **Recipes.** Go: `go build -o P` (or the package's name) → `debian:<codename>-slim`, or
//! `gcr.io/distroless/static-debianN` when `CGO_ENABLED=0`, exec-form CMD and no packages;
//! Alpine → `alpine`. Rust: `cargo build --release` → `target/[<triple>/]release/<bin>` on
//! `debian:<codename>-slim`. A `debian:*-slim` runtime of Go or Rust also gets the builder's CA
//! bundle (`/etc/ssl/certs/ca-certificates.crt`; the official images carry ca-certificates, the
//! slim Debian image does not) unless the build installed `ca-certificates`, which is then
//! re-installed — RULES.md's table names only the binary; without the bundle every TLS call of
//! the app fails to verify. No `-ldflags="-w -s"` is added to `go build`: RULES.md's recipe
//! copies the binary as built and keeps the builder's bytes, and stripping would drop the
//! symbol table and DWARF that debuggers and profilers read. Java: the jar `java -jar` runs,
//! built by Maven/Gradle (or copied from `target/`, `build/libs/`) → `eclipse-temurin:<J>-jre`.
//! A jar named by a glob in a shell-form CMD (`java -jar target/*.jar`) is the one jar the
//! build files name (`jars.rs`: pom.xml's `finalName` or `artifactId-version`; Gradle's
//! `rootProject.name[-version]`), refused when a plugin, classifier, profile, command-line
//! property, a jar already in the context or Spring Boot's `-plain.jar` could match too; the
//! runtime gets that jar at its path and the CMD moves unchanged (the runtime's folder holds
//! only that jar, so `sh` expands the glob to it as the builder's did; rewriting the CMD to
//! exec form would also change PID 1 and signals). .NET: `dotnet publish -o D` →
//! `dotnet/aspnet` (`Microsoft.NET.Sdk.Web`) or `dotnet/runtime`, same tag. Node with a build
//! step: a static site served by `serve` → `nginx:stable` with the framework's output folder
//! in `/usr/share/nginx/html` (CRA `build/`; Vite `dist/` or a literal `build.outDir`; Vue CLI
//! `dist/`; Angular's `outputPath` of the default project in angular.json, under which the
//! application builder writes `browser/`; Next.js `out/` with a literal `output: 'export'`).
//! The configuration files are read, never run (`js_config`): an option set other than as a
//! plain string of the exported object, a `root` or `distDir` that moves the folder, several
//! config files, a build script that passes `vite build`/`ng build`/`next build` options that
//! may move the output, or an Angular build configuration overriding `outputPath` → refused.
//! Deviation: RULES.md appends `/browser` from Angular v17; the builder decides it (a v17+
//! workspace may keep the `browser` builder, which writes `outputPath` itself), the version
//! from package.json only rejects the application builder below v17. A Next.js server
//! (`next start [-p PORT]`, directly or as the start script) with a literal
//! `output: 'standalone'` → `node:V-slim` with `.next/standalone` in WORKDIR, `.next/static`
//! under it and `public/` (when the context has one), `ENV HOSTNAME=0.0.0.0` (and `PORT`) and
//! `CMD ["node", "server.js"]`, as the Next.js docs' Dockerfile does; the original CMD stays in
//! the builder (RULES.md moves CMDs; `next start` is not in the standalone output, and HOSTNAME
//! is needed because Docker sets it to the container id, which server.js would listen on).
//! Without `standalone`, with `distDir`/`outputFileTracingRoot`, other `next start` options, an
//! ENTRYPOINT or npm `prestart`/`poststart` scripts → refused. Another server (`node …`,
//! `npm start` running `node`) → `node:V-slim` with the WORKDIR after `RUN npm prune --omit=dev`, inserted after the builder's last RUN
//! (not right after the build step: a later RUN such as `npm test` may need the
//! devDependencies) and refused when the start command names a devDependency or npm runs
//! `prestart`/`poststart` scripts. Deviation: when npm cannot prune (the install is yarn's or
//! pnpm's, no package-lock.json pins the tree, the npm of Node.js < 15 has no `--omit`, or the
//! last RUN runs as another user than the install) the WORKDIR is copied with its
//! devDependencies and the finding says why — RULES.md names only `npm prune`; refusing would
//! keep the SDK image, by far the larger waste. Python that compiles: a virtualenv (`RUN
//! python -m venv /opt/venv`, `ENV PATH`) is inserted before the first `pip install`, above the
//! COPY/ADD lines directly before it (RULES.md says before the install; there a source change
//! would create the virtualenv again on every rebuild); `/opt/venv` and WORKDIR go to
//! `python:V-slim`. A tag without codename takes the Debian release of the official image's
//! default variant from a table (`stages::default_codename`), else the setting
//! `[rules.DF300] default-codename`, which is trusted (nothing offline can check that its glibc
//! is not older than the builder's); the static site's web server is the setting
//! `static-runtime-image` when set, assumed an nginx image serving `/usr/share/nginx/html` on
//! port 80 (unset: `nginx:stable[-<codename>]`).
//!
//! **What moves.** CMD, ENTRYPOINT, EXPOSE, HEALTHCHECK, STOPSIGNAL move (with their comments);
//! ENV (except build-only `GO*`, `CGO_ENABLED`, `CARGO_*`, `RUSTFLAGS`, `NPM_CONFIG_*`, `PIP_*`,
//! `POETRY_*`, `MAVEN_OPTS`, `DEBIAN_FRONTEND`), WORKDIR, USER and LABEL are copied; ARGs they
//! use are declared again. Packages the build installed are re-installed in the runtime with
//! the original flags when they serve the runtime (`ca-certificates`, `tzdata`, the library
//! behind a `-dev` package), left behind when build-only (compilers, `make`, `git`, `-dev`).
//!
//! **Fix safety.** Unsafe: the image changes base. The runtime lacks the SDK, so anything the
//! app reads or runs from it breaks; files the app reads besides the artifact must be copied
//! (the pass refuses when it sees runtime folders such as `templates/` in the build context).
//! The finding lists every assumption: runtime base, artifacts, copied and moved instructions,
//! packages.
//!
//! **Skips** (shown with `--show-skipped`): the CMD runs the toolchain (`go run`, `cargo run`,
//! `dotnet run`, `mvn`, dev servers); no CMD, an entrypoint script or a CMD the pass cannot read;
//! artifact unknown or several (a `serve` that names no folder, a jar glob the build files do
//! not pin to one jar); a jar glob in an exec-form CMD (Docker never expanded it); a Node start
//! command that needs devDependencies; runtime files in the context;
//! no build context where the recipe reads manifests; an unclassified package; a USER created by
//! a RUN; HEALTHCHECK tools the runtime lacks; VOLUME, SHELL, ONBUILD, `--platform`, a
//! templated, digest-pinned or Windows base; a version missing from the base-facts table (and
//! no `default-codename`).
//! Multi-stage files are DF301's.

use std::collections::BTreeSet;

use crate::config::{Settings, SplitOptions};
use crate::context::BuildContext;
use crate::document::{Document, EnvValue, Instruction, Keyword};
use crate::fix::{Edit, Finding, Fix};
use crate::jars;
use crate::js_config;
use crate::shell::Command;
use crate::shell_rules::{
    environment, first_operand, matches_glob, scan_runs, Operand, RunCommand, Scope,
};
use crate::stages::{
    carries_ca_bundle, classify_package, debian_version, default_codename, family, slim_tag,
    Family, ImageRef, PackageUse, CA_BUNDLE,
};

const CODE: &str = "DF300";

/// Folders of files an application typically reads at run time: a compiled build that has them
/// in its context would need them copied too.
const RUNTIME_DIRS: &[&str] = &[
    "templates",
    "static",
    "public",
    "migrations",
    "views",
    "assets",
    "config",
    "web",
    "www",
];

/// ENV names that only matter to the build (RULES.md DF300).
const BUILD_ONLY_ENV: &[&str] = &[
    "GO",
    "CGO_ENABLED",
    "CARGO_",
    "RUSTFLAGS",
    "NPM_CONFIG_",
    "PIP_",
    "POETRY_",
    "MAVEN_OPTS",
    "DEBIAN_FRONTEND",
];

/// Programs that mean the CMD needs the toolchain.
const TOOLCHAIN: &[&str] = &[
    "go", "cargo", "rustc", "mvn", "mvnw", "gradle", "gradlew", "gcc", "make", "nodemon",
    "ts-node", "vite", "ng", "tsc",
];

/// Start scripts that run a development server.
const DEV_SERVERS: &[&str] = &[
    "vite",
    "next dev",
    "react-scripts start",
    "nodemon",
    "ts-node",
    "webpack serve",
    "webpack-dev-server",
    "ng serve",
    "vue-cli-service serve",
    "nuxt dev",
];

/// Why the pass refuses: a skip reason and the explanation.
type Refusal = (&'static str, String);

fn refuse<T>(reason: &'static str, why: impl Into<String>) -> Result<T, Refusal> {
    Err((reason, why.into()))
}

pub fn check(document: &Document, settings: &Settings) -> Vec<Finding> {
    let [stage] = document.stages.as_slice() else {
        return Vec::new();
    };
    let image = ImageRef::parse(&stage.base);
    let Some(family) = family(&image) else {
        return Vec::new();
    };
    let from = &document.instructions[stage.from];
    let intro = format!("single-stage build on the SDK image `{}`", stage.base);
    match plan(document, family, &image, &settings.split) {
        Ok(None) => Vec::new(),
        Ok(Some(split)) => vec![finding(document, from, &intro, split)],
        Err((reason, why)) => vec![Finding::skip(
            CODE,
            from.logical.range.clone(),
            reason,
            format!("{intro} ships the toolchain, but it is not split: {why}"),
        )],
    }
}

/// What the runtime stage receives.
struct Split {
    runtime: String,
    /// Why this runtime base.
    base_reason: String,
    /// `(source in the builder, destination in the runtime)`.
    copies: Vec<(String, String)>,
    /// Instructions inserted into the builder (the Python virtualenv), with their count.
    builder_edits: Vec<Edit>,
    builder_added: usize,
    /// Lines for the runtime stage after the copied instructions (`ENV PATH=…`).
    runtime_lines: Vec<String>,
    /// A static site: nginx's own CMD and port replace the original's, nothing moves.
    static_site: bool,
    /// The runtime's own CMD (Next.js standalone `node server.js`): the original CMD stays in
    /// the builder, the other runtime instructions move as usual.
    cmd: Option<String>,
    packages: Packages,
    assumptions: Vec<String>,
}

/// The packages the build installed, sorted for the runtime.
#[derive(Default)]
struct Packages {
    /// The RUN that installs the runtime packages again, if any.
    install: Option<String>,
    runtime: Vec<String>,
    build_only: Vec<String>,
}

/// The split for this file, `None` when the file is no DF300 candidate after all (a Node
/// image without build step, a Python image that does not compile, slim variants).
fn plan(
    document: &Document,
    family: Family,
    image: &ImageRef,
    options: &SplitOptions,
) -> Result<Option<Split>, Refusal> {
    let variants = image.variants();
    let small = variants.contains(&"slim") || image.alpine().is_some();
    match family {
        Family::Node if small || !has_node_build(document) => return Ok(None),
        Family::Python if small || !python_compiles(document) => return Ok(None),
        _ => {}
    }
    gates(document, image)?;
    let entry = entry_command(document)?;
    let cmd = Cmd::read(document, &entry)?;
    if TOOLCHAIN.contains(&cmd.program())
        || (cmd.program() == "dotnet" && cmd.argv.get(1).map(String::as_str) == Some("run"))
    {
        return refuse(
            "cmd-runs-toolchain",
            format!("the CMD runs `{}` from the SDK", cmd.argv.join(" ")),
        );
    }
    users(document, family)?;
    let split = match family {
        Family::Go => go(document, image, &cmd, options)?,
        Family::Rust => rust(document, image, &cmd, options)?,
        Family::Java(version) => java(document, image, version, &cmd)?,
        Family::Dotnet => dotnet(document, image, &cmd)?,
        Family::Node => node(document, image, &cmd, options)?,
        Family::Python => python(document, image, &cmd)?,
    };
    healthcheck(document, &split)?;
    // A path the CMD reads must arrive with the copies (a config file copied into the
    // builder does not).
    let copied = |path: &str| {
        split.copies.iter().any(|(_, to)| {
            path == to
                || path.starts_with(&format!("{to}/"))
                || (!cmd.exec_form && path.contains(GLOB) && matches_glob(path, to))
        })
    };
    if let Some(path) = cmd.argv[1..]
        .iter()
        .filter(|arg| {
            arg.contains('/') && !arg.contains("://") && !split.static_site && split.cmd.is_none()
        })
        .find(|arg| !copied(&resolve(&cmd.workdir, arg)))
    {
        return refuse(
            "runtime-files",
            format!("the CMD reads `{path}`, which only the builder has"),
        );
    }
    Ok(Some(split))
}

/// RULES.md DF300 refusals that hold for every recipe.
fn gates(document: &Document, image: &ImageRef) -> Result<(), Refusal> {
    let stage = &document.stages[0];
    let from = &document.instructions[stage.from];
    if stage.windows {
        return refuse("windows", "Windows images have no runtime counterpart here");
    }
    if stage.base.contains('$') {
        return refuse(
            "arg-templated-base",
            "the base image is set by a build argument",
        );
    }
    if image.digest {
        return refuse(
            "digest-pinned",
            "the base is pinned by digest and no runtime digest can be derived offline",
        );
    }
    if !from.flags.is_empty() {
        return refuse("platform-flag", "FROM has flags (`--platform`)");
    }
    for instruction in &document.instructions {
        let reason = if instruction.onbuild {
            Some(("onbuild", "ONBUILD runs in images built from this one"))
        } else if instruction.opaque {
            Some(("opaque", "an instruction could not be parsed"))
        } else if !instruction.posix {
            Some(("non-posix", "the shell is not POSIX"))
        } else {
            match instruction.keyword {
                Keyword::Volume => Some(("volume", "VOLUME data would not reach the runtime")),
                Keyword::Shell => Some(("shell-instruction", "SHELL changes the CMD's shell")),
                Keyword::Other => Some(("opaque", "an unknown instruction")),
                _ => None,
            }
        };
        if let Some((reason, why)) = reason {
            return refuse(reason, why);
        }
    }
    Ok(())
}

/// The argv the container runs: ENTRYPOINT and CMD combined (the last of each counts).
fn entry_command(document: &Document) -> Result<Vec<String>, Refusal> {
    let last = |keyword| {
        document
            .instructions
            .iter()
            .rev()
            .find(|i| i.keyword == keyword)
    };
    let words = |instruction: &Instruction| -> Result<Vec<String>, Refusal> {
        if let Some(argv) = &instruction.exec_form {
            return Ok(argv.clone());
        }
        let args = instruction.args();
        if args.contains(['&', '|', ';', '<', '>', '$', '`', '\'', '"', '(', '\\']) {
            return refuse(
                "cmd-not-understood",
                format!("the shell-form `{args}` is more than a program and its arguments"),
            );
        }
        let mut words: Vec<String> = args.split_ascii_whitespace().map(String::from).collect();
        if words.first().map(String::as_str) == Some("exec") {
            words.remove(0);
        }
        Ok(words)
    };
    let argv = match (last(Keyword::Entrypoint), last(Keyword::Cmd)) {
        (Some(entrypoint), cmd) => {
            let mut argv = words(entrypoint)?;
            if let (Some(cmd), true) = (cmd, entrypoint.exec_form.is_some()) {
                if cmd.exec_form.is_none() {
                    return refuse(
                        "cmd-not-understood",
                        "a shell-form CMD after an exec-form ENTRYPOINT",
                    );
                }
                argv.extend(words(cmd)?);
            }
            argv
        }
        (None, Some(cmd)) => words(cmd)?,
        (None, None) => Vec::new(),
    };
    if argv.is_empty() {
        return refuse("no-cmd", "no CMD or ENTRYPOINT names what the runtime runs");
    }
    Ok(argv)
}

/// The command the runtime runs, with the WORKDIR it runs in.
struct Cmd {
    argv: Vec<String>,
    workdir: String,
    exec_form: bool,
}

impl Cmd {
    fn read(document: &Document, argv: &[String]) -> Result<Cmd, Refusal> {
        let program = basename(&argv[0]);
        if program.ends_with(".sh") || program.contains("entrypoint") {
            return refuse(
                "entrypoint-script",
                format!(
                    "the entrypoint script `{}` may call tools only the SDK image has",
                    argv[0]
                ),
            );
        }
        if matches!(program, "sh" | "bash" | "dash" | "ash") {
            return refuse("cmd-not-understood", "the CMD runs a shell");
        }
        let workdir = workdir_at(document, document.instructions.len()).ok_or((
            "dynamic-workdir",
            "the WORKDIR is set from a variable".to_string(),
        ))?;
        let exec_form = document
            .instructions
            .iter()
            .filter(|i| matches!(i.keyword, Keyword::Cmd | Keyword::Entrypoint))
            .all(|i| i.exec_form.is_some());
        Ok(Cmd {
            argv: argv.to_vec(),
            workdir,
            exec_form,
        })
    }

    fn program(&self) -> &str {
        basename(&self.argv[0])
    }

    /// The absolute path of the program when the CMD names one by path.
    fn program_path(&self) -> Option<String> {
        self.argv[0]
            .contains('/')
            .then(|| resolve(&self.workdir, &self.argv[0]))
    }
}

fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// `path` made absolute against `dir`, `.` and `..` resolved.
fn resolve(dir: &str, path: &str) -> String {
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{dir}/{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    format!("/{}", parts.join("/"))
}

/// The WORKDIR in effect before instruction `index` (`/` when none); `None` when a variable
/// sets it.
fn workdir_at(document: &Document, index: usize) -> Option<String> {
    let mut dir = "/".to_string();
    for instruction in document.instructions[..index]
        .iter()
        .filter(|i| i.keyword == Keyword::Workdir)
    {
        let arg = instruction.args().trim();
        if arg.contains('$') {
            return None;
        }
        dir = resolve(&dir, arg.trim_matches('"'));
    }
    Some(dir)
}

/// A USER the runtime base knows: root, a number, `nobody`, `node` on node images; a user made
/// by a RUN (`useradd`) would need that RUN again.
fn users(document: &Document, family: Family) -> Result<(), Refusal> {
    for user in document
        .instructions
        .iter()
        .filter(|i| i.keyword == Keyword::User)
    {
        let name = user.args().trim().split(':').next().unwrap_or_default();
        let known = name == "root"
            || name == "nobody"
            || name.chars().all(|c| c.is_ascii_digit())
            || (family == Family::Node && name == "node");
        if !known {
            return refuse(
                "user-created-by-run",
                format!("the USER `{name}` is created in the builder; the runtime lacks it"),
            );
        }
    }
    Ok(())
}

/// A HEALTHCHECK that runs a tool the runtime lacks.
fn healthcheck(document: &Document, split: &Split) -> Result<(), Refusal> {
    for check in document
        .instructions
        .iter()
        .filter(|i| i.keyword == Keyword::Healthcheck)
    {
        let args = check.args();
        if args.trim().eq_ignore_ascii_case("none") {
            continue;
        }
        let shell_less = split.runtime.contains("distroless");
        for tool in ["curl", "wget", "nc"] {
            let mentioned = args
                .split(|c: char| !c.is_ascii_alphanumeric())
                .any(|w| w == tool);
            if mentioned && (shell_less || !split.packages.runtime.iter().any(|p| p == tool)) {
                return refuse(
                    "healthcheck-tool",
                    format!(
                        "the HEALTHCHECK runs `{tool}`, which `{}` lacks",
                        split.runtime
                    ),
                );
            }
        }
    }
    Ok(())
}

/// The RUN commands named `program` whose first operand is one of `subcommands`.
fn tool_commands<'d>(
    document: &'d Document,
    programs: &[&str],
    subcommands: &[&str],
) -> Result<Vec<RunCommand<'d>>, Refusal> {
    let scan = scan_runs(document, Scope::All, |text| {
        programs.iter().any(|p| text.contains(p))
    });
    if let Some((_, reason)) = scan.gated.first() {
        return refuse(reason, "a build RUN cannot be read");
    }
    Ok(scan
        .commands
        .into_iter()
        .filter(|run| {
            run.command
                .basename()
                .is_some_and(|b| programs.contains(&b))
        })
        .filter(|run| {
            subcommands.is_empty()
                || run
                    .command
                    .arg_values()
                    .flatten()
                    .any(|arg| subcommands.contains(&arg))
        })
        .collect())
}

/// The value of option `name` (`-o X`, `-o=X`, `--output X`) in a command's literal arguments.
fn option_value(command: &Command, names: &[&str]) -> Option<Result<String, Refusal>> {
    let args: Vec<Option<&str>> = command.arg_values().collect();
    for (i, arg) in args.iter().enumerate() {
        let Some(arg) = arg else { continue };
        for name in names {
            if arg == name {
                return Some(match args.get(i + 1) {
                    Some(Some(value)) => Ok(value.to_string()),
                    _ => refuse("artifact-unknown", format!("`{name}` takes a variable")),
                });
            }
            if let Some(value) = arg.strip_prefix(&format!("{name}=")) {
                return Some(Ok(value.to_string()));
            }
        }
    }
    None
}

/// The WORKDIR a RUN's command runs in; refuses when the RUN changes directory first.
fn run_dir(document: &Document, run: &RunCommand) -> Result<String, Refusal> {
    let cd = run
        .body
        .script
        .commands()
        .iter()
        .any(|c| c.basename() == Some("cd") && c.range.start < run.command.range.start);
    if cd {
        return refuse("cd-in-build", "the build command runs after a `cd`");
    }
    workdir_at(document, run.index).ok_or((
        "dynamic-workdir",
        "the WORKDIR is set from a variable".to_string(),
    ))
}

/// A compiled artifact must be what the CMD runs, and no runtime folders may wait in the
/// context.
fn compiled_checks(
    document: &Document,
    cmd: &Cmd,
    artifact: &str,
    build_dirs: &[String],
) -> Result<String, Refusal> {
    let target = match cmd.program_path() {
        Some(path) => path,
        None if basename(artifact) == cmd.argv[0] => artifact.to_string(),
        None => String::new(),
    };
    if target != artifact {
        return refuse(
            "cmd-not-artifact",
            format!("the CMD runs `{}`, not the built `{artifact}`", cmd.argv[0]),
        );
    }
    runtime_files(document, build_dirs)?;
    Ok(target)
}

/// Refuses when the app may read files besides the artifact: runtime folders in the context,
/// or files copied outside the folders the build reads its sources from (`build_dirs`, the
/// WORKDIRs the build commands run in).
fn runtime_files(document: &Document, build_dirs: &[String]) -> Result<(), Refusal> {
    let Some(context) = &document.context else {
        return refuse(
            "no-context",
            "without the build context the files the app reads cannot be told",
        );
    };
    if let Some(dir) = RUNTIME_DIRS.iter().find(|dir| context.available(dir)) {
        return refuse(
            "runtime-files",
            format!("the build context has `{dir}/`, which the app may read at run time"),
        );
    }
    // Files copied outside the folder the build runs in are configuration or data for the
    // running app (`COPY config.yml /etc/app/`), not sources. Sources are copied into the
    // WORKDIR in effect, or into the folder a later WORKDIR makes the build's (`COPY . /app`
    // then `WORKDIR /app`).
    for (index, copy) in document.instructions.iter().enumerate() {
        let Some((_, destination)) = copy.context_copy() else {
            continue;
        };
        let dir = workdir_at(document, index).unwrap_or_default();
        let target = resolve(&dir, destination.trim_matches('"'));
        let inside = |folder: &String| {
            folder != "/" && (target == *folder || target.starts_with(&format!("{folder}/")))
        };
        if !inside(&dir) && !build_dirs.iter().any(inside) {
            return refuse(
                "runtime-files",
                format!("line {} copies files to `{target}`, outside the build folder: the app may read them", copy.logical.start_line),
            );
        }
    }
    Ok(())
}

/// `debian:<codename>-slim` (or `alpine:A`) for a Go or Rust builder.
fn debian_runtime(
    family: Family,
    image: &ImageRef,
    options: &SplitOptions,
) -> Result<(String, String), Refusal> {
    if let Some(alpine) = image.alpine() {
        let version = if alpine.is_empty() { "3" } else { alpine };
        return Ok((
            format!("alpine:{version}"),
            format!(
                "the builder is Alpine{}",
                if alpine.is_empty() {
                    " (latest: `alpine:3`)"
                } else {
                    ""
                }
            ),
        ));
    }
    if let Some(codename) = image.codename() {
        return Ok((
            format!("debian:{codename}-slim"),
            format!("the builder's tag names Debian {codename}"),
        ));
    }
    match (default_codename(family, image), &options.default_codename) {
        (Some(codename), _) => Ok((
            format!("debian:{codename}-slim"),
            format!(
                "the official `{}` image is built on Debian {codename} (base-facts table)",
                image.tag
            ),
        )),
        (None, Some(codename)) => Ok((
            format!("debian:{codename}-slim"),
            format!(
                "the base-facts table lacks `{}:{}`; the setting `default-codename` names Debian {codename}",
                image.repository, image.tag
            ),
        )),
        (None, None) => refuse(
            "version-unknown",
            format!(
                "the Debian release of `{}:{}` is not in the base-facts table (the setting `default-codename` would name one)",
                image.repository, image.tag
            ),
        ),
    }
}

/// The builder's CA bundle, copied when the runtime is `debian:*-slim` (which has none) and does
/// not install `ca-certificates` itself: Go's crypto/x509, OpenSSL and rustls-native-certs read
/// it, so an app making TLS calls would otherwise fail to verify any server.
fn ca_bundle(
    family: Family,
    image: &ImageRef,
    runtime: &str,
    packages: &Packages,
    copies: &mut Vec<(String, String)>,
    assumptions: &mut Vec<String>,
) {
    let installed = packages
        .runtime
        .iter()
        .any(|p| p.split(['=', ':']).next() == Some("ca-certificates"));
    if runtime.starts_with("debian:") && carries_ca_bundle(family, image) && !installed {
        copies.push((CA_BUNDLE.to_string(), CA_BUNDLE.to_string()));
        assumptions.push(format!(
            "`{runtime}` has no CA certificates: the builder's bundle `{CA_BUNDLE}` (from the image's ca-certificates) serves the app's TLS clients"
        ));
    }
}

fn go(
    document: &Document,
    image: &ImageRef,
    cmd: &Cmd,
    options: &SplitOptions,
) -> Result<Split, Refusal> {
    let builds = tool_commands(document, &["go"], &[])?;
    let mut artifacts = BTreeSet::new();
    let mut build_dirs = Vec::new();
    let mut cgo_off = true;
    for run in &builds {
        let args = &run.command.args;
        let Operand::At(sub) = first_operand(args, &["-C"]) else {
            continue;
        };
        let subcommand = args[sub].as_str().unwrap_or_default();
        if !matches!(subcommand, "build" | "install") {
            continue;
        }
        cgo_off &=
            environment(document, run, "CGO_ENABLED") == Some(EnvValue::Literal("0".to_string()));
        let dir = run_dir(document, run)?;
        build_dirs.push(dir.clone());
        let packages = package_operands(&args[sub + 1..]);
        if subcommand == "build" {
            if let Some(output) = option_value(run.command, &["-o"]) {
                let output = output?;
                if output.ends_with('/') {
                    return refuse("artifact-unknown", "`go build -o` names a folder");
                }
                artifacts.insert(resolve(&dir, &output));
                continue;
            }
        }
        let name = match packages.as_slice() {
            [] | ["."] | ["./"] => module_name(document)?,
            [one] if one.ends_with(".go") => one
                .trim_end_matches(".go")
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string(),
            [one] => basename(
                one.split('@')
                    .next()
                    .unwrap_or_default()
                    .trim_end_matches('/'),
            )
            .to_string(),
            _ => {
                return refuse(
                    "several-artifacts",
                    "one `go` command builds several packages",
                )
            }
        };
        artifacts.insert(if subcommand == "install" {
            format!("/go/bin/{name}")
        } else {
            resolve(&dir, &name)
        });
    }
    let artifact = single(artifacts, "`go build`")?;
    let target = match artifact.strip_prefix("/go/bin/") {
        Some(name) if cmd.argv[0] == name => format!("/usr/local/bin/{name}"),
        _ => compiled_checks(document, cmd, &artifact, &build_dirs)?,
    };
    if artifact.starts_with("/go/bin/") {
        runtime_files(document, &build_dirs)?;
    }
    let links = !cgo_off;
    let packages = packages(document, links)?;
    let (mut runtime, mut base_reason) = debian_runtime(Family::Go, image, options)?;
    let codename = runtime
        .strip_prefix("debian:")
        .and_then(|r| r.strip_suffix("-slim"))
        .and_then(debian_version);
    if let (true, true, true, Some(version)) = (
        cgo_off,
        cmd.exec_form,
        packages.runtime.is_empty(),
        codename,
    ) {
        runtime = format!("gcr.io/distroless/static-debian{version}");
        base_reason = format!(
            "{base_reason}; `CGO_ENABLED=0` builds a static binary and the CMD is exec form"
        );
    }
    let mut assumptions = vec![format!("the binary is `{artifact}`")];
    if target != artifact {
        assumptions.push(format!(
            "`{artifact}` is copied to `{target}`, on the runtime's PATH"
        ));
    }
    if !cgo_off {
        assumptions.push(
            "CGO may link the system's C libraries: the runtime has the same Debian release"
                .to_string(),
        );
    }
    let mut copies = vec![(artifact, target)];
    ca_bundle(
        Family::Go,
        image,
        &runtime,
        &packages,
        &mut copies,
        &mut assumptions,
    );
    Ok(Split {
        runtime,
        base_reason,
        copies,
        builder_edits: Vec::new(),
        builder_added: 0,
        runtime_lines: Vec::new(),
        static_site: false,
        cmd: None,
        packages,
        assumptions,
    })
}

/// The package operands of a `go build`/`go install` (options and their values skipped).
fn package_operands(args: &[crate::shell::Word]) -> Vec<&str> {
    const TAKES_VALUE: &[&str] = &[
        "-o",
        "-ldflags",
        "-gcflags",
        "-tags",
        "-p",
        "-mod",
        "-C",
        "-asmflags",
        "-buildmode",
        "-pkgdir",
        "-overlay",
    ];
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(word) = args.get(i) {
        let value = word.as_str().unwrap_or("$");
        if TAKES_VALUE.contains(&value) {
            i += 2;
            continue;
        }
        if !value.starts_with('-') {
            out.push(value);
        }
        i += 1;
    }
    out
}

/// The binary name `go build` gives the module's main package: the module path's last element.
fn module_name(document: &Document) -> Result<String, Refusal> {
    let text = document
        .context
        .as_ref()
        .and_then(|context| context.read("go.mod"))
        .ok_or((
            "artifact-unknown",
            "`go build` without `-o` and no go.mod in the build context".to_string(),
        ))?;
    text.lines()
        .find_map(|line| line.trim().strip_prefix("module "))
        .map(|module| {
            let mut parts: Vec<&str> = module.trim().trim_matches('"').split('/').collect();
            let last = parts.pop().unwrap_or_default();
            let major = last.len() > 1
                && last.starts_with('v')
                && last[1..].chars().all(|c| c.is_ascii_digit());
            match (major, parts.pop()) {
                (true, Some(previous)) => previous.to_string(),
                _ => last.to_string(),
            }
        })
        .ok_or(("artifact-unknown", "go.mod names no module".to_string()))
}

fn single(artifacts: BTreeSet<String>, what: &str) -> Result<String, Refusal> {
    let mut artifacts = artifacts.into_iter();
    match (artifacts.next(), artifacts.next()) {
        (Some(artifact), None) => Ok(artifact),
        (None, _) => refuse(
            "artifact-unknown",
            format!("no {what} whose output could be told"),
        ),
        (Some(a), Some(b)) => refuse(
            "several-artifacts",
            format!("{what} builds `{a}` and `{b}`"),
        ),
    }
}

fn rust(
    document: &Document,
    image: &ImageRef,
    cmd: &Cmd,
    options: &SplitOptions,
) -> Result<Split, Refusal> {
    let builds = tool_commands(document, &["cargo"], &["build", "install"])?;
    let mut artifacts = BTreeSet::new();
    let mut build_dirs = Vec::new();
    for run in &builds {
        let args: Vec<&str> = run.command.arg_values().map(|a| a.unwrap_or("$")).collect();
        let dir = run_dir(document, run)?;
        build_dirs.push(dir.clone());
        if args.contains(&"install") {
            let name = cmd.argv[0].clone();
            if name.contains('/') || !args.contains(&"--path") {
                return refuse(
                    "artifact-unknown",
                    "`cargo install` of a binary the CMD does not name",
                );
            }
            artifacts.insert(format!("/usr/local/cargo/bin/{name}"));
            continue;
        }
        let profile = if args.contains(&"--release") || args.contains(&"-r") {
            "release"
        } else {
            "debug"
        };
        let target_dir = match option_value(run.command, &["--target-dir"]) {
            Some(dir) => dir?,
            None => match environment(document, run, "CARGO_TARGET_DIR") {
                Some(EnvValue::Literal(dir)) => dir,
                Some(EnvValue::Dynamic) => {
                    return refuse("artifact-unknown", "CARGO_TARGET_DIR is a variable")
                }
                None => "target".to_string(),
            },
        };
        let mut out_dir = resolve(&dir, &target_dir);
        if let Some(triple) = option_value(run.command, &["--target"]) {
            out_dir = format!("{out_dir}/{}", triple?);
        }
        let out_dir = format!("{out_dir}/{profile}");
        let name = match cmd.program_path() {
            Some(path) if path.starts_with(&format!("{out_dir}/")) => basename(&path).to_string(),
            _ => crate_binary(document)?,
        };
        artifacts.insert(format!("{out_dir}/{name}"));
    }
    let artifact = single(artifacts, "`cargo build`")?;
    let target = match artifact.strip_prefix("/usr/local/cargo/bin/") {
        Some(name) => {
            runtime_files(document, &build_dirs)?;
            format!("/usr/local/bin/{name}")
        }
        None => compiled_checks(document, cmd, &artifact, &build_dirs)?,
    };
    let packages = packages(document, true)?;
    let (runtime, base_reason) = debian_runtime(Family::Rust, image, options)?;
    let mut assumptions = vec![format!("the binary is `{artifact}`")];
    if target != artifact {
        assumptions.push(format!(
            "`{artifact}` is copied to `{target}`, on the runtime's PATH"
        ));
    }
    assumptions.push(
        "the binary links only the C libraries of the same Debian release (glibc)".to_string(),
    );
    let mut copies = vec![(artifact, target)];
    ca_bundle(
        Family::Rust,
        image,
        &runtime,
        &packages,
        &mut copies,
        &mut assumptions,
    );
    Ok(Split {
        runtime,
        base_reason,
        copies,
        builder_edits: Vec::new(),
        builder_added: 0,
        runtime_lines: Vec::new(),
        static_site: false,
        cmd: None,
        packages,
        assumptions,
    })
}

/// The binary of the crate in the context root: its only `[[bin]]`, else the package name.
fn crate_binary(document: &Document) -> Result<String, Refusal> {
    let unknown = || {
        (
            "artifact-unknown",
            "no Cargo.toml in the build context names the binary".to_string(),
        )
    };
    let text = document
        .context
        .as_ref()
        .and_then(|c| c.read("Cargo.toml"))
        .ok_or_else(unknown)?;
    let manifest: toml::Table = text.parse().map_err(|_| unknown())?;
    if let Some(bins) = manifest.get("bin").and_then(|b| b.as_array()) {
        return match bins.as_slice() {
            [bin] => bin
                .get("name")
                .and_then(|n| n.as_str())
                .map(String::from)
                .ok_or_else(unknown),
            _ => refuse(
                "several-artifacts",
                "Cargo.toml has several `[[bin]]` targets",
            ),
        };
    }
    if manifest.contains_key("workspace") {
        return refuse("several-artifacts", "Cargo.toml is a workspace");
    }
    manifest
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
        .map(String::from)
        .ok_or_else(unknown)
}

fn java(
    document: &Document,
    image: &ImageRef,
    version: Option<u32>,
    cmd: &Cmd,
) -> Result<Split, Refusal> {
    let builds = tool_commands(
        document,
        &["mvn", "mvnw", "gradle", "gradlew"],
        &[
            "package",
            "install",
            "verify",
            "build",
            "bootJar",
            "jar",
            "assemble",
            "shadowJar",
        ],
    )?;
    if builds.is_empty() {
        return refuse("artifact-unknown", "no Maven or Gradle build");
    }
    if cmd.program() != "java" {
        return refuse(
            "cmd-not-artifact",
            format!("the CMD runs `{}`, not `java -jar`", cmd.argv[0]),
        );
    }
    let written = cmd
        .argv
        .iter()
        .position(|a| a == "-jar")
        .and_then(|i| cmd.argv.get(i + 1))
        .filter(|jar| !jar.contains('$'))
        .ok_or((
            "artifact-unknown",
            "the CMD runs no literal `-jar` file".to_string(),
        ))?;
    let build_dirs = builds
        .iter()
        .map(|run| run_dir(document, run))
        .collect::<Result<Vec<_>, _>>()?;
    let mut assumptions = Vec::new();
    let jar = if written.contains(GLOB) {
        if cmd.exec_form {
            return refuse(
                "cmd-glob-unexpanded",
                format!("the exec-form CMD passes `{written}` to java as written (no shell expands it), so the image cannot start as it is"),
            );
        }
        let (jar, why) = jar_of_glob(
            document,
            &builds,
            &build_dirs,
            &resolve(&cmd.workdir, written),
        )?;
        assumptions.push(format!(
            "the shell expands `{written}` to the one jar `{jar}` ({why}); the command moves unchanged and the runtime's `{}` holds only that jar",
            parent_dir(&jar)
        ));
        jar
    } else {
        let jar = resolve(&cmd.workdir, written);
        let built = build_dirs.iter().any(|dir| {
            jar.starts_with(&format!("{}/", resolve(dir, "target")))
                || jar.starts_with(&format!("{}/", resolve(dir, "build/libs")))
        });
        if !built && !copied_from_build(document, &jar) {
            return refuse("artifact-unknown", format!("no build step writes `{jar}`"));
        }
        jar
    };
    runtime_files(document, &build_dirs)?;
    let version = version.ok_or((
        "version-unknown",
        format!("the tag `{}` names no JDK version", image.tag),
    ))?;
    if ![8, 11, 17, 21, 25].contains(&version) {
        return refuse(
            "version-unknown",
            format!("Eclipse Temurin publishes no JRE image for Java {version}"),
        );
    }
    let variant = match (image.alpine(), image.codename()) {
        (Some(_), _) => "-alpine".to_string(),
        (None, Some(codename @ ("focal" | "jammy" | "noble"))) => format!("-{codename}"),
        _ => String::new(),
    };
    let packages = packages(document, true)?;
    Ok(Split {
        runtime: format!("eclipse-temurin:{version}-jre{variant}"),
        base_reason: format!("the builder's JDK is Java {version}"),
        copies: vec![(jar.clone(), jar.clone())],
        builder_edits: Vec::new(),
        builder_added: 0,
        runtime_lines: Vec::new(),
        static_site: false,
        cmd: None,
        packages,
        assumptions: [format!(
            "the application is the jar `{jar}` and reads nothing else from the builder"
        )]
        .into_iter()
        .chain(assumptions)
        .collect(),
    })
}

/// The characters that make a shell word a pattern.
const GLOB: [char; 3] = ['*', '?', '['];

fn parent_dir(path: &str) -> &str {
    path.rsplit_once('/').map_or("/", |(dir, _)| dir)
}

/// The one jar a shell-form CMD's glob (`target/*.jar`, absolute) expands to: the jar the
/// Maven or Gradle build of that folder writes, named from its build files (RULES.md DF300),
/// with the reason. Refuses when the name cannot be told, does not match, or another jar of
/// the build context would match too.
fn jar_of_glob(
    document: &Document,
    builds: &[RunCommand],
    build_dirs: &[String],
    pattern: &str,
) -> Result<(String, String), Refusal> {
    let (dir, file) = pattern.rsplit_once('/').unwrap_or(("", pattern));
    if dir.contains(GLOB) || file.contains('[') {
        return refuse(
            "artifact-unknown",
            format!("the jar glob `{pattern}` is more than `*` and `?` in a file name"),
        );
    }
    let context = document.context.as_ref().ok_or((
        "no-context",
        "the jar's name is read from the build files in the build context".to_string(),
    ))?;
    let mut names = BTreeSet::new();
    let mut reasons = BTreeSet::new();
    for (run, build_dir) in builds.iter().zip(build_dirs) {
        let program = run.command.basename().unwrap_or_default();
        let maven = matches!(program, "mvn" | "mvnw");
        let output = if maven { "target" } else { "build/libs" };
        if resolve(build_dir, output) != dir {
            continue;
        }
        let args: Vec<&str> = run.command.arg_values().collect::<Option<_>>().ok_or((
            "artifact-unknown",
            format!("`{program}` has arguments from variables"),
        ))?;
        let (name, reason) = if maven {
            maven_build_jar(document, context, run, build_dir, &args)?
        } else {
            gradle_build_jar(document, context, run, build_dir, &args)?
        };
        if let Some(stale) = context
            .list(output)
            .into_iter()
            .filter(|entry| *entry != name && matches_glob(file, entry))
            .find(|entry| context.available(&format!("{output}/{entry}")))
        {
            return refuse(
                "several-artifacts",
                format!("the build context's `{output}/{stale}` also matches `{file}`"),
            );
        }
        names.insert(name);
        reasons.insert(reason);
    }
    let name = single(names, "Maven or Gradle build of `target/` or `build/libs/`")?;
    if !matches_glob(file, &name) {
        return refuse(
            "artifact-unknown",
            format!("`{file}` does not match `{name}`, the jar the build writes"),
        );
    }
    let reasons: Vec<String> = reasons.into_iter().collect();
    Ok((format!("{dir}/{name}"), reasons.join("; ")))
}

/// The file a build reads from the context root reaches the folder it builds in: a COPY of
/// the whole context or of that file into it, before the build.
fn copies_into(document: &Document, file: &str, dir: &str, before: usize) -> bool {
    document.instructions[..before]
        .iter()
        .enumerate()
        .any(|(index, copy)| {
            let Some((sources, destination)) = copy.context_copy() else {
                return false;
            };
            let workdir = workdir_at(document, index).unwrap_or_default();
            let destination = resolve(&workdir, destination.trim_matches('"'));
            sources.iter().any(|source| {
                let source = source.trim_start_matches("./");
                if source.is_empty() || source == "." {
                    destination == dir
                } else {
                    source == file && (destination == dir || destination == format!("{dir}/{file}"))
                }
            })
        })
}

/// The jar `mvn package` writes, from the context's pom.xml, with the reason.
fn maven_build_jar(
    document: &Document,
    context: &BuildContext,
    run: &RunCommand,
    build_dir: &str,
    args: &[&str],
) -> Result<(String, String), Refusal> {
    if let Some(option) = args.iter().find(|a| {
        ["-f", "--file", "-pl", "--projects"]
            .iter()
            .any(|o| a.split('=').next() == Some(o))
    }) {
        return refuse(
            "artifact-unknown",
            format!("`mvn {option}` builds another project"),
        );
    }
    if !copies_into(document, "pom.xml", build_dir, run.index) {
        return refuse(
            "artifact-unknown",
            format!("no COPY puts the context's pom.xml into `{build_dir}`"),
        );
    }
    let pom = context
        .read("pom.xml")
        .ok_or(("no-context", "no pom.xml in the build context".to_string()))?;
    // `-D` user properties win over the pom's: from the command, `.mvn/maven.config` and
    // Maven 3.9's `MAVEN_ARGS`.
    let mut words: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    words.extend(
        context
            .read(".mvn/maven.config")
            .unwrap_or_default()
            .split_whitespace()
            .map(String::from),
    );
    match environment(document, run, "MAVEN_ARGS") {
        Some(EnvValue::Literal(value)) => words.extend(value.split_whitespace().map(String::from)),
        Some(EnvValue::Dynamic) => {
            return refuse("artifact-unknown", "MAVEN_ARGS is set from a variable")
        }
        None => {}
    }
    let mut overridden = Vec::new();
    let mut words = words.iter();
    while let Some(word) = words.next() {
        let property = match word.strip_prefix("-D") {
            Some("") => words.next().map(String::as_str),
            Some(rest) => Some(rest),
            None => word.strip_prefix("--define=").or_else(|| {
                (word == "--define")
                    .then(|| words.next().map(String::as_str))
                    .flatten()
            }),
        };
        if let Some(property) = property {
            overridden.push(property.split('=').next().unwrap_or_default().to_string());
        }
    }
    let name = jars::maven_jar(&pom, &overridden)?;
    Ok((
        name,
        "pom.xml's `finalName` or `artifactId-version`, with no plugin, classifier or profile writing another jar".to_string(),
    ))
}

/// The jar a Gradle build writes, from the context's build and settings scripts, with the
/// reason.
fn gradle_build_jar(
    document: &Document,
    context: &BuildContext,
    run: &RunCommand,
    build_dir: &str,
    args: &[&str],
) -> Result<(String, String), Refusal> {
    if let Some(option) = args.iter().find(|a| {
        [
            "-p",
            "--project-dir",
            "-b",
            "--build-file",
            "-c",
            "--settings-file",
        ]
        .iter()
        .any(|o| a.split('=').next() == Some(o))
            || a.starts_with("-Pversion")
            || a.starts_with("--project-prop=version")
    }) {
        return refuse(
            "artifact-unknown",
            format!("`gradle {option}` changes the project or its version"),
        );
    }
    if environment(document, run, "ORG_GRADLE_PROJECT_version").is_some() {
        return refuse(
            "artifact-unknown",
            "ORG_GRADLE_PROJECT_version sets the version",
        );
    }
    let script = ["build.gradle", "build.gradle.kts"]
        .into_iter()
        .filter(|file| copies_into(document, file, build_dir, run.index))
        .find_map(|file| context.read(file))
        .ok_or((
            "artifact-unknown",
            format!("no COPY puts a build.gradle of the build context into `{build_dir}`"),
        ))?;
    let settings = ["settings.gradle", "settings.gradle.kts"]
        .into_iter()
        .find_map(|file| context.read(file));
    let properties = context.read("gradle.properties");
    let name = jars::gradle_jar(
        settings.as_deref(),
        &script,
        properties.as_deref(),
        basename(build_dir),
    )?;
    let named = if settings
        .as_deref()
        .is_some_and(|s| s.contains("rootProject.name"))
    {
        "settings.gradle's `rootProject.name`"
    } else {
        "the project folder's name"
    };
    Ok((
        name,
        format!(
            "{named} and the build script's version, with no plugin or setting writing another jar"
        ),
    ))
}

/// A `cp`/`mv` in a RUN writes `path` from a Maven or Gradle output folder.
fn copied_from_build(document: &Document, path: &str) -> bool {
    let scan = scan_runs(document, Scope::All, |t| {
        t.contains("cp ") || t.contains("mv ")
    });
    scan.commands.iter().any(|run| {
        let args: Vec<&str> = run
            .command
            .arg_values()
            .flatten()
            .filter(|a| !a.starts_with('-'))
            .collect();
        let (Some(dest), true) = (
            args.last(),
            matches!(run.command.basename(), Some("cp" | "mv")),
        ) else {
            return false;
        };
        let dir = workdir_at(document, run.index).unwrap_or_default();
        resolve(&dir, dest) == path
            && args[..args.len() - 1]
                .iter()
                .any(|s| s.contains("target/") || s.contains("build/libs/"))
    })
}

fn dotnet(document: &Document, image: &ImageRef, cmd: &Cmd) -> Result<Split, Refusal> {
    let builds = tool_commands(document, &["dotnet"], &["publish"])?;
    let mut outputs = BTreeSet::new();
    let mut projects = Vec::new();
    let mut build_dirs = Vec::new();
    for run in &builds {
        let dir = run_dir(document, run)?;
        build_dirs.push(dir.clone());
        let output = option_value(run.command, &["-o", "--output"]).ok_or((
            "artifact-unknown",
            "`dotnet publish` without `-o`".to_string(),
        ))??;
        outputs.insert(resolve(&dir, &output));
        projects.extend(
            run.command
                .arg_values()
                .flatten()
                .filter(|a| a.ends_with("proj"))
                .map(String::from),
        );
    }
    let output = single(outputs, "`dotnet publish -o`")?;
    let target = match (cmd.program(), cmd.argv.get(1)) {
        ("dotnet", Some(dll)) => resolve(&cmd.workdir, dll),
        _ => cmd.program_path().unwrap_or_default(),
    };
    if !target.starts_with(&format!("{output}/")) {
        return refuse(
            "cmd-not-artifact",
            format!("the CMD does not run from the publish folder `{output}`"),
        );
    }
    runtime_files(document, &build_dirs)?;
    let context = document
        .context
        .as_ref()
        .ok_or(("no-context", "the project file cannot be read".to_string()))?;
    let project = match projects.as_slice() {
        [project] => project.clone(),
        [] => {
            let found: Vec<String> = context
                .list(".")
                .into_iter()
                .filter(|n| n.ends_with("proj"))
                .collect();
            match found.as_slice() {
                [one] => one.clone(),
                _ => return refuse("artifact-unknown", "the project file cannot be told"),
            }
        }
        _ => return refuse("several-artifacts", "several projects are published"),
    };
    let text = context.read(&project).ok_or((
        "no-context",
        format!("`{project}` is not in the build context"),
    ))?;
    let web = text.contains("Microsoft.NET.Sdk.Web");
    let flavour = if web { "aspnet" } else { "runtime" };
    let repository = image
        .repository
        .rsplit_once('/')
        .map_or("", |(head, _)| head);
    let mut parts: Vec<&str> = image.tag.split('-').collect();
    let version: Vec<&str> = parts[0].split('.').collect();
    let short = version[..version.len().min(2)].join(".");
    parts[0] = &short;
    let runtime = format!("{repository}/{flavour}:{}", parts.join("-"));
    let packages = packages(document, true)?;
    Ok(Split {
        runtime,
        base_reason: format!(
            "`{project}` uses {} and the SDK tag names .NET {short}",
            if web {
                "Microsoft.NET.Sdk.Web"
            } else {
                "a non-web SDK"
            }
        ),
        copies: vec![(output.clone(), output.clone())],
        builder_edits: Vec::new(),
        builder_added: 0,
        runtime_lines: Vec::new(),
        static_site: false,
        cmd: None,
        packages,
        assumptions: vec![format!("the app is the publish folder `{output}`")],
    })
}

/// A Node build step: `npm run build`, `yarn build`, `pnpm build`.
fn has_node_build(document: &Document) -> bool {
    scan_runs(document, Scope::All, |t| t.contains("build"))
        .commands
        .iter()
        .any(|run| {
            let args: Vec<&str> = run.command.arg_values().flatten().collect();
            matches!(run.command.basename(), Some("npm" | "yarn" | "pnpm"))
                && matches!(
                    args.as_slice(),
                    ["run", "build", ..] | ["build", ..] | ["run-script", "build", ..]
                )
        })
}

/// The USER in effect before instruction `index` (`root` when none).
fn user_at(document: &Document, index: usize) -> String {
    document.instructions[..index]
        .iter()
        .rev()
        .find(|i| i.keyword == Keyword::User)
        .map_or("root".to_string(), |user| {
            let user = user.args().trim();
            user.split(':').next().unwrap_or(user).to_string()
        })
}

/// Where the builder prunes the devDependencies (RULES.md DF300: the runtime gets the WORKDIR
/// after `npm prune --omit=dev`): after its last RUN, so that every build step still has
/// them. `Err` with the reason when the WORKDIR is copied unpruned: installs by yarn or pnpm
/// (npm cannot prune their trees), no lockfile (npm would resolve the tree again), an npm
/// without `--omit`, or a last RUN under another user than the install (no write access).
fn prune_after(
    document: &Document,
    image: &ImageRef,
    context: &BuildContext,
) -> Result<usize, String> {
    let scan = scan_runs(document, Scope::All, |t| {
        ["npm", "yarn", "pnpm"].iter().any(|p| t.contains(p))
    });
    let installs: Vec<&RunCommand> = scan
        .commands
        .iter()
        .filter(|run| {
            let args: Vec<&str> = run.command.arg_values().map(|a| a.unwrap_or("$")).collect();
            match run.command.basename() {
                Some("npm") => matches!(args.first(), Some(&("ci" | "install" | "i"))),
                Some("pnpm") => matches!(args.first(), Some(&("install" | "i"))),
                Some("yarn") => args
                    .first()
                    .is_none_or(|a| *a == "install" || a.starts_with('-')),
                _ => false,
            }
        })
        .collect();
    if let Some(other) = installs
        .iter()
        .find(|run| run.command.basename() != Some("npm"))
    {
        return Err(format!(
            "the dependencies are installed by {}, whose node_modules `npm prune` cannot prune",
            other.command.basename().unwrap_or_default()
        ));
    }
    let Some(install) = installs.first() else {
        return Err("no `npm ci` or `npm install` installs them".to_string());
    };
    if !["package-lock.json", "npm-shrinkwrap.json"]
        .iter()
        .any(|lock| context.available(lock))
    {
        return Err(
            "no package-lock.json pins the tree, so `npm prune` would resolve it again".to_string(),
        );
    }
    let major = image
        .version()
        .and_then(|v| v.split('.').next())
        .and_then(|v| v.parse::<u32>().ok());
    if let Some(major) = major.filter(|major| *major < 15) {
        return Err(format!(
            "the npm of Node.js {major} has no `npm prune --omit=dev`"
        ));
    }
    let last = document
        .instructions
        .iter()
        .rposition(|i| i.keyword == Keyword::Run)
        .unwrap_or(install.index);
    let (pruner, owner) = (user_at(document, last), user_at(document, install.index));
    if pruner != owner {
        return Err(format!(
            "the last RUN runs as `{pruner}`, but node_modules was installed as `{owner}`"
        ));
    }
    Ok(last)
}

/// Refuses when the start command needs a devDependency: it names one (`node -r dotenv/config`
/// with dotenv a devDependency), or `npm start`/`npm run X` runs `pre`/`post` scripts.
fn start_needs_dev_dependencies(
    manifest: &serde_json::Value,
    cmd: &Cmd,
    command: &str,
) -> Result<(), Refusal> {
    let script = match (cmd.program(), cmd.argv.get(1).map(String::as_str)) {
        ("npm", Some("start")) => Some("start"),
        ("npm", Some("run" | "run-script")) => cmd.argv.get(2).map(String::as_str),
        _ => None,
    };
    if let Some(script) = script {
        if let Some(hook) = ["pre", "post"]
            .iter()
            .map(|prefix| format!("{prefix}{script}"))
            .find(|hook| manifest["scripts"].get(hook).is_some())
        {
            return refuse(
                "cmd-needs-dev-dependency",
                format!("npm runs the `{hook}` script at every start; it may need the devDependencies `npm prune --omit=dev` removes"),
            );
        }
    }
    let dev = manifest["devDependencies"]
        .as_object()
        .into_iter()
        .flat_map(|deps| deps.keys());
    for name in dev {
        let used = command
            .split(|c: char| c.is_ascii_whitespace() || c == '=')
            .any(|word| {
                let word = word.trim_start_matches("./").trim_matches(['"', '\'']);
                word == name
                    || word.starts_with(&format!("{name}/"))
                    || word.contains(&format!("node_modules/{name}/"))
            });
        if used {
            return refuse(
                "cmd-needs-dev-dependency",
                format!("the start command `{command}` uses the devDependency `{name}`, which `npm prune --omit=dev` removes"),
            );
        }
    }
    Ok(())
}

fn node(
    document: &Document,
    image: &ImageRef,
    cmd: &Cmd,
    options: &SplitOptions,
) -> Result<Split, Refusal> {
    let context = document
        .context
        .as_ref()
        .ok_or(("no-context", "package.json cannot be read".to_string()))?;
    let manifest: serde_json::Value = context
        .read("package.json")
        .and_then(|text| serde_json::from_str(&text).ok())
        .ok_or((
            "no-context",
            "no package.json in the build context".to_string(),
        ))?;
    let globals = tool_commands(document, &["npm"], &["-g", "--global"])?;
    if !globals.is_empty() {
        return refuse(
            "global-install",
            "`npm install -g` installs outside WORKDIR",
        );
    }
    let script = |name: &str| manifest["scripts"][name].as_str().map(String::from);
    let command = match (cmd.program(), cmd.argv.get(1).map(String::as_str)) {
        ("npm" | "yarn" | "pnpm", Some("start")) => script("start").ok_or((
            "artifact-unknown",
            "`npm start` without a start script".to_string(),
        ))?,
        ("npm" | "yarn" | "pnpm", Some("run")) => {
            let name = cmd.argv.get(2).cloned().unwrap_or_default();
            script(&name).ok_or(("artifact-unknown", format!("no `{name}` script")))?
        }
        _ => cmd.argv.join(" "),
    };
    if let Some(dev) = DEV_SERVERS.iter().find(|dev| command.contains(*dev)) {
        return refuse(
            "cmd-runs-toolchain",
            format!("the app starts a development server (`{dev}`)"),
        );
    }
    if cmd.workdir == "/" {
        return refuse("app-dir-unknown", "no WORKDIR holds the app");
    }
    let mut words = command.split_ascii_whitespace();
    let first = words.next().unwrap_or_default();
    let first = if first == "npx" {
        words.next().unwrap_or_default()
    } else {
        first
    };
    if matches!(first, "serve" | "http-server") {
        let served = served_folder(&words.collect::<Vec<_>>())?;
        return static_site(document, image, cmd, &manifest, served, options);
    }
    if first == "next" {
        let args: Vec<&str> = words.collect();
        return next_standalone(document, image, cmd, &manifest, &args);
    }
    if first != "node" {
        return refuse(
            "cmd-not-understood",
            format!("the app starts with `{command}`, not `node`"),
        );
    }
    let packages = packages(document, true)?;
    let slim = slim_tag(image).unwrap_or_default();
    let app = cmd.workdir.clone();
    let (builder_edits, app_files) = match prune_after(document, image, context) {
        Ok(last) => {
            start_needs_dev_dependencies(&manifest, cmd, &command)?;
            let run = &document.instructions[last];
            let text = document.text();
            let eol = document.source.line_ending_at(run.logical.range.start);
            let end = run.logical.range.end;
            let prune = "RUN npm prune --omit=dev";
            // On the line after the RUN; after a last line without a newline, one first.
            let edit = match text[end..].find('\n') {
                Some(newline) => Edit::insert(end + newline + 1, format!("{prune}{eol}")),
                None => Edit::insert(text.len(), format!("{eol}{prune}")),
            };
            (
                vec![edit],
                format!(
                    "the app is everything in `{app}` after `{prune}`, added after the RUN on line {} (package-lock.json pins the tree): node_modules keeps the production dependencies only, and the app requires no devDependency at run time",
                    run.logical.start_line
                ),
            )
        }
        Err(why) => (
            Vec::new(),
            format!("the app is everything in `{app}` (node_modules with devDependencies included: {why})"),
        ),
    };
    Ok(Split {
        runtime: format!("node:{slim}"),
        base_reason: "the same Node.js version, slim variant".to_string(),
        copies: vec![(app.clone(), app.clone())],
        builder_added: builder_edits.len(),
        builder_edits,
        runtime_lines: Vec::new(),
        static_site: false,
        cmd: None,
        packages,
        assumptions: vec![
            app_files,
            "the app needs nothing installed outside WORKDIR".to_string(),
        ],
    })
}

/// A Next.js server started by `next start` (RULES.md DF300 table): with `output: 'standalone'`
/// in next.config the build writes a server with its traced node_modules to `.next/standalone`;
/// the runtime gets it, `.next/static` inside it and `public`, and runs `node server.js` as the
/// Next.js docs' Dockerfile does (`HOSTNAME=0.0.0.0`: Docker sets HOSTNAME to the container id,
/// which server.js would otherwise bind to).
fn next_standalone(
    document: &Document,
    image: &ImageRef,
    cmd: &Cmd,
    manifest: &serde_json::Value,
    args: &[&str],
) -> Result<Split, Refusal> {
    let context = document
        .context
        .as_ref()
        .ok_or(("no-context", String::new()))?;
    let port = match args {
        ["start"] => None,
        ["start", "-p" | "--port", port] if port.bytes().all(|b| b.is_ascii_digit()) => Some(*port),
        _ => {
            return refuse(
                "cmd-not-understood",
                format!(
                    "`next {}`: only `next start [-p PORT]` carries over to `node server.js`",
                    args.join(" ")
                ),
            )
        }
    };
    if document
        .instructions
        .iter()
        .any(|i| i.keyword == Keyword::Entrypoint)
    {
        return refuse("cmd-not-understood", "an ENTRYPOINT wraps `next start`");
    }
    if cmd.program() == "npm" {
        if let Some(hook) = ["prestart", "poststart"]
            .iter()
            .find(|h| manifest["scripts"].get(**h).is_some())
        {
            return refuse(
                "cmd-not-understood",
                format!("npm runs the `{hook}` script, which `node server.js` would not"),
            );
        }
    }
    let names = ["next.config.js", "next.config.mjs", "next.config.ts"];
    let Some((file, text)) = config_file(context, &names)? else {
        return refuse(
            "artifact-unknown",
            "no next.config sets `output: 'standalone'`: `next start` needs the whole WORKDIR",
        );
    };
    if literal(&file, &text, &[], "distDir")?.is_some() || text.contains("outputFileTracingRoot") {
        return refuse("output-dir-configured", format!("{file} sets `distDir` or `outputFileTracingRoot`, which move the standalone server"));
    }
    let output = literal(&file, &text, &[], "output")?;
    if output.as_deref() != Some("standalone") {
        return refuse(
            "artifact-unknown",
            format!(
                "{file} does not set `output: 'standalone'`: `next start` needs the whole WORKDIR"
            ),
        );
    }
    let packages = packages(document, true)?;
    let slim = slim_tag(image).unwrap_or_default();
    let app = cmd.workdir.clone();
    let dir = |path: &str| resolve(&app, path);
    let mut copies = vec![
        (dir(".next/standalone"), app.clone()),
        (dir(".next/static"), dir(".next/static")),
    ];
    let mut assumptions = vec![format!(
        "`output: 'standalone'` in {file}: `next build` writes the server and the node_modules it traces to `{}`; `.next/static` goes inside it as the Next.js docs say",
        dir(".next/standalone")
    )];
    if context.is_dir("public") {
        copies.push((dir("public"), dir("public")));
    } else {
        assumptions.push("the context has no `public/` folder to copy".to_string());
    }
    let mut runtime_lines: Vec<String> =
        port.map(|p| format!("ENV PORT={p}")).into_iter().collect();
    runtime_lines.push("ENV HOSTNAME=0.0.0.0".to_string());
    assumptions.push(format!(
        "`CMD [\"node\", \"server.js\"]` replaces `{}` (the original stays in the builder); it listens on {} of all interfaces",
        cmd.argv.join(" "),
        port.map_or("port 3000".to_string(), |p| format!("port {p}"))
    ));
    assumptions
        .push("the app reads no file at run time that the standalone trace leaves out".to_string());
    Ok(Split {
        runtime: format!("node:{slim}"),
        base_reason: "the same Node.js version, slim variant".to_string(),
        copies,
        builder_edits: Vec::new(),
        builder_added: 0,
        runtime_lines,
        static_site: false,
        cmd: Some("CMD [\"node\", \"server.js\"]".to_string()),
        packages,
        assumptions,
    })
}

/// The folder `serve` or `http-server` serves: the one operand, the values of options skipped
/// (`serve -s build -l 3000`). Without an operand they serve the WORKDIR (or `public/`), not the
/// build output.
fn served_folder<'a>(args: &[&'a str]) -> Result<&'a str, Refusal> {
    /// Options of `serve` and `http-server` that take a value.
    const TAKES_VALUE: &[&str] = &[
        "-l",
        "--listen",
        "-p",
        "--port",
        "-a",
        "-c",
        "--config",
        "-e",
        "--ext",
        "-P",
        "--proxy",
        "-C",
        "--cert",
        "-K",
        "--key",
        "--ssl-cert",
        "--ssl-key",
        "--ssl-pass",
    ];
    let mut operands = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if TAKES_VALUE.contains(arg) {
            args.next();
        } else if !arg.starts_with('-') {
            operands.push(*arg);
        }
    }
    match operands.as_slice() {
        [folder] => Ok(folder),
        [] => refuse(
            "output-dir-configured",
            "the CMD serves no folder named on its command line",
        ),
        _ => refuse(
            "cmd-not-understood",
            format!("the CMD names several operands: {}", operands.join(", ")),
        ),
    }
}

/// The words after `<tool> build` in the package's build script (`vite build --mode x` →
/// `--mode x`), up to the next command; `None` when the script does not run it.
fn build_args(manifest: &serde_json::Value, tool: &str) -> Option<Vec<String>> {
    let script = manifest["scripts"]["build"].as_str()?;
    let words: Vec<&str> = script.split_ascii_whitespace().collect();
    let at = words.windows(2).position(|w| w == [tool, "build"])?;
    Some(
        words[at + 2..]
            .iter()
            .take_while(|w| !["&&", "||", ";", "|"].contains(w))
            .map(|w| w.to_string())
            .collect(),
    )
}

/// Refuses unless the build script runs `<tool> build` with only the options `harmless` accepts
/// (options or operands that may move the output folder or pick another configuration).
fn plain_build(
    manifest: &serde_json::Value,
    tool: &str,
    harmless: impl Fn(&[String]) -> bool,
) -> Result<(), Refusal> {
    match build_args(manifest, tool) {
        None => refuse(
            "output-dir-configured",
            format!(
                "the build script does not run `{tool} build`, so its output folder cannot be told"
            ),
        ),
        Some(args) if !harmless(&args) => refuse(
            "output-dir-configured",
            format!(
                "the build script runs `{tool} build {}`, whose options may move the output folder",
                args.join(" ")
            ),
        ),
        Some(_) => Ok(()),
    }
}

/// The one configuration file of `names` in the context (`None`: none); several → refused (which
/// one the tool loads depends on its version).
fn config_file(
    context: &BuildContext,
    names: &[&str],
) -> Result<Option<(String, String)>, Refusal> {
    let found: Vec<(String, String)> = names
        .iter()
        .filter_map(|name| context.read(name).map(|text| (name.to_string(), text)))
        .collect();
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one.clone())),
        _ => refuse(
            "output-dir-configured",
            format!(
                "several configuration files: {}",
                found
                    .iter()
                    .map(|(name, _)| format!("`{name}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
    }
}

/// An option of a JavaScript configuration read literally, or the refusal saying why not.
fn literal(file: &str, text: &str, parents: &[&str], key: &str) -> Result<Option<String>, Refusal> {
    js_config::literal_option(text, parents, key).map_err(|why| {
        (
            "output-dir-configured",
            format!("{file} cannot be read literally: {why}"),
        )
    })
}

/// The folder a front-end build writes, relative to WORKDIR, and which configuration says so
/// (RULES.md DF300 table): CRA `build/`, Next.js `out/` with `output: 'export'`, Angular's
/// `outputPath` (`/browser` under it from v17's application builder), Vite's `build.outDir`
/// (default `dist/`), Vue CLI `dist/`.
fn static_output(
    context: &BuildContext,
    manifest: &serde_json::Value,
) -> Result<(String, String), Refusal> {
    let depends = |name: &str| {
        ["dependencies", "devDependencies"]
            .iter()
            .any(|section| manifest[section].get(name).is_some())
    };
    if depends("react-scripts") {
        return Ok((
            "build".to_string(),
            "Create React App's `build/`".to_string(),
        ));
    }
    if depends("next") {
        return next_output(context, manifest);
    }
    if depends("@angular/core") || depends("@angular/cli") {
        return angular_output(context, manifest);
    }
    if depends("vite") {
        plain_build(manifest, "vite", |args| {
            matches!(args, [] | [_, _] if args.first().is_none_or(|a| a == "--mode"))
                || matches!(args, [one] if one.starts_with("--mode="))
        })?;
        let names = [
            "vite.config.js",
            "vite.config.mjs",
            "vite.config.ts",
            "vite.config.cjs",
            "vite.config.mts",
            "vite.config.cts",
        ];
        let Some((file, text)) = config_file(context, &names)? else {
            return Ok((
                "dist".to_string(),
                "Vite's default `dist/`, no vite.config".to_string(),
            ));
        };
        if literal(&file, &text, &[], "root")?.is_some() {
            return refuse(
                "output-dir-configured",
                format!("{file} sets `root`, which `outDir` is relative to"),
            );
        }
        return Ok(match literal(&file, &text, &["build"], "outDir")? {
            Some(dir) => (dir.clone(), format!("`build.outDir: '{dir}'` in {file}")),
            None => (
                "dist".to_string(),
                format!("Vite's default `dist/`; {file} sets no `build.outDir`"),
            ),
        });
    }
    if depends("@vue/cli-service") {
        if context
            .read("vue.config.js")
            .is_some_and(|t| t.contains("outputDir"))
        {
            return refuse("output-dir-configured", "vue.config.js sets `outputDir`");
        }
        return Ok(("dist".to_string(), "Vue CLI's `dist/`".to_string()));
    }
    refuse(
        "framework-unknown",
        "the front-end framework's output folder cannot be told",
    )
}

/// Next.js writes a static site to `out/` only with `output: 'export'` in next.config.
fn next_output(
    context: &BuildContext,
    manifest: &serde_json::Value,
) -> Result<(String, String), Refusal> {
    plain_build(manifest, "next", |args| {
        args.iter()
            .all(|a| ["--no-lint", "--debug", "--profile"].contains(&a.as_str()))
    })?;
    let names = ["next.config.js", "next.config.mjs", "next.config.ts"];
    let Some((file, text)) = config_file(context, &names)? else {
        return refuse(
            "not-static-export",
            "no next.config sets `output: 'export'`: `next build` builds a server",
        );
    };
    if literal(&file, &text, &[], "distDir")?.is_some() {
        return refuse(
            "output-dir-configured",
            format!("{file} sets `distDir`, which moves the exported site"),
        );
    }
    match literal(&file, &text, &[], "output")?.as_deref() {
        Some("export") => Ok((
            "out".to_string(),
            format!("`output: 'export'` in {file} writes `out/`; nginx does not answer `/about` with `about.html` as `serve` does, unless `trailingSlash: true` wrote `about/index.html`"),
        )),
        other => refuse(
            "not-static-export",
            format!("{file} sets {}: `next build` builds a server", other.map_or("no `output`".to_string(), |o| format!("`output: '{o}'`"))),
        ),
    }
}

/// Angular's output: `outputPath` of the default project's build target in angular.json; the
/// application builder (Angular ≥ 17) writes the site to its `browser` folder.
fn angular_output(
    context: &BuildContext,
    manifest: &serde_json::Value,
) -> Result<(String, String), Refusal> {
    let not_read = |why: String| ("output-dir-configured", why);
    let workspace: serde_json::Value = context
        .read("angular.json")
        .and_then(|text| serde_json::from_str(&text).ok())
        .ok_or_else(|| not_read("angular.json is missing or not plain JSON".to_string()))?;
    let projects = workspace["projects"]
        .as_object()
        .ok_or_else(|| not_read("angular.json has no `projects`".to_string()))?;
    let project = match (
        workspace["defaultProject"].as_str(),
        projects.keys().collect::<Vec<_>>().as_slice(),
    ) {
        (Some(name), _) => name.to_string(),
        (None, [one]) => one.to_string(),
        (None, _) => {
            return Err(not_read(
                "angular.json has several projects and no `defaultProject`".to_string(),
            ))
        }
    };
    plain_build(manifest, "ng", |args| {
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "-c" | "--configuration" => {
                    args.next();
                }
                a if a.starts_with("--configuration=") || a == project => {}
                _ => return false,
            }
        }
        true
    })?;
    let build = &projects[&project]["architect"]["build"];
    if build["configurations"]
        .as_object()
        .is_some_and(|c| c.values().any(|c| c.get("outputPath").is_some()))
    {
        return Err(not_read(format!(
            "a build configuration of `{project}` overrides `outputPath`"
        )));
    }
    let builder = build["builder"].as_str().unwrap_or_default();
    let application = builder.ends_with(":application");
    if !application && !builder.ends_with(":browser") && !builder.ends_with(":browser-esbuild") {
        return Err(not_read(format!(
            "the builder `{builder}` of `{project}` is not one whose output dockfix knows"
        )));
    }
    let major = ["@angular/core", "@angular/cli"]
        .iter()
        .flat_map(|name| ["dependencies", "devDependencies"].map(|s| &manifest[s][name]))
        .find_map(|version| version.as_str())
        .and_then(|v| {
            v.trim_start_matches(['^', '~', '=', '>', 'v', ' '])
                .split('.')
                .next()?
                .parse::<u32>()
                .ok()
        })
        .ok_or_else(|| {
            (
                "version-unknown",
                "package.json pins no Angular version".to_string(),
            )
        })?;
    if application && major < 17 {
        return Err(not_read(format!(
            "the application builder does not exist in Angular {major}"
        )));
    }
    let path = &build["options"]["outputPath"];
    let output = match (path, application) {
        (serde_json::Value::String(base), false) => base.clone(),
        (serde_json::Value::String(base), true) => format!("{base}/browser"),
        (serde_json::Value::Object(parts), true) => match (
            parts.get("base").and_then(|b| b.as_str()),
            parts.get("browser"),
        ) {
            (Some(base), None) => format!("{base}/browser"),
            (Some(base), Some(serde_json::Value::String(browser))) if browser.is_empty() => {
                base.to_string()
            }
            (Some(base), Some(serde_json::Value::String(browser))) => format!("{base}/{browser}"),
            _ => {
                return Err(not_read(format!(
                    "`outputPath` of `{project}` has no plain `base` and `browser`"
                )))
            }
        },
        _ => {
            return Err(not_read(format!(
                "angular.json sets no plain `outputPath` for `{project}`"
            )))
        }
    };
    Ok((
        output,
        format!("`outputPath` of `{project}` in angular.json, Angular {major} with `{builder}`"),
    ))
}

/// A static front-end served by `serve DIR`: nginx serves the framework's output folder.
fn static_site(
    document: &Document,
    image: &ImageRef,
    cmd: &Cmd,
    manifest: &serde_json::Value,
    served: &str,
    options: &SplitOptions,
) -> Result<Split, Refusal> {
    let context = document
        .context
        .as_ref()
        .ok_or(("no-context", String::new()))?;
    let (output, built_by) = static_output(context, manifest)?;
    let output = output.as_str();
    if resolve(&cmd.workdir, served) != resolve(&cmd.workdir, output) {
        return refuse(
            "output-dir-configured",
            format!("the CMD serves `{served}`, not `{output}`"),
        );
    }
    let packages = packages(document, true)?;
    if !packages.runtime.is_empty() {
        return refuse(
            "unclassified-package",
            "a static site needs no packages at run time",
        );
    }
    let (nginx, base_reason) = match (&options.static_runtime_image, image.codename()) {
        (Some(server), _) => (
            server.clone(),
            "a static site needs only a web server; the setting `static-runtime-image` names it",
        ),
        (None, Some(codename)) => (
            format!("nginx:stable-{codename}"),
            "a static site needs only a web server",
        ),
        (None, None) => (
            "nginx:stable".to_string(),
            "a static site needs only a web server",
        ),
    };
    let source = resolve(&cmd.workdir, output);
    Ok(Split {
        runtime: nginx.clone(),
        base_reason: base_reason.to_string(),
        copies: vec![(source.clone(), "/usr/share/nginx/html".to_string())],
        builder_edits: Vec::new(),
        builder_added: 0,
        runtime_lines: vec!["EXPOSE 80".to_string()],
        static_site: true,
        cmd: None,
        packages,
        assumptions: vec![
            format!("the site is the build output `{source}` ({built_by})"),
            format!("`{nginx}` is nginx and serves it on port 80 with its default configuration (no single-page fallback); the original CMD and ports stay in the builder"),
        ],
    })
}

/// Python compiles when the build installs a build-only package or runs a compiler.
fn python_compiles(document: &Document) -> bool {
    let scan = scan_runs(document, Scope::All, |_| true);
    scan.commands.iter().any(|run| {
        let name = run.command.basename().unwrap_or_default();
        matches!(name, "gcc" | "make" | "cc")
            || (is_install(run.command).is_some()
                && run.command.arg_values().flatten().any(|p| {
                    classify_package(p, true, false) == Some(PackageUse::BuildOnly)
                        || p.ends_with("-dev")
                }))
    })
}

fn python(document: &Document, image: &ImageRef, cmd: &Cmd) -> Result<Split, Refusal> {
    let scan = scan_runs(document, Scope::All, |_| true);
    for run in &scan.commands {
        let name = run.command.basename().unwrap_or_default();
        if matches!(
            name,
            "virtualenv" | "poetry" | "pipenv" | "conda" | "uv" | "pdm"
        ) || run.command.arg_values().flatten().any(|a| a == "venv")
        {
            return refuse(
                "existing-environment",
                format!("the build uses `{name}` environments"),
            );
        }
    }
    let pips: Vec<&RunCommand> = scan
        .commands
        .iter()
        .filter(|run| pip_install(run.command))
        .collect();
    let Some(first) = pips.first() else {
        return refuse(
            "artifact-unknown",
            "no `pip install` to put in a virtualenv",
        );
    };
    for run in &pips {
        let args: Vec<&str> = run.command.arg_values().flatten().collect();
        if let Some(option) = args.iter().find(|a| {
            ["--user", "--target", "-t", "--prefix", "--root"]
                .iter()
                .any(|o| a.split('=').next() == Some(o))
        }) {
            return refuse(
                "pip-install-location",
                format!("`pip install {option}` installs outside the virtualenv"),
            );
        }
        if run.command.name.as_str().is_some_and(|n| n.contains('/')) {
            return refuse(
                "pip-install-location",
                "pip is called by path, past the virtualenv",
            );
        }
    }
    let line = cmd.argv.join(" ");
    if line.contains("runserver") || line.contains("flask run") {
        return refuse("cmd-runs-toolchain", "the CMD runs a development server");
    }
    if cmd.workdir == "/" {
        return refuse("app-dir-unknown", "no WORKDIR holds the app");
    }
    let packages = packages(document, true)?;
    // The virtualenv goes above the copies that feed the install (`COPY . .`), so that a
    // source change does not create it again; those copies run nothing it could change.
    let mut before = first.index;
    while before > 0 {
        let previous = &document.instructions[before - 1];
        if !matches!(previous.keyword, Keyword::Copy | Keyword::Add)
            || document.text()[previous.logical.range.clone()].contains("/opt/venv")
        {
            break;
        }
        before -= 1;
    }
    let run = &document.instructions[before];
    let eol = document.source.line_ending_at(run.logical.range.start);
    let at = line_start(document.text(), run.logical.range.start);
    let at = comment_start(document.text(), at);
    let venv = format!("RUN python -m venv /opt/venv{eol}ENV PATH=\"/opt/venv/bin:$PATH\"{eol}");
    let slim = slim_tag(image).unwrap_or_default();
    let app = cmd.workdir.clone();
    Ok(Split {
        runtime: format!("python:{slim}"),
        base_reason: "the same Python version, slim variant".to_string(),
        copies: vec![
            ("/opt/venv".to_string(), "/opt/venv".to_string()),
            (app.clone(), app.clone()),
        ],
        builder_edits: vec![Edit::insert(at, venv)],
        builder_added: 2,
        runtime_lines: vec!["ENV PATH=\"/opt/venv/bin:$PATH\"".to_string()],
        static_site: false,
        cmd: None,
        packages,
        assumptions: vec![
            format!(
                "pip installs into the virtualenv `/opt/venv` created before line {} (the first pip install and the copies before it)",
                run.logical.start_line
            ),
            format!("the app is everything in `{app}`"),
            "files RUNs write elsewhere stay in the builder".to_string(),
        ],
    })
}

fn pip_install(command: &Command) -> bool {
    let args: Vec<&str> = command.arg_values().map(|a| a.unwrap_or("$")).collect();
    match command.basename() {
        Some("pip" | "pip3") => args.first() == Some(&"install"),
        Some(python) if python.starts_with("python") => {
            matches!(args.as_slice(), ["-m", "pip", "install", ..])
        }
        _ => false,
    }
}

/// `apt-get install` / `apt install` / `apk add`: whether it is Alpine's.
fn is_install(command: &Command) -> Option<bool> {
    let args: Vec<&str> = command.arg_values().map(|a| a.unwrap_or("$")).collect();
    let sub = |name: &str| args.iter().find(|a| !a.starts_with('-')) == Some(&name);
    match command.basename() {
        Some("apt-get" | "apt") if sub("install") => Some(false),
        Some("apk") if sub("add") => Some(true),
        _ => None,
    }
}

/// The packages the build installs, classified; refuses on one the tables lack.
fn packages(document: &Document, links: bool) -> Result<Packages, Refusal> {
    let scan = scan_runs(document, Scope::All, |t| {
        t.contains("apt") || t.contains("apk") || t.contains("yum") || t.contains("dnf")
    });
    let mut out = Packages::default();
    let mut flags: Vec<String> = Vec::new();
    let mut alpine = false;
    for run in &scan.commands {
        if matches!(
            run.command.basename(),
            Some("yum" | "dnf" | "microdnf" | "zypper")
        ) {
            return refuse(
                "unclassified-package",
                "packages from a package manager the runtime lacks",
            );
        }
        let Some(apk) = is_install(run.command) else {
            continue;
        };
        alpine = apk;
        let mut seen_sub = false;
        let mut skip_value = false;
        for word in &run.command.args {
            let Some(value) = word.as_str() else {
                return refuse("dynamic-packages", "a package list from a variable");
            };
            if skip_value {
                skip_value = false;
                flags.push(value.to_string());
            } else if value.starts_with('-') {
                if ["--virtual", "-t"].contains(&value) {
                    return refuse("unclassified-package", "`apk add --virtual` groups");
                }
                skip_value = value == "-o";
                if !flags.iter().any(|f| f == value) {
                    flags.push(value.to_string());
                }
            } else if !seen_sub {
                seen_sub = true;
            } else {
                match classify_package(value, links, apk) {
                    Some(PackageUse::BuildOnly) => out.build_only.push(value.to_string()),
                    Some(PackageUse::Runtime(name)) => out.runtime.push(name),
                    None => {
                        return refuse(
                            "unclassified-package",
                            format!("the package `{value}` is neither a known build tool nor a known runtime need"),
                        )
                    }
                }
            }
        }
    }
    if let Some((_, reason)) = scan.gated.first() {
        return refuse(reason, "a RUN that installs packages cannot be read");
    }
    out.runtime.dedup();
    if !out.runtime.is_empty() {
        let flags = flags.join(" ");
        let list = out.runtime.join(" ");
        let space = if flags.is_empty() { "" } else { " " };
        out.install = Some(if alpine {
            format!("RUN apk add{space}{flags} {list}")
        } else {
            format!("RUN apt-get update && apt-get install{space}{flags} {list} && rm -rf /var/lib/apt/lists/*")
        });
    }
    Ok(out)
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// The start of the comment block directly above the line starting at `line` (RULES.md §5:
/// moved instructions take it along).
fn comment_start(text: &str, line: usize) -> usize {
    let mut start = line;
    while start > 0 {
        let previous = line_start(text, start - 1);
        if !text[previous..start].trim_start().starts_with('#') {
            break;
        }
        start = previous;
    }
    start
}

/// An ENV that sets anything besides build-only variables.
fn runtime_env(instruction: &Instruction) -> bool {
    let args = instruction.args();
    let names: Vec<&str> = if args
        .split_ascii_whitespace()
        .next()
        .is_some_and(|w| w.contains('='))
    {
        args.split_ascii_whitespace()
            .filter_map(|w| w.split_once('=').map(|(k, _)| k))
            .collect()
    } else {
        args.split_ascii_whitespace().take(1).collect()
    };
    names
        .iter()
        .any(|name| !BUILD_ONLY_ENV.iter().any(|b| name.starts_with(b)))
}

fn finding(document: &Document, from: &Instruction, intro: &str, split: Split) -> Finding {
    let text = document.text();
    let eol = document.source.line_ending_at(from.logical.range.start);
    let stage = &document.stages[0];
    let name = stage.name.clone().unwrap_or_else(|| "builder".to_string());
    let mut edits = split.builder_edits.clone();
    if stage.name.is_none() {
        edits.push(Edit::insert(from.logical.range.end, " AS builder"));
    }
    let mut copied = Vec::new();
    let mut moved = Vec::new();
    let mut moved_names = Vec::new();
    let mut copied_names = Vec::new();
    let mut last_moved = false;
    for instruction in &document.instructions {
        let range = &instruction.logical.range;
        let own = &text[range.clone()];
        last_moved = false;
        match instruction.keyword {
            Keyword::Cmd if split.cmd.is_some() => {}
            Keyword::Cmd
            | Keyword::Entrypoint
            | Keyword::Expose
            | Keyword::Healthcheck
            | Keyword::Stopsignal
                if !split.static_site =>
            {
                let start = comment_start(text, line_start(text, range.start));
                let rest = &text[range.end..];
                let eol_len = if rest.starts_with("\r\n") {
                    2
                } else {
                    usize::from(rest.starts_with('\n'))
                };
                edits.push(Edit {
                    range: start..range.end + eol_len,
                    replacement: String::new(),
                });
                moved.push(text[start..range.end].to_string());
                moved_names.push(first_line(own));
                last_moved = range.end + eol_len == text.len() || range.end == text.len();
            }
            Keyword::Env if !split.static_site && runtime_env(instruction) => {
                copied.push(own.to_string());
                copied_names.push(first_line(own));
            }
            Keyword::Workdir | Keyword::User if !split.static_site => {
                copied.push(own.to_string());
                copied_names.push(first_line(own));
            }
            Keyword::Label => {
                copied.push(own.to_string());
                copied_names.push(first_line(own));
            }
            _ => {}
        }
    }
    let used = copied
        .iter()
        .chain(&moved)
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    let args: Vec<String> = document
        .instructions
        .iter()
        .filter(|i| i.keyword == Keyword::Arg)
        .filter(|i| {
            let name = i.args().split(['=', ' ']).next().unwrap_or_default();
            used.contains(&format!("${name}")) || used.contains(&format!("${{{name}"))
        })
        .map(|i| text[i.logical.range.clone()].to_string())
        .collect();
    let mut lines = vec![format!("FROM {}", split.runtime)];
    lines.extend(args.iter().cloned());
    lines.extend(split.packages.install.iter().cloned());
    lines.extend(copied.iter().cloned());
    lines.extend(split.runtime_lines.iter().cloned());
    let copies: Vec<String> = split
        .copies
        .iter()
        .map(|(source, destination)| format!("COPY --from={name} {source} {destination}"))
        .collect();
    lines.extend(copies.iter().cloned());
    let added = lines.len() + split.builder_added + split.cmd.iter().len();
    lines.extend(moved.iter().cloned());
    lines.extend(split.cmd.iter().cloned());
    let mut stage_text = String::new();
    if !text.ends_with('\n') && !last_moved {
        stage_text.push_str(eol);
    }
    stage_text.push_str(eol);
    for line in &lines {
        stage_text.push_str(line);
        stage_text.push_str(eol);
    }
    edits.push(Edit::insert(text.len(), stage_text));

    let mut assumptions = vec![format!(
        "runtime base `{}` ({})",
        split.runtime, split.base_reason
    )];
    assumptions.push(format!(
        "copied from `{name}`: {}",
        copies
            .iter()
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    assumptions.extend(split.assumptions.iter().cloned());
    let list = |items: &[String]| {
        if items.is_empty() {
            "none".to_string()
        } else {
            items
                .iter()
                .map(|i| format!("`{i}`"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    assumptions.push(format!("moved to the runtime: {}", list(&moved_names)));
    assumptions.push(format!(
        "repeated in the runtime: {}",
        list(
            &copied_names
                .iter()
                .chain(&args)
                .cloned()
                .collect::<Vec<_>>()
        )
    ));
    assumptions.push(format!(
        "packages re-installed: {}; left in the builder: {}",
        list(&split.packages.runtime),
        list(&split.packages.build_only)
    ));
    let note = format!(
        "Unsafe: the image changes base. Assumptions: {}.",
        assumptions.join("; ")
    );
    let message = format!(
        "{intro} ships the toolchain: split into a `{name}` stage and a `{}` runtime stage that receives only {}",
        split.runtime,
        list(&split.copies.iter().map(|(source, _)| source.clone()).collect::<Vec<_>>())
    );
    let mut fix = Fix::unsafe_because(edits, note);
    fix.adds_instructions = added;
    fix.moves_instructions = !moved.is_empty();
    Finding::new(CODE, from.logical.range.clone(), message).with_fix(fix)
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn served_folder_skips_option_values() {
        fn folder<'a>(args: &[&'a str]) -> Result<&'a str, &'static str> {
            served_folder(args).map_err(|(reason, _)| reason)
        }
        assert_eq!(folder(&["-s", "build", "-l", "3000"]), Ok("build"));
        assert_eq!(
            folder(&["-l", "tcp://0.0.0.0:3000", "-s", "dist"]),
            Ok("dist")
        );
        assert_eq!(folder(&["--listen=3000", "dist/"]), Ok("dist/"));
        assert_eq!(folder(&["dist", "-p", "8080", "-c-1"]), Ok("dist"));
        assert_eq!(folder(&["-s", "-l", "3000"]), Err("output-dir-configured"));
        assert_eq!(folder(&["dist", "public"]), Err("cmd-not-understood"));
    }
}
