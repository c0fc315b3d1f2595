//! DF511 `disallowed-registry` · DisplayOnly · all stages · hadolint DL3026
//!
//! **What it does.** Once `allowed-registries` is set (`[rules.DF511]` in `dockfix.toml`),
//! reports an image pulled from a registry the list does not allow: a `FROM` base image, a
//! `COPY --from=<image>` (or `ADD`), a `RUN --mount=…,from=<image>`. Without the option it
//! reports nothing, as hadolint's DL3026 without `trustedRegistries`.
//!
//! **Patterns** (hadolint's `trustedRegistries`): `*` allows every registry, `*.example.com`
//! those ending in `.example.com`, `registry.*` those starting with `registry.`, anything else
//! exactly that registry (with its port: `my-company.com:5000`); case does not matter. The
//! registry is the image's first path component when it has a `.` or `:`, is `localhost` or has
//! capitals (Docker's rule: `ghcr.io/org/app`); an image without one (`ubuntu`, `org/app`)
//! comes from Docker Hub, allowed when a pattern matches `docker.io` or `hub.docker.com`, and so
//! are `docker.io/…` and `index.docker.io/…`. Never reported: `scratch`, earlier stages
//! (`FROM builder`, `COPY --from=0`), and images whose registry part is a variable (`FROM
//! $BASE`, `FROM $REGISTRY/app`): the registry is only known at build time.
//!
//! **Why.** Organisations pull only from registries they mirror or vet; an image from elsewhere
//! may vanish, change under the build, or bring software nobody reviewed.
//!
//! **Fix safety.** No fix (advice only): where the image is mirrored is the user's to say.
//!
//! **Addition to RULES.md.** §11 has no rule for hadolint's DL3026 (§13 lists it among the codes
//! without one); DF511 is the first free DF5xx code, and `# hadolint ignore=DL3026` suppresses
//! it. Unlike hadolint, every spelling of Docker Hub is treated alike.

use crate::config::Settings;
use crate::document::{Document, Instruction, Keyword};
use crate::fix::Finding;

const CODE: &str = "DF511";

/// The registry names Docker Hub goes by: an image without a registry comes from there.
const DOCKER_HUB: &[&str] = &["docker.io", "hub.docker.com", "index.docker.io"];

pub fn check(document: &Document, settings: &Settings) -> Vec<Finding> {
    let allowed = &settings.allowed_registries;
    if allowed.is_empty() {
        return Vec::new();
    }
    pulled_images(document)
        .into_iter()
        .filter_map(|(instruction, image)| {
            let registry = registry(image)?;
            let names: &[&str] = match &registry {
                Registry::DockerHub => DOCKER_HUB,
                Registry::Host(host) => &[host.as_str()],
            };
            let allows = |pattern: &String| names.iter().any(|name| matches(pattern, name));
            if allowed.iter().any(allows) {
                return None;
            }
            let source = match registry {
                Registry::DockerHub => "Docker Hub (`docker.io`)".to_string(),
                Registry::Host(host) => format!("`{host}`"),
            };
            Some(Finding::new(
                CODE,
                instruction.logical.range.clone(),
                format!("`{image}` comes from {source}, which `allowed-registries` does not list"),
            ))
        })
        .collect()
}

/// The images the build pulls, with the instruction that names them, in file order: base
/// images (not `FROM <earlier stage>`), `COPY|ADD --from=<image>`, `RUN --mount=…,from=<image>`
/// (a stage name or index is not an image). Not ONBUILD: that runs in another build.
fn pulled_images(document: &Document) -> Vec<(&Instruction, &str)> {
    let is_stage = |reference: &str| {
        let name = reference.to_ascii_lowercase();
        reference.parse::<usize>().is_ok()
            || document
                .stages
                .iter()
                .any(|stage| stage.name.as_deref() == Some(name.as_str()))
    };
    let mut pulled = Vec::new();
    for (index, instruction) in document.instructions.iter().enumerate() {
        let images: Vec<&str> = match instruction.keyword {
            _ if instruction.onbuild => continue,
            Keyword::From => instruction
                .stage
                .map(|stage| &document.stages[stage])
                .filter(|stage| stage.from == index && stage.parent.is_none())
                .map(|stage| stage.base.as_str())
                .into_iter()
                .collect(),
            Keyword::Copy | Keyword::Add => instruction
                .flag("from")
                .and_then(|flag| flag.value.as_deref())
                .filter(|from| !is_stage(from))
                .into_iter()
                .collect(),
            Keyword::Run => instruction
                .flags
                .iter()
                .filter(|flag| flag.name == "mount")
                .filter_map(|flag| flag.value.as_deref())
                .filter_map(|spec| spec.split(',').find_map(|o| o.strip_prefix("from=")))
                .filter(|from| !is_stage(from))
                .collect(),
            _ => continue,
        };
        pulled.extend(images.into_iter().map(|image| (instruction, image)));
    }
    pulled
}

