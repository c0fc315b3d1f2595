//! Per-pass fixture tests: every `testdata/<rule-name>/*.Dockerfile` runs with only that rule
//! (`testdata/examples/` and `testdata/suppression/` with the default rules); the findings and the diffs of the safe and
//! unsafe fixes are insta snapshots in `snapshots/`. Every fixture must also be idempotent and
//! free of rolled-back fixes. A `<fixture stem>.toml` beside a fixture is its configuration
//! file (its options and settings; the rules are still the directory's).

use std::path::{Path, PathBuf};
use std::rc::Rc;

use dockfix::apply::{self, Fixed};
use dockfix::config::{select_rules, Settings};
use dockfix::context::BuildContext;
use dockfix::document::Document;
use dockfix::fix::{Applicability, Finding};
use dockfix::source::Source;
use dockfix::transforms::Rule;
use dockfix::{diff, report};

#[path = "support/settings.rs"]
mod fixture_settings;
use fixture_settings::settings_for;

fn fixture_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        // `context/` holds build contexts, `e2e/` the real-build cases of tests/e2e.rs.
        .filter(|path| {
            path.is_dir()
                && !["context", "e2e"].contains(&path.file_name().unwrap().to_str().unwrap())
        })
        .collect();
    dirs.sort();
    dirs
}

fn rules_for(dir: &Path) -> Vec<&'static Rule> {
    let name = dir.file_name().unwrap().to_str().unwrap();
    if name == "examples" || name == "suppression" {
        select_rules(&[], &[]).unwrap()
    } else {
        select_rules(&[name.to_string()], &[])
            .unwrap_or_else(|_| panic!("testdata/{name} is not named after a rule"))
    }
}

/// The build context of a fixture: `testdata/context/<fixture stem>/` when it exists.
fn context_for(fixture: &Path) -> Option<Rc<BuildContext>> {
    let stem = fixture.file_name()?.to_str()?.strip_suffix(".Dockerfile")?;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/context")
        .join(stem);
    dir.is_dir().then(|| {
        Rc::new(BuildContext::for_dockerfile(
            &dir.join("Dockerfile"),
            Some(&dir),
        ))
    })
}

fn fix(
    source: &Source,
    context: &Option<Rc<BuildContext>>,
    rules: &[&Rule],
    settings: &Settings,
    minimum: Applicability,
    name: &str,
) -> Fixed {
    let run = |source: Source| {
        let document =
            Document::parse_with(source, settings.hadolint_pragmas).with_context(context.clone());
        apply::fix_document(document, rules, settings, minimum)
    };
    let fixed = run(source.clone());
    assert!(
        fixed.internal.is_empty(),
        "{name}: rolled back: {:?}",
        fixed.internal
    );
    // The second run sees the fixed Dockerfile but not the other files (they are not
    // written here): the same file changes come back, nothing else may.
    let again = run(fixed.source.clone());
    assert_eq!(
        again.source.text(),
        fixed.source.text(),
        "{name}: not idempotent"
    );
    assert_eq!(again.files, fixed.files, "{name}: file changes differ");
    assert_eq!(
        again.applied.len(),
        again.files.len(),
        "{name}: not idempotent, second run applied {:?}",
        again.applied
    );
    fixed
}

#[test]
fn fixtures() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    let _guard = settings.bind_to_scope();
    let mut count = 0;
    for dir in fixture_dirs() {
        let rules = rules_for(&dir);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| {
                path.extension().is_some_and(|e| e == "Dockerfile") || path.ends_with("Dockerfile")
            })
            .collect();
        files.sort();
        for file in files {
            let dir_name = dir.file_name().unwrap().to_str().unwrap();
            let file_name = file.file_name().unwrap().to_str().unwrap();
            let name = format!("{dir_name}/{file_name}");
            let source = Source::from_bytes(std::fs::read(&file).unwrap()).unwrap();
            let context = context_for(&file);
            let settings = settings_for(&file);
            let document = Document::parse_with(source.clone(), settings.hadolint_pragmas)
                .with_context(context.clone());
            let findings = apply::check(&document, &rules, &settings);
            let all: Vec<&Finding> = findings.iter().collect();
            let mut out = String::from("--- findings\n");
            report::text::findings(&mut out, &name, &source, &all, Applicability::Safe);
            let safe = fix(
                &source,
                &context,
                &rules,
                &settings,
                Applicability::Safe,
                &name,
            );
            out.push_str("--- diff (safe fixes)\n");
            out.push_str(&diff::unified(&name, source.text(), safe.source.text()));
            let unsafe_fixed = fix(
                &source,
                &context,
                &rules,
                &settings,
                Applicability::Unsafe,
                &name,
            );
            if unsafe_fixed.source.text() != safe.source.text() {
                out.push_str("--- diff (with --unsafe-fixes)\n");
                out.push_str(&diff::unified(
                    &name,
                    source.text(),
                    unsafe_fixed.source.text(),
                ));
            }
            let mut changes = vec![("safe fixes", &safe.files)];
            if unsafe_fixed.files != safe.files {
                changes.push(("with --unsafe-fixes", &unsafe_fixed.files));
            }
            for (label, files) in changes {
                for change in files {
                    let root = context
                        .as_ref()
                        .map(|c| c.root().to_path_buf())
                        .unwrap_or_default();
                    let path = change.path.strip_prefix(&root).unwrap_or(&change.path);
                    let path = format!("context/{}", path.display());
                    out.push_str(&format!("--- file change ({label})\n"));
                    out.push_str(&match &change.old {
                        None => diff::creation(&path, &change.new),
                        Some(old) => diff::unified(&path, old, &change.new),
                    });
                }
            }
            let snapshot = format!("{dir_name}__{}", file_name.trim_end_matches(".Dockerfile"));
            insta::assert_snapshot!(snapshot, out);
            count += 1;
        }
    }
    assert!(count > 0, "no fixtures found");
}
