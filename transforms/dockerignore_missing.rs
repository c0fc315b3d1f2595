//! DF201 `dockerignore-missing` · Unsafe · all stages · no hadolint rule
//!
//! **What it does.** When the Dockerfile copies the whole build context (`COPY . .`) and the
//! context has no `.dockerignore` (nor `<Dockerfile>.dockerignore`), proposes one: `.git`,
//! `.dockerignore`, `Dockerfile*`, `**/.DS_Store`, `*.log`, secrets (`.env`, `.env.*`), and
//! per ecosystem found in the context: Python caches and virtualenvs, Node's logs, Gradle's
//! `.gradle`, Ruby's `.bundle`, `log/*`, `tmp/*`; build outputs and installed dependencies
//! (`node_modules`, `dist`, `build`, `.next`, `target`, `bin`, `obj`, `_build`, `deps`,
//! `vendor`) only when the Dockerfile makes them itself.
//!
//! **Why.** Without it every file of the context is sent to the builder and lands in the image:
//! the repository's history, local virtualenvs and `node_modules`, logs and `.env` secrets.
//! Any change to them also invalidates the `COPY . .` layer.
//!
//! **Never excluded.** A path a COPY/ADD names or globs (`COPY target/*.jar` keeps `target`),
//! `.git` when something reads it (a RUN running `git`, a Go build stamping VCS data,
//! setuptools-scm, hatch-vcs, versioneer, poetry-dynamic-versioning, git-commit-id, vergen),
//! and `.env` when the app may load it with dotenv (the entries are written commented out).
//!
//! **Fix safety.** Unsafe: it changes what `COPY . .` puts in the image; something may read a
//! file it excludes. The diff creates the file (`--- /dev/null`); an existing file is never
//! replaced.

use crate::config::Settings;
use crate::context::{self, BuildContext};
use crate::document::{Document, Keyword};
use crate::fix::{Applicability, FileChange, Finding, Fix};

const CODE: &str = "DF201";

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let Some(context) = document.context.as_deref() else {
        return Vec::new();
    };
    if context.ignore_file().is_some() {
        return Vec::new();
    }
    let Some(copy) = document
        .instructions
        .iter()
        .find(|i| !i.opaque && i.whole_context_destination().is_some())
    else {
        return Vec::new();
    };
    let text = proposal(document, context);
    let path = context.root().join(".dockerignore");
    let note = "a new .dockerignore changes what `COPY . .` puts in the image".to_string();
    let fix = Fix::of_files(
        vec![FileChange {
            path,
            old: None,
            new: text,
        }],
        Applicability::Unsafe,
        note,
    );
    vec![Finding::new(
        CODE,
        copy.logical.range.clone(),
        "the whole build context is copied and there is no .dockerignore",
    )
    .with_fix(fix)]
}

