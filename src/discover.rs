//! Which files to process: explicit paths as given, directories searched for Dockerfiles.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use ignore::WalkState;

/// Whether a file name is a Dockerfile by convention: `Dockerfile`, `Containerfile`,
/// `Dockerfile.*`, `Dockerfile-*`, `*.Dockerfile`, `*.dockerfile` (case-insensitive), but not
/// the per-Dockerfile ignore files (`Dockerfile.dockerignore`).
pub fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".dockerignore") {
        return false;
    }
    ["dockerfile", "containerfile"].iter().any(|stem| {
        lower == *stem
            || lower.starts_with(&format!("{stem}."))
            || lower.starts_with(&format!("{stem}-"))
            || lower.ends_with(&format!(".{stem}"))
    })
}

/// A path the user named that could not be searched.
#[derive(Debug)]
pub struct DiscoveryError {
    pub path: PathBuf,
    pub message: String,
}

/// The files to process, in a stable order, each once (a symlink and its target count as one).
/// Explicit file paths are taken whatever their name;
/// directories are walked recursively, honouring `.gitignore`/`.ignore` files (also outside a
/// git repository) and skipping `.git`, but entering other hidden directories
/// (`.devcontainer/Dockerfile` is common).
pub fn discover(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<DiscoveryError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, &mut files, &mut errors),
            Ok(meta) => files.push((path.clone(), FileIdentity::of(path, Some(&meta)))),
            Err(err) => errors.push(DiscoveryError {
                path: path.clone(),
                message: describe_io_error(&err),
            }),
        }
    }
    (unique_targets(files), errors)
}

/// Drop files that resolve to a file already listed (a symlink and its target, a path given
/// twice): each file is processed, and written, once.
fn unique_targets(files: Vec<(PathBuf, FileIdentity)>) -> Vec<PathBuf> {
    let mut seen = std::collections::HashSet::new();
    files
        .into_iter()
        .filter_map(|(path, identity)| seen.insert(identity).then_some(path))
        .collect()
}

/// What makes two paths the same file: the path with every symlink resolved. Where the
/// platform has inodes, a file with one link is told by device and inode (one `stat`, where
/// resolving the path reads every component's link); hard links are distinct files (a write
/// replaces one name only), so they keep their canonical paths.
#[derive(PartialEq, Eq, Hash)]
enum FileIdentity {
    #[cfg(unix)]
    Inode(u64, u64),
    Path(PathBuf),
}

impl FileIdentity {
    /// The identity of the file at `path`, whose metadata (symlinks followed) may be known.
    fn of(path: &Path, meta: Option<&std::fs::Metadata>) -> FileIdentity {
        #[cfg(unix)]
        if let Some(meta) = meta {
            use std::os::unix::fs::MetadataExt;
            if meta.nlink() == 1 {
                return FileIdentity::Inode(meta.dev(), meta.ino());
            }
        }
        FileIdentity::Path(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
    }
}

/// Walk `dir` on as many threads as the run processes files with (the walk is I/O-bound and
/// was the largest serial part of a run), then put the Dockerfiles found in the order a walk
/// with each directory's entries sorted by name gives: component-wise path order.
fn walk(dir: &Path, files: &mut Vec<(PathBuf, FileIdentity)>, errors: &mut Vec<DiscoveryError>) {
    type Found = (Vec<(PathBuf, FileIdentity)>, Vec<String>);
    let found: Mutex<Found> = Mutex::new((Vec::new(), Vec::new()));
    let found_ref = &found;
    ignore::WalkBuilder::new(dir)
        .hidden(false)
        .require_git(false)
        .filter_entry(|entry| entry.file_name() != ".git")
        .threads(rayon::current_num_threads())
        .build_parallel()
        .run(|| {
            Box::new(move |entry| {
                match entry {
                    Ok(entry) => {
                        let is_file = entry
                            .file_type()
                            .is_some_and(|t| t.is_file() || t.is_symlink());
                        let named = entry.file_name().to_str().is_some_and(is_dockerfile_name);
                        if !(is_file && named) {
                            return WalkState::Continue;
                        }
                        // One stat (symlinks followed) tells a file and identifies it, on
                        // the walking thread.
                        let Ok(meta) = std::fs::metadata(entry.path()) else {
                            return WalkState::Continue;
                        };
                        if meta.is_file() {
                            let identity = FileIdentity::of(entry.path(), Some(&meta));
                            found_ref
                                .lock()
                                .unwrap_or_else(PoisonError::into_inner)
                                .0
                                .push((entry.into_path(), identity));
                        }
                    }
                    Err(err) => found_ref
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .1
                        .push(err.to_string()),
                }
                WalkState::Continue
            })
        });
    let (mut found_files, mut found_errors) =
        found.into_inner().unwrap_or_else(PoisonError::into_inner);
    found_files.sort_by(|a, b| a.0.cmp(&b.0));
    found_errors.sort();
    files.extend(found_files);
    errors.extend(found_errors.into_iter().map(|message| DiscoveryError {
        path: dir.to_path_buf(),
        message,
    }));
}

/// A short, user-facing description of an I/O error.
pub fn describe_io_error(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerfile_names() {
        for name in [
            "Dockerfile",
            "dockerfile",
            "Containerfile",
            "Dockerfile.dev",
            "Dockerfile-alpine",
            "base.Dockerfile",
            "python3.11.dockerfile",
        ] {
            assert!(is_dockerfile_name(name), "{name}");
        }
        for name in [
            "Dockerfile.dockerignore",
            ".dockerignore",
            "README.md",
            "docker-compose.yml",
            "Dockerfiles",
        ] {
            assert!(!is_dockerfile_name(name), "{name}");
        }
    }
}