/// Where an image reference is pulled from.
#[derive(Debug, PartialEq, Eq)]
enum Registry {
    DockerHub,
    /// A registry host, lower-cased (with its port).
    Host(String),
}

/// The registry of an image reference (Docker's `splitDockerDomain`); `None` for `scratch` and
/// when a variable decides it.
fn registry(image: &str) -> Option<Registry> {
    if image.eq_ignore_ascii_case("scratch") {
        return None;
    }
    let Some((first, _)) = image.split_once('/') else {
        // `python:$VERSION`: a variable in the tag leaves the image on Docker Hub.
        let name = image.split(':').next().unwrap_or(image);
        return (!name.contains('$')).then_some(Registry::DockerHub);
    };
    if first.contains('$') {
        return None;
    }
    let host = first.contains(['.', ':'])
        || first == "localhost"
        || first.chars().any(|c| c.is_ascii_uppercase());
    let host = host.then(|| first.to_ascii_lowercase());
    Some(match host {
        Some(host) if !DOCKER_HUB.contains(&host.as_str()) => Registry::Host(host),
        _ => Registry::DockerHub,
    })
}

/// hadolint's `matchRegistry`: `*` alone, a leading `*` (suffix), a trailing `*` (prefix), or
/// the whole name; without regard to case.
fn matches(pattern: &str, registry: &str) -> bool {
    let (pattern, registry) = (pattern.to_ascii_lowercase(), registry.to_ascii_lowercase());
    if pattern == "*" {
        true
    } else if let Some(suffix) = pattern.strip_prefix('*') {
        registry.ends_with(suffix)
    } else if let Some(prefix) = pattern.strip_suffix('*') {
        registry.starts_with(prefix)
    } else {
        registry == pattern
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registry_follows_dockers_rule() {
        let host = |h: &str| Some(Registry::Host(h.to_string()));
        assert_eq!(registry("ubuntu:22.04"), Some(Registry::DockerHub));
        assert_eq!(registry("zemanlx/ubuntu:18.04"), Some(Registry::DockerHub));
        assert_eq!(
            registry("docker.io/library/ubuntu"),
            Some(Registry::DockerHub)
        );
        assert_eq!(registry("Index.Docker.io/x/y"), Some(Registry::DockerHub));
        assert_eq!(registry("ghcr.io/org/app@sha256:00"), host("ghcr.io"));
        assert_eq!(registry("localhost/app"), host("localhost"));
        assert_eq!(
            registry("my-company.com:5000/app:1"),
            host("my-company.com:5000")
        );
        assert_eq!(registry("Mirror/app"), host("mirror"));
        assert_eq!(registry("scratch"), None);
        assert_eq!(registry("$BASE"), None);
        assert_eq!(registry("${REGISTRY}/app:1"), None);
        assert_eq!(registry("ubuntu:$TAG"), Some(Registry::DockerHub));
    }

    #[test]
    fn patterns_match_as_hadolint_matches_them() {
        assert!(matches("*", "anything.example"));
        assert!(matches("*.random.com", "foo.random.com"));
        assert!(!matches("*.random.com", "x.com"));
        assert!(matches("registry.*", "registry.example.com"));
        assert!(matches("GHCR.io", "ghcr.io"));
        assert!(!matches("ghcr.io", "ghcr.io.evil"));
    }
}