/// The proposed file: sections of entries, each kept only when nothing the Dockerfile copies
/// by name falls under it.
fn proposal(document: &Document, context: &BuildContext) -> String {
    let runs: Vec<&str> = document
        .instructions
        .iter()
        .filter(|i| i.keyword == Keyword::Run)
        .map(|i| i.logical.text.as_str())
        .collect();
    let runs_any = |needles: &[&str]| {
        runs.iter()
            .any(|run| needles.iter().any(|n| run.contains(n)))
    };
    let has = |files: &[&str]| files.iter().any(|file| context.exists(file));
    let mut sections: Vec<(&str, Vec<&str>)> = Vec::new();

    let mut general = vec![".dockerignore", "Dockerfile*", "**/.DS_Store", "*.log"];
    let readers = document.git_readers();
    if readers.is_empty() {
        general.insert(0, ".git");
    }
    sections.push(("Version control, Docker files, OS and log files", general));
    if has(&["requirements.txt", "pyproject.toml", "setup.py", "Pipfile"]) {
        sections.push((
            "Python",
            vec![
                "**/__pycache__",
                "**/*.py[cod]",
                ".venv",
                "venv",
                ".pytest_cache",
                ".mypy_cache",
                ".tox",
            ],
        ));
    }
    if has(&["package.json"]) {
        let mut node = vec!["npm-debug.log*", "yarn-error.log*"];
        if runs_any(&[
            "npm ci",
            "npm install",
            "npm i ",
            "yarn",
            "pnpm install",
            "pnpm i ",
        ]) {
            node.insert(0, "node_modules");
        }
        if runs_any(&[
            "npm run build",
            "yarn build",
            "pnpm build",
            "pnpm run build",
        ]) {
            node.extend(["dist", "build"]);
        }
        if runs_any(&["next build"])
            || context
                .read("package.json")
                .is_some_and(|p| p.contains("next build"))
                && runs_any(&["run build"])
        {
            node.push(".next");
        }
        sections.push(("Node", node));
    }
    if has(&[
        "build.gradle",
        "build.gradle.kts",
        "settings.gradle",
        "settings.gradle.kts",
    ]) {
        sections.push(("Gradle", vec![".gradle"]));
    }
    if has(&["Gemfile"]) {
        sections.push(("Ruby", vec![".bundle", "log/*", "tmp/*"]));
    }
    let mut outputs = Vec::new();
    if runs_any(&["cargo build", "cargo install", "mvn ", "mvnw "]) {
        outputs.push("target");
    }
    if runs_any(&["dotnet build", "dotnet publish"]) {
        outputs.extend(["bin", "obj"]);
    }
    if runs_any(&["mix deps.get", "mix compile", "mix release"]) {
        outputs.extend(["_build", "deps"]);
    }
    if runs_any(&["composer install"]) {
        outputs.push("vendor");
    }
    if !outputs.is_empty() {
        sections.push((
            "Build outputs and dependencies the image makes itself",
            outputs,
        ));
    }

    let copied = context::CleanPaths::new(&copied_by_name(document));
    let kept = |entry: &&str| !context::ignores_any(entry, &copied);
    let mut text = String::new();
    for (title, entries) in sections {
        let entries: Vec<&str> = entries.into_iter().filter(kept).collect();
        if entries.is_empty() {
            continue;
        }
        text.push_str(&format!("# {title}\n"));
        for entry in entries {
            text.push_str(entry);
            text.push('\n');
        }
        text.push('\n');
    }
    let secrets: Vec<&str> = [".env", ".env.*"].into_iter().filter(kept).collect();
    if !secrets.is_empty() {
        if reads_dotenv(context) {
            text.push_str(
                "# Secrets: the app may load .env with dotenv; uncomment if it does not\n",
            );
            for entry in secrets {
                text.push_str(&format!("# {entry}\n"));
            }
        } else {
            text.push_str("# Secrets\n");
            for entry in secrets {
                text.push_str(&format!("{entry}\n"));
            }
        }
    }
    if !readers.is_empty() {
        text.push_str(&format!(
            "\n# .git is kept: {} reads it\n",
            readers.join(", ")
        ));
    }
    text.trim_end().to_string() + "\n"
}

/// Context paths that COPY/ADD name (a glob counts from its directory part), and files that
/// CMD/ENTRYPOINT name: the proposal must keep them.
fn copied_by_name(document: &Document) -> Vec<String> {
    let mut paths = Vec::new();
    for instruction in &document.instructions {
        if let Some((sources, _)) = instruction.context_copy() {
            for source in sources {
                let literal = source.split(['*', '?', '[']).next().unwrap_or(source);
                let literal = literal.trim_start_matches("./").trim_end_matches('/');
                if !literal.is_empty() && literal != "." {
                    paths.push(literal.to_string());
                }
                if literal != source {
                    paths.push(source.trim_start_matches("./").to_string());
                }
            }
        }
        if matches!(instruction.keyword, Keyword::Cmd | Keyword::Entrypoint) {
            let words = instruction.exec_form.clone().unwrap_or_else(|| {
                instruction
                    .args()
                    .split_whitespace()
                    .map(str::to_string)
                    .collect()
            });
            paths.extend(
                words
                    .into_iter()
                    .filter(|word| word.contains('.') && !word.starts_with('-'))
                    .map(|word| word.trim_start_matches("./").to_string()),
            );
        }
    }
    paths
}

/// The app's manifests name a dotenv library: it may read `.env` at run time.
fn reads_dotenv(context: &BuildContext) -> bool {
    [
        "package.json",
        "requirements.txt",
        "pyproject.toml",
        "Pipfile",
        "Gemfile",
        "composer.json",
    ]
    .iter()
    .filter_map(|manifest| context.read(manifest))
    .any(|text| text.to_ascii_lowercase().contains("dotenv"))
}
