//! Static check of every DF300 split fixture: the runtime stage's CMD/ENTRYPOINT target is
//! produced by a `COPY --from=builder`, and the source of that copy is written by the builder's
//! build command (its output flag, its tool's output folder, or the WORKDIR it builds in).

use std::path::Path;
use std::rc::Rc;

use dockfix::apply;
use dockfix::config::select_rules;
use dockfix::context::BuildContext;
use dockfix::document::{Document, Keyword};
use dockfix::fix::Applicability;
use dockfix::shell_rules::matches_glob;
use dockfix::source::Source;

#[path = "support/settings.rs"]
mod fixture_settings;
use fixture_settings::settings_for;

fn absolute(dir: &str, path: &str) -> String {
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{dir}/{path}")
    };
    let parts: Vec<&str> = joined
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    format!("/{}", parts.join("/"))
}

/// WORKDIR in effect at the end of instructions `range`.
fn workdir(document: &Document, range: std::ops::Range<usize>) -> String {
    let mut dir = "/".to_string();
    for instruction in &document.instructions[range.clone()] {
        if instruction.keyword == Keyword::Workdir {
            dir = absolute(&dir, instruction.args().trim());
        }
    }
    dir
}

/// What the runtime runs: the program, the jar, the dll, or the app folder of an interpreter.
fn runtime_target(document: &Document, start: usize) -> String {
    let dir = workdir(document, start..document.instructions.len());
    // Shell form only as `program args` (a jar glob the shell expands): its words.
    let argv: Vec<String> = document.instructions[start..]
        .iter()
        .filter(|i| matches!(i.keyword, Keyword::Entrypoint | Keyword::Cmd))
        .flat_map(|i| {
            i.exec_form.clone().unwrap_or_else(|| {
                let words: Vec<String> = i.args().split_whitespace().map(String::from).collect();
                assert!(
                    words
                        .iter()
                        .all(|w| !w.contains(['$', '&', '|', ';', '"', '\''])),
                    "shell form beyond words: {}",
                    i.args()
                );
                words
            })
        })
        .collect();
    let Some(program) = argv.first() else {
        return "/usr/share/nginx/html".to_string(); // nginx's own CMD serves this folder
    };
    match program.as_str() {
        "java" => absolute(
            &dir,
            &argv[argv.iter().position(|a| a == "-jar").unwrap() + 1],
        ),
        "dotnet" => absolute(&dir, &argv[1]),
        "npm" | "node" | "gunicorn" | "python" => dir,
        bare if !bare.contains('/') => format!("/usr/local/bin/{bare}"),
        path => absolute(&dir, path),
    }
}

/// The builder writes `source`: a RUN names it (`-o`, `cp`, `venv`) or builds in a WORKDIR
/// where the tool's convention puts it.
fn builder_writes(document: &Document, end: usize, source: &str) -> bool {
    (0..end).any(|index| {
        let run = &document.instructions[index];
        if run.keyword != Keyword::Run {
            return false;
        }
        let text = run.args();
        let dir = workdir(document, 0..index);
        let named = text
            .split(|c: char| c.is_whitespace() || c == '&')
            .any(|word| !word.is_empty() && absolute(&dir, word) == source);
        let name = source.rsplit('/').next().unwrap();
        let convention = (text.contains("cargo build")
            && source == format!("{}/target/release/{name}", dir.trim_end_matches('/')))
            || (text.contains("go install") && source == format!("/go/bin/{name}"))
            || (text.contains("go build") && source == absolute(&dir, name))
            || (text.contains("gradle") && source.starts_with(&absolute(&dir, "build/libs")))
            || (text.contains("mvn")
                && source.starts_with(&format!("{}/", absolute(&dir, "target"))))
            || ([
                "npm run build",
                "yarn build",
                "yarn run build",
                "pnpm build",
                "pnpm run build",
            ]
            .iter()
            .any(|build| text.contains(build))
                && source.starts_with(&dir))
            || (text.contains("pip install") && source == dir);
        named || convention
    })
}

#[test]
fn every_split_copies_what_the_runtime_runs_from_what_the_builder_built() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let rules = select_rules(&["DF300".to_string()], &[]).unwrap();
    let mut splits = 0;
    let mut entries: Vec<_> = std::fs::read_dir(root.join("split-build-and-runtime"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for file in entries {
        let stem = file.file_stem().unwrap().to_str().unwrap().to_string();
        let context_dir = root.join("context").join(&stem);
        let context = context_dir.is_dir().then(|| {
            Rc::new(BuildContext::for_dockerfile(
                &context_dir.join("Dockerfile"),
                Some(&context_dir),
            ))
        });
        let source = Source::from_bytes(std::fs::read(&file).unwrap()).unwrap();
        let document = Document::parse(source).with_context(context);
        let fixed = apply::fix_document(
            document,
            &rules,
            &settings_for(&file),
            Applicability::Unsafe,
        );
        if fixed.applied.is_empty() {
            continue;
        }
        let after = Document::parse(fixed.source);
        if after.stages.len() < 2 {
            continue;
        }
        splits += 1;
        let runtime = after.stages[1].from;
        let target = runtime_target(&after, runtime);
        let copies: Vec<(String, String)> = after.instructions[runtime..]
            .iter()
            .filter(|i| {
                i.keyword == Keyword::Copy
                    && i.flag("from").and_then(|f| f.value.as_deref()) == Some("builder")
            })
            .map(|i| {
                let words: Vec<&str> = i.args().split_whitespace().collect();
                (words[0].to_string(), words[1].to_string())
            })
            .collect();
        // A jar glob (shell form) must expand to exactly one copied file.
        let glob = target.contains(['*', '?']);
        let matching: Vec<&(String, String)> = copies
            .iter()
            .filter(|(_, dest)| {
                if glob {
                    matches_glob(&target, dest)
                } else {
                    target == *dest || target.starts_with(&format!("{dest}/"))
                }
            })
            .collect();
        let (source, dest) = match matching.as_slice() {
            [one] => (*one).clone(),
            [] => panic!("{stem}: no COPY --from=builder brings {target}"),
            _ if glob => panic!("{stem}: {target} expands to several copies: {matching:?}"),
            [first, ..] => (*first).clone(),
        };
        let built = if glob {
            source.clone()
        } else {
            target.replacen(&dest, &source, 1)
        };
        assert!(
            builder_writes(&after, runtime, &source) || builder_writes(&after, runtime, &built),
            "{stem}: the builder does not write {source}"
        );
    }
    assert!(splits >= 9, "only {splits} split fixtures");
}
