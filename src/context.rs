//! The build context a Dockerfile is built with: which files exist, what the manifests say,
//! and what `.dockerignore` keeps out.
//!
//! Passes that move dependency installs (DF2xx) or tell npm from Yarn versions need to know
//! whether `package-lock.json` is really sent to the builder. Paths are context-relative with
//! `/` separators (`app/requirements.txt`).

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use std::cell::OnceCell;

use regex::bytes::Regex;

/// The ignore file in effect and its patterns.
#[derive(Debug)]
pub struct IgnoreFile {
    /// Where it is, relative to the build context root when inside it (else as found).
    pub path: PathBuf,
    pub text: String,
    /// Compiled on first use: most files never ask.
    patterns: OnceCell<Vec<Pattern>>,
}

impl IgnoreFile {
    fn patterns(&self) -> &[Pattern] {
        self.patterns.get_or_init(|| parse_ignore(&self.text))
    }
}

/// One `.dockerignore` line, compiled.
#[derive(Debug)]
struct Pattern {
    /// `!pattern`: re-include what earlier patterns excluded.
    include: bool,
    matcher: Matcher,
}

/// Most lines (`.git`, `node_modules`) have no wildcard: they compare as text, and only the
/// others pay for a regex.
#[derive(Debug)]
enum Matcher {
    Literal(String),
    /// Shared with the thread's cache: a cloned `Regex` would build its search cache anew.
    Regex(Rc<Regex>),
}

impl Matcher {
    fn new(pattern: &str) -> Option<Matcher> {
        if !pattern.contains(['*', '?', '[', '\\']) {
            return Some(Matcher::Literal(pattern.to_string()));
        }
        compiled(&pattern_regex(pattern)).map(Matcher::Regex)
    }

    fn is_match(&self, path: &str) -> bool {
        match self {
            Matcher::Literal(literal) => literal == path,
            Matcher::Regex(regex) => regex.is_match(path.as_bytes()),
        }
    }
}

/// Distinct wildcard lines seen by this thread, compiled once: the same few (`*.pyc`,
/// `**/__pycache__`) recur in file after file of a bulk run. Bounded, so a run over many
/// repositories cannot grow it without limit.
const COMPILED_LIMIT: usize = 4096;

thread_local! {
    static COMPILED: RefCell<HashMap<String, Rc<Regex>>> = RefCell::new(HashMap::new());
}

/// The regex for `source`, from the cache or compiled (`None` when it does not compile).
fn compiled(source: &str) -> Option<Rc<Regex>> {
    COMPILED.with(|cache| {
        if let Some(regex) = cache.borrow().get(source) {
            return Some(Rc::clone(regex));
        }
        let regex = Rc::new(Regex::new(source).ok()?);
        let mut cache = cache.borrow_mut();
        if cache.len() >= COMPILED_LIMIT {
            cache.clear();
        }
        cache.insert(source.to_string(), Rc::clone(&regex));
        Some(regex)
    })
}

/// The build context of one Dockerfile.
#[derive(Debug)]
pub struct BuildContext {
    root: PathBuf,
    ignore: Option<IgnoreFile>,
    reads: RefCell<HashMap<String, Option<String>>>,
    /// What each probed path is (`None`: missing), asked once: passes probe the same
    /// manifests round after round, and most of them do not exist. Probed one by one, not by
    /// listing directories: a directory of a thousand Dockerfiles would be listed for each.
    kinds: RefCell<HashMap<String, Option<EntryKind>>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    Dir,
    /// A file or anything else that is not a directory.
    File,
}

