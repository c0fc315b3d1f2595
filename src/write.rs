//! Atomic, permission-keeping writes that never clobber a concurrent change.

use std::io::Write;
use std::path::Path;

use crate::discover::describe_io_error;

/// Replace the file at `path` (the target, when it is a symlink) by `new`: written to a
/// temporary file in the same directory, given the original's permissions (and owner, where
/// allowed), then renamed over the original. Refuses when the file is read-only or its bytes
/// are no longer `original` (someone changed it while we worked).
///
/// Not synced to disk first, as ruff and black do not: a reader sees the old file or the new
/// one, never part of either, and one `fsync` per file would cost more than fixing it (a
/// `--write` over the corpus took twice as long with them).
pub fn atomic(path: &Path, original: &[u8], new: &[u8]) -> Result<(), String> {
    // Only a symlink needs resolving (its target is replaced, not the link).
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|meta| meta.file_type().is_symlink());
    let target = if is_link {
        std::fs::canonicalize(path)
            .map_err(|err| format!("cannot write: {}", describe_io_error(&err)))?
    } else {
        path.to_path_buf()
    };
    let metadata = std::fs::metadata(&target)
        .map_err(|err| format!("cannot write: {}", describe_io_error(&err)))?;
    if metadata.permissions().readonly() {
        return Err("cannot write: the file is read-only".to_string());
    }
    let dir = target.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".dockfix-")
        .tempfile_in(dir)
        .map_err(|err| {
            format!(
                "cannot write: cannot create a file in {}: {}",
                dir.display(),
                describe_io_error(&err)
            )
        })?;
    let io_error = |err: std::io::Error| format!("cannot write: {}", describe_io_error(&err));
    temp.write_all(new).map_err(io_error)?;
    temp.as_file()
        .set_permissions(metadata.permissions())
        .map_err(io_error)?;
    keep_owner(temp.as_file(), &metadata);
    pause_before_check();
    let current = std::fs::read(&target).map_err(io_error)?;
    if current != original {
        return Err(
            "the file changed while dockfix was working on it; not overwritten".to_string(),
        );
    }
    temp.persist(&target).map_err(|err| io_error(err.error))?;
    Ok(())
}

/// Test hook, in debug builds only: with `DOCKFIX_TEST_PAUSE_BEFORE_WRITE=FLAG`, create the
/// file FLAG and wait (up to 10 s) until it is removed, so that a test can change the
/// Dockerfile from another process at the last moment before the check.
#[cfg(debug_assertions)]
fn pause_before_check() {
    let Some(flag) = std::env::var_os("DOCKFIX_TEST_PAUSE_BEFORE_WRITE") else {
        return;
    };
    let flag = Path::new(&flag);
    if std::fs::write(flag, b"").is_err() {
        return;
    }
    for _ in 0..1000 {
        if !flag.exists() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

#[cfg(not(debug_assertions))]
fn pause_before_check() {}

#[cfg(unix)]
fn keep_owner(file: &std::fs::File, metadata: &std::fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    // Only root may give a file away; for everyone else the owner already matches.
    let _ = std::os::unix::fs::fchown(file, Some(metadata.uid()), Some(metadata.gid()));
}

#[cfg(not(unix))]
fn keep_owner(_file: &std::fs::File, _metadata: &std::fs::Metadata) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn keeps_mode_and_follows_symlinks() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("Dockerfile.real");
        std::fs::write(&real, "old").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("Dockerfile");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        atomic(&link, b"old", b"new").unwrap();
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        let mode = std::fs::metadata(&real).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }

    #[test]
    fn refuses_a_file_changed_since_it_was_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Dockerfile");
        std::fs::write(&path, "changed").unwrap();
        let err = atomic(&path, b"old", b"new").unwrap_err();
        assert!(err.contains("changed while"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), b"changed");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "the temporary file is removed");
    }
}
