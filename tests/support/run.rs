//! Running the dockfix binary as a user would, shared by the CLI-level test files.

use std::path::Path;
use std::process::{Command, Output, Stdio};

/// `dockfix ARGS` in `dir`, with no input on stdin.
pub fn dockfix(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dockfix"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}