impl BuildContext {
    /// The context for `dockerfile`: `context_dir`, or the Dockerfile's own directory. The ignore
    /// file is `<Dockerfile name>.dockerignore` beside the Dockerfile when present (BuildKit
    /// prefers it), else `.dockerignore` at the context root.
    pub fn for_dockerfile(dockerfile: &Path, context_dir: Option<&Path>) -> BuildContext {
        let dockerfile_dir = dockerfile
            .parent()
            .filter(|dir| !dir.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let root = context_dir.unwrap_or(dockerfile_dir).to_path_buf();
        let specific = dockerfile.file_name().map(|name| {
            let mut name = name.to_os_string();
            name.push(".dockerignore");
            dockerfile_dir.join(name)
        });
        let ignore = specific
            .into_iter()
            .chain(std::iter::once(root.join(".dockerignore")))
            .find_map(|path| {
                let text = std::fs::read_to_string(&path).ok()?;
                let shown = path
                    .strip_prefix(&root)
                    .map_or(path.clone(), Path::to_path_buf);
                Some(IgnoreFile {
                    path: shown,
                    patterns: OnceCell::new(),
                    text,
                })
            });
        BuildContext {
            root,
            ignore,
            reads: RefCell::new(HashMap::new()),
            kinds: RefCell::new(HashMap::new()),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn ignore_file(&self) -> Option<&IgnoreFile> {
        self.ignore.as_ref()
    }

    /// `.dockerignore` keeps this path (or a directory above it) out of the context.
    pub fn is_ignored(&self, path: &str) -> bool {
        self.ignore
            .as_ref()
            .is_some_and(|ignore| matches_ignore(ignore.patterns(), &clean(path)))
    }

    /// The path exists in the context directory (ignored or not).
    pub fn exists(&self, path: &str) -> bool {
        self.kind(&clean(path)).is_some()
    }

    /// The path reaches the builder: it exists and is not ignored.
    pub fn available(&self, path: &str) -> bool {
        self.exists(path) && !self.is_ignored(path)
    }

    /// The path is a directory of the context.
    pub fn is_dir(&self, path: &str) -> bool {
        self.kind(&clean(path)) == Some(EntryKind::Dir)
    }

    /// The names of the entries of a context directory.
    pub fn list(&self, dir: &str) -> Vec<String> {
        std::fs::read_dir(self.root.join(clean(dir)))
            .map(|entries| {
                entries
                    .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// What a cleaned context path is (symlinks followed), `None` when it does not exist.
    fn kind(&self, path: &str) -> Option<EntryKind> {
        if let Some(known) = self.kinds.borrow().get(path) {
            return *known;
        }
        let kind = std::fs::metadata(self.root.join(path)).ok().map(|meta| {
            if meta.is_dir() {
                EntryKind::Dir
            } else {
                EntryKind::File
            }
        });
        self.kinds.borrow_mut().insert(path.to_string(), kind);
        kind
    }

    /// The text of a file that reaches the builder (read once).
    pub fn read(&self, path: &str) -> Option<String> {
        let path = clean(path);
        if let Some(cached) = self.reads.borrow().get(&path) {
            return cached.clone();
        }
        let text = if self.available(&path) {
            std::fs::read_to_string(self.root.join(&path)).ok()
        } else {
            None
        };
        self.reads.borrow_mut().insert(path, text.clone());
        text
    }
}

/// Context paths cleaned once, to be matched against many `.dockerignore` texts.
pub struct CleanPaths(Vec<String>);

impl CleanPaths {
    pub fn new(paths: &[String]) -> CleanPaths {
        CleanPaths(paths.iter().map(|path| clean(path)).collect())
    }
}

/// Whether the `.dockerignore` text `ignore` excludes any of `paths` (BuildKit's rules).
pub fn ignores_any(ignore: &str, paths: &CleanPaths) -> bool {
    let patterns = parse_ignore(ignore);
    paths.0.iter().any(|path| matches_ignore(&patterns, path))
}

/// A context-relative path without `./`, duplicate or trailing slashes.
fn clean(path: &str) -> String {
    path.split('/')
        .filter(|part| !part.is_empty() && *part != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// Parse `.dockerignore` the way BuildKit does: one pattern per line, blank lines and `#`
/// comments skipped, `!` re-includes, patterns cleaned and made relative (a leading `/` is
/// dropped). Patterns that do not compile are skipped (BuildKit would fail the build).
fn parse_ignore(text: &str) -> Vec<Pattern> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| {
            let (include, pattern) = match line.strip_prefix('!') {
                Some(rest) => (true, rest.trim()),
                None => (false, line),
            };
            let pattern = clean_pattern(pattern);
            Some(Pattern {
                include,
                matcher: Matcher::new(&pattern)?,
            })
        })
        .collect()
}

/// Go's `filepath.Clean` for a pattern, then a leading `/` removed.
fn clean_pattern(pattern: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in pattern.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|last| *last != "..") => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

/// The regex of a pattern: `*` any run without `/`, `?` one character but `/`, `**` any number
/// of directories, `[…]` a class, `\x` a literal x (BuildKit's patternmatcher rules). Byte
/// classes (`(?-u)`) compile far faster than Unicode ones, and paths are matched as bytes.
fn pattern_regex(pattern: &str) -> String {
    let mut regex = String::from("(?-u)^");
    let mut in_class = false;
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                if chars.peek() == Some(&'/') {
                    chars.next();
                }
                regex.push_str(if chars.peek().is_none() {
                    ".*"
                } else {
                    "(.*/)?"
                });
            }
            '*' => regex.push_str("[^/]*"),
            '?' => regex.push_str("[^/]"),
            '\\' => match chars.next() {
                Some(next) => regex.push_str(&regex::escape(&next.to_string())),
                None => regex.push_str(r"\\"),
            },
            '[' if !in_class => {
                in_class = true;
                regex.push(c);
            }
            ']' if in_class => {
                in_class = false;
                regex.push(c);
            }
            '-' | '^' if in_class => regex.push(c),
            other => regex.push_str(&regex::escape(&other.to_string())),
        }
    }
    regex.push('$');
    regex
}

/// Last matching pattern wins; a pattern matches a path or any directory above it.
fn matches_ignore(patterns: &[Pattern], path: &str) -> bool {
    let mut ignored = false;
    for pattern in patterns {
        let matched = path
            .match_indices('/')
            .map(|(i, _)| &path[..i])
            .chain(std::iter::once(path))
            .any(|candidate| pattern.matcher.is_match(candidate));
        if matched {
            ignored = !pattern.include;
        }
    }
    ignored
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ignores(ignore: &str, path: &str) -> bool {
        ignores_any(ignore, &CleanPaths::new(&[path.to_string()]))
    }

    #[test]
    fn dockerignore_patterns_follow_buildkit() {
        assert!(ignores("node_modules\n", "node_modules/x/package.json"));
        assert!(ignores("/node_modules\n", "node_modules"));
        assert!(!ignores("node_modules\n", "app/node_modules"));
        assert!(ignores("**/node_modules\n", "app/node_modules/x"));
        assert!(ignores("*.lock\n", "yarn.lock"));
        assert!(!ignores("*.lock\n", "app/yarn.lock"));
        assert!(ignores("**/*.lock\n", "app/yarn.lock"));
        assert!(ignores("*\n!package*.json\n", "Gemfile"));
        assert!(!ignores("*\n!package*.json\n", "package-lock.json"));
        assert!(ignores("# comment\n\n  .git  \n", ".git/config"));
        assert!(ignores("req?.txt\n", "req1.txt"));
        assert!(!ignores("req?.txt\n", "req/.txt"));
        assert!(ignores("./build/../dist\n", "dist/app.js"));
        assert!(ignores("**\n!src\n", "README.md"));
        assert!(!ignores("**\n!src\n", "src/main.rs"));
        assert!(ignores("file[0-9].txt\n", "file3.txt"));
        assert!(ignores("a.b\n", "a.b"));
        assert!(!ignores("a.b\n", "axb"));
        // Outside a class, `^` and `-` are plain characters (Go's filepath.Match).
        assert!(ignores("a^b-c\n", "a^b-c"));
        assert!(ignores("*^b-c\n", "a^b-c"));
        assert!(ignores("file[^0-9].txt\n", "filex.txt"));
        assert!(!ignores("file[^0-9].txt\n", "file1.txt"));
        assert!(ignores("a\\*b\n", "a*b"));
        assert!(!ignores("a\\*b\n", "axb"));
    }

    #[test]
    fn context_reads_only_what_reaches_the_builder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("requirements.txt"), "flask\n").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "x").unwrap();
        std::fs::write(dir.path().join(".dockerignore"), "secret.txt\n").unwrap();
        std::fs::write(dir.path().join("Dockerfile"), "FROM a\n").unwrap();
        let context = BuildContext::for_dockerfile(&dir.path().join("Dockerfile"), None);
        assert_eq!(
            context.read("./requirements.txt").as_deref(),
            Some("flask\n")
        );
        assert!(context.exists("secret.txt"));
        assert!(!context.available("secret.txt"));
        assert_eq!(context.read("secret.txt"), None);
        assert_eq!(
            context.ignore_file().unwrap().path,
            PathBuf::from(".dockerignore")
        );
    }

    #[test]
    fn a_dockerfile_specific_ignore_file_wins() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".dockerignore"), "a\n").unwrap();
        std::fs::write(dir.path().join("Dockerfile.dockerignore"), "b\n").unwrap();
        let context = BuildContext::for_dockerfile(&dir.path().join("Dockerfile"), None);
        assert!(context.is_ignored("b"));
        assert!(!context.is_ignored("a"));
    }
}
