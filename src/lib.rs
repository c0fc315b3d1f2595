//! dockfix: rewrites Dockerfiles into faster-building, smaller images with minimal, safe edits.

pub mod apply;
pub mod cli;
pub mod config;
pub mod context;
pub mod diff;
pub mod discover;
pub mod document;
pub mod fix;
pub mod jars;
pub mod js_config;
pub mod logical;
pub mod manifests;
pub mod package_caches;
pub mod parse;
pub mod report;
pub mod shell;
pub mod shell_rules;
pub mod source;
pub mod stages;
#[path = "../transforms/mod.rs"]
pub mod transforms;
pub mod write;
