//! DF301 `final-stage-on-sdk` · DisplayOnly · all stages · no hadolint rule
//!
//! **What it does.** Reports a multi-stage build whose final stage is (or is built `FROM` a
//! stage on) an SDK image — `golang`, `rust`, `maven`, `gradle`, a JDK image, `dotnet/sdk` —
//! and names the runtime image DF300 would choose for it (with DF300's `default-codename`
//! setting for a tag the base-facts table lacks).
//!
//! **Why.** The stages exist, yet the image still ships the compiler, the package caches and
//! the sources: copying the artifact into a runtime stage keeps only what runs.
//!
//! **Fix safety.** No fix (advice only): which files the final stage needs at run time is up to
//! the author; DF300 splits only single-stage builds.

use crate::config::Settings;
use crate::document::Document;
use crate::fix::Finding;
use crate::stages::{family, runtime_image, Family, ImageRef};

const CODE: &str = "DF301";

pub fn check(document: &Document, settings: &Settings) -> Vec<Finding> {
    if document.stages.len() < 2 {
        return Vec::new();
    }
    let last = document.stages.len() - 1;
    let mut root = &document.stages[last];
    while let Some(parent) = root.parent {
        root = &document.stages[parent];
    }
    if root.base.contains('$') {
        // A templated tag names no version to derive a runtime from.
        return Vec::new();
    }
    let image = ImageRef::parse(&root.base);
    let Some(family) = family(&image).filter(|f| !matches!(f, Family::Node | Family::Python))
    else {
        return Vec::new();
    };
    let fallback = settings.split.default_codename.as_deref();
    let runtime = runtime_image(family, &image, fallback).map_or_else(
        || "a runtime image (the tag's version is not in the base-facts table; DF300's `default-codename` setting would name one)".to_string(),
        |runtime| format!("`{runtime}`"),
    );
    let from = &document.instructions[document.stages[last].from];
    vec![Finding::new(
        CODE,
        from.logical.range.clone(),
        format!(
            "the final stage runs on the SDK image `{}`: copy the artifact into a stage on {runtime} instead",
            root.base
        ),
    )]
}
