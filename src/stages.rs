//! Facts about SDK images and their runtime counterparts (RULES.md §9), shared by DF300–DF302:
//! which official images carry a toolchain, which runtime image matches a builder, and which
//! installed packages a runtime still needs.

/// The toolchain family of an official SDK image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Go,
    Rust,
    /// Maven, Gradle or a JDK image, with the JDK's major version when the tag tells it.
    Java(Option<u32>),
    Dotnet,
    Node,
    Python,
}

/// An image reference split as BuildKit reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// The repository with its registry, lower-cased, without `docker.io/` and `library/`.
    pub repository: String,
    /// The tag; `latest` when none is written.
    pub tag: String,
    /// Pinned by digest (`@sha256:…`).
    pub digest: bool,
}

impl ImageRef {
    pub fn parse(image: &str) -> ImageRef {
        let image = image.to_ascii_lowercase();
        let (name, digest) = match image.split_once('@') {
            Some((name, _)) => (name.to_string(), true),
            None => (image.clone(), false),
        };
        let name = name
            .strip_prefix("docker.io/")
            .or_else(|| name.strip_prefix("index.docker.io/"))
            .unwrap_or(&name);
        let name = name.strip_prefix("library/").unwrap_or(name);
        let slash = name.rfind('/').map_or(0, |i| i + 1);
        let (repository, tag) = match name[slash..].find(':') {
            Some(colon) => (&name[..slash + colon], &name[slash + colon + 1..]),
            None => (name, "latest"),
        };
        ImageRef {
            repository: repository.to_string(),
            tag: tag.to_string(),
            digest,
        }
    }

    /// The tag's leading version (`1.22` of `1.22-bookworm`), `None` for `latest` or a
    /// variant-only tag.
    pub fn version(&self) -> Option<&str> {
        let version = self.tag.split('-').next().unwrap_or_default();
        version
            .starts_with(|c: char| c.is_ascii_digit())
            .then_some(version)
    }

    /// The tag's parts after the version (`bookworm` of `1.22-bookworm`).
    pub fn variants(&self) -> Vec<&str> {
        let mut parts: Vec<&str> = self.tag.split('-').collect();
        if self.version().is_some() {
            parts.remove(0);
        }
        parts
    }

    /// A Debian or Ubuntu codename among the tag's parts.
    pub fn codename(&self) -> Option<&str> {
        self.variants()
            .into_iter()
            .find(|part| CODENAMES.contains(part))
    }

    /// The Alpine variant (`alpine3.19` → `Some("3.19")`, `alpine` → `Some("")`).
    pub fn alpine(&self) -> Option<&str> {
        self.variants()
            .into_iter()
            .find_map(|part| part.strip_prefix("alpine"))
    }
}

/// Debian and Ubuntu release names the official images use in tags.
const CODENAMES: &[&str] = &[
    "stretch", "buster", "bullseye", "bookworm", "trixie", "focal", "jammy", "noble",
];

/// The SDK family of an image (RULES.md DF300 trigger), by its official repository name.
pub fn family(image: &ImageRef) -> Option<Family> {
    let repository = image.repository.as_str();
    let java = |tag: &str| Family::Java(java_version(repository, tag));
    match repository {
        "golang" => Some(Family::Go),
        "rust" => Some(Family::Rust),
        "maven" | "gradle" => Some(java(&image.tag)),
        // `openjdk:11-jre-slim`, `eclipse-temurin:17-jre` are runtime images already.
        "openjdk" | "amazoncorretto" | "eclipse-temurin" if !image.tag.contains("jre") => {
            Some(java(&image.tag))
        }
        "mcr.microsoft.com/dotnet/sdk" | "mcr.microsoft.com/dotnet/core/sdk" => {
            Some(Family::Dotnet)
        }
        "node" => Some(Family::Node),
        "python" => Some(Family::Python),
        _ => None,
    }
}

/// The JDK major version a Java image's tag names (`maven:3-jdk-11`, `gradle:8-jdk17`,
/// `maven:3.9-eclipse-temurin-21`, `openjdk:17-slim`, `eclipse-temurin:17-jdk`).
fn java_version(repository: &str, tag: &str) -> Option<u32> {
    let number = |text: &str| text.parse::<u32>().ok();
    let parts: Vec<&str> = tag.split('-').collect();
    match repository {
        "maven" | "gradle" => parts.iter().enumerate().find_map(|(i, part)| {
            part.strip_prefix("jdk")
                .and_then(|rest| {
                    if rest.is_empty() {
                        parts.get(i + 1).copied().and_then(number)
                    } else {
                        number(rest)
                    }
                })
                .or_else(|| {
                    (*part == "temurin" || *part == "corretto")
                        .then(|| parts.get(i + 1).copied().and_then(number))
                        .flatten()
                })
        }),
        _ => parts
            .first()
            .and_then(|v| number(v.split('.').next().unwrap_or_default())),
    }
}

/// The Debian release an official Go or Rust image without a codename in its tag is built on
/// (RULES.md DF300 "base facts"), or `None` when the version is not in the table.
///
/// docker-library/golang made bookworm the default variant in June 2023 (golang#456 dropped
/// buster; docker-ce-packaging#909) for Go 1.19–1.21; Go 1.22 and 1.23 never saw another
/// default (1.23's last patch, 1.23.12, shipped before trixie's release on 9 August 2025);
/// 1.24 and later tags point at trixie (devcontainers/images#1511: `1.24-trixie` carries the
/// `go:1.24` and `go:1` aliases). Rust: bookworm became the default with rust 1.70 (June
/// 2023); rust ≤ 1.88 stopped receiving builds before trixie existed; later versions are not
/// in the table (the trixie switch, docker-library/official-images#19730, has no fixed
/// version here).
pub fn default_codename(family: Family, image: &ImageRef) -> Option<&'static str> {
    let version = match image.version() {
        Some(version) => version,
        None if image.tag == "latest" && family == Family::Go => return Some("trixie"),
        None => return None,
    };
    let mut parts = version.split('.').map(|p| p.parse::<u32>().ok());
    let (major, minor) = (parts.next().flatten(), parts.next().flatten());
    match (family, major, minor) {
        (Family::Go, Some(1), None) => Some("trixie"),
        (Family::Go, Some(1), Some(19..=23)) => Some("bookworm"),
        (Family::Go, Some(1), Some(24..)) => Some("trixie"),
        (Family::Rust, Some(1), Some(70..=88)) => Some("bookworm"),
        _ => None,
    }
}

/// The CA bundle TLS clients read on Debian (Go's crypto/x509, OpenSSL, rustls-native-certs).
pub const CA_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

/// Whether a Go or Rust SDK image carries [`CA_BUNDLE`] while its `debian:<codename>-slim`
/// runtime lacks it. Base facts: the Debian variants of the official golang images are built
/// `FROM buildpack-deps:<codename>-scm` (docker-library/golang, `Dockerfile-linux.template`);
/// rust's default variants are built `FROM buildpack-deps:<codename>` and its `-slim` variants
/// install `ca-certificates` themselves (docker-library/rust); buildpack-deps' `-curl` layer,
/// under `-scm`, installs `ca-certificates` (docker-library/buildpack-deps). `debian:*-slim`
/// has no ca-certificates package.
pub fn carries_ca_bundle(family: Family, image: &ImageRef) -> bool {
    matches!(family, Family::Go | Family::Rust) && image.alpine().is_none()
}

/// Debian major version of a codename, for distroless image names.
pub fn debian_version(codename: &str) -> Option<u32> {
    match codename {
        "bullseye" => Some(11),
        "bookworm" => Some(12),
        "trixie" => Some(13),
        _ => None,
    }
}

/// How a package a Dockerfile installs matters to the runtime stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackageUse {
    /// Compilers and build tools: stay in the builder.
    BuildOnly,
    /// Needed at run time: installed again in the runtime stage under this name.
    Runtime(String),
}

/// Build-only packages (RULES.md DF300 "packages").
const BUILD_ONLY: &[&str] = &[
    "gcc",
    "g++",
    "clang",
    "make",
    "cmake",
    "build-essential",
    "build-base",
    "git",
    "pkg-config",
    "pkgconf",
    "autoconf",
    "automake",
    "libtool",
    "musl-dev",
    "linux-headers",
    "protobuf-compiler",
    "upx",
];

/// Packages that serve the running application.
const RUNTIME: &[&str] = &[
    "ca-certificates",
    "tzdata",
    "curl",
    "wget",
    "bash",
    "tini",
    "dumb-init",
    "openssl",
    "netcat-openbsd",
    "postgresql-client",
    "default-mysql-client",
    "ffmpeg",
    "imagemagick",
    "libpq",
    "libpq5",
    "libxml2",
    "libxslt",
    "libjpeg62-turbo",
    "zlib1g",
    "libffi8",
    "libsqlite3-0",
    "libmagic1",
    "procps",
];

/// The runtime library behind a `-dev` package (Debian names; Alpine's `-dev` packages pair
/// with the package of the same stem).
const DEV_LIBRARIES: &[(&str, &str)] = &[
    ("libpq-dev", "libpq5"),
    ("libxml2-dev", "libxml2"),
    ("libxslt1-dev", "libxslt1.1"),
    ("libjpeg-dev", "libjpeg62-turbo"),
    ("libjpeg62-turbo-dev", "libjpeg62-turbo"),
    ("zlib1g-dev", "zlib1g"),
    ("libsqlite3-dev", "libsqlite3-0"),
    ("libmagic-dev", "libmagic1"),
    ("postgresql-dev", "libpq"),
    ("libpq-dev@apk", "libpq"),
    ("libxml2-dev@apk", "libxml2"),
    ("libffi-dev@apk", "libffi"),
    ("jpeg-dev", "libjpeg-turbo"),
    ("zlib-dev", "zlib"),
];

/// Classify a package; `None` when it is not in the tables (the split refuses). `links`: the
/// build may link native libraries, so a `-dev` package's library is needed at run time; `apk`:
/// Alpine names.
pub fn classify_package(name: &str, links: bool, apk: bool) -> Option<PackageUse> {
    let bare = name.split(['=', ':']).next().unwrap_or(name);
    if BUILD_ONLY.contains(&bare) || bare.starts_with("python3-dev") {
        return Some(PackageUse::BuildOnly);
    }
    if RUNTIME.contains(&bare) {
        return Some(PackageUse::Runtime(name.to_string()));
    }
    if bare.ends_with("-dev") {
        if !links {
            return Some(PackageUse::BuildOnly);
        }
        let key = if apk {
            format!("{bare}@apk")
        } else {
            bare.to_string()
        };
        return DEV_LIBRARIES
            .iter()
            .find(|(dev, _)| *dev == key || (!apk && *dev == bare))
            .map(|(_, library)| PackageUse::Runtime(library.to_string()));
    }
    None
}

/// The runtime image DF300 would pick for a builder image, from its tag alone (DF301 names it);
/// `fallback_codename` is DF300's `default-codename` setting, the Debian release of a tag the
/// base-facts table lacks. `None` when nothing tells.
pub fn runtime_image(
    family: Family,
    image: &ImageRef,
    fallback_codename: Option<&str>,
) -> Option<String> {
    let debian = || {
        if let Some(alpine) = image.alpine() {
            return Some(format!(
                "alpine:{}",
                if alpine.is_empty() { "3" } else { alpine }
            ));
        }
        let codename = image
            .codename()
            .or_else(|| default_codename(family, image))
            .or(fallback_codename)?;
        Some(format!("debian:{codename}-slim"))
    };
    match family {
        Family::Go | Family::Rust => debian(),
        Family::Java(Some(version @ (8 | 11 | 17 | 21 | 25))) => {
            let variant = if image.alpine().is_some() {
                "-alpine"
            } else {
                ""
            };
            Some(format!("eclipse-temurin:{version}-jre{variant}"))
        }
        Family::Java(_) => None,
        Family::Dotnet => {
            let repository = image.repository.rsplit_once('/')?.0;
            Some(format!(
                "{repository}/aspnet (web) or {repository}/runtime:{}",
                image.tag
            ))
        }
        Family::Node | Family::Python => {
            slim_tag(image).map(|tag| format!("{}:{tag}", image.repository))
        }
    }
}

/// The slim variant of a python/node/ruby/debian tag (RULES.md DF302): `3.12-bookworm` →
/// `3.12-slim-bookworm` (python, ruby), `20-bookworm` → `20-bookworm-slim` (node),
/// `bookworm` → `bookworm-slim` (debian); `None` when the tag is already slim or Alpine.
pub fn slim_tag(image: &ImageRef) -> Option<String> {
    let tag = image.tag.as_str();
    if tag.contains("slim") || tag.contains("alpine") || tag.contains("windows") {
        return None;
    }
    Some(match image.repository.as_str() {
        // `debian:latest` is the stable release; there is no `debian:slim`.
        "debian" if tag == "latest" => "stable-slim".to_string(),
        _ if tag == "latest" => "slim".to_string(),
        "node" | "debian" => format!("{tag}-slim"),
        _ => match tag.split_once('-') {
            Some((version, rest)) => format!("{version}-slim-{rest}"),
            None => format!("{tag}-slim"),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_references() {
        let image = ImageRef::parse("docker.io/library/golang:1.22-bookworm");
        assert_eq!(image.repository, "golang");
        assert_eq!(image.version(), Some("1.22"));
        assert_eq!(image.codename(), Some("bookworm"));
        let image = ImageRef::parse("golang:1.22-alpine3.19@sha256:00");
        assert!(image.digest);
        assert_eq!(image.alpine(), Some("3.19"));
        let image = ImageRef::parse("mcr.microsoft.com/dotnet/sdk:8.0");
        assert_eq!(family(&image), Some(Family::Dotnet));
        assert_eq!(ImageRef::parse("localhost:5000/x").tag, "latest");
    }

    #[test]
    fn java_versions_and_codenames() {
        let java = |image: &str| family(&ImageRef::parse(image));
        assert_eq!(java("maven:3-jdk-11"), Some(Family::Java(Some(11))));
        assert_eq!(java("gradle:8.5-jdk17"), Some(Family::Java(Some(17))));
        assert_eq!(
            java("maven:3.9-eclipse-temurin-21"),
            Some(Family::Java(Some(21)))
        );
        assert_eq!(java("openjdk:17-slim"), Some(Family::Java(Some(17))));
        assert_eq!(java("eclipse-temurin:17-jre"), None);
        assert_eq!(java("openjdk:11-jre-slim"), None);
        let codename = |image: &str| default_codename(Family::Go, &ImageRef::parse(image));
        assert_eq!(codename("golang:1.21"), Some("bookworm"));
        assert_eq!(codename("golang:1.25"), Some("trixie"));
        assert_eq!(codename("golang:1.6"), None);
    }

    #[test]
    fn packages() {
        assert_eq!(
            classify_package("libpq-dev", true, false),
            Some(PackageUse::Runtime("libpq5".into()))
        );
        assert_eq!(
            classify_package("libpq-dev", false, false),
            Some(PackageUse::BuildOnly)
        );
        assert_eq!(
            classify_package("gcc", true, false),
            Some(PackageUse::BuildOnly)
        );
        assert_eq!(classify_package("cron", true, false), None);
    }

    #[test]
    fn slim_tags_and_runtimes() {
        let slim = |image: &str| slim_tag(&ImageRef::parse(image));
        assert_eq!(
            slim("python:3.12-bookworm").as_deref(),
            Some("3.12-slim-bookworm")
        );
        assert_eq!(
            slim("node:20-bookworm").as_deref(),
            Some("20-bookworm-slim")
        );
        assert_eq!(slim("node:20").as_deref(), Some("20-slim"));
        assert_eq!(slim("debian:bookworm").as_deref(), Some("bookworm-slim"));
        assert_eq!(slim("python:3.12-alpine"), None);
        let runtime = |image: &str| {
            let image = ImageRef::parse(image);
            runtime_image(family(&image).unwrap(), &image, None)
        };
        assert_eq!(
            runtime("golang:1.22").as_deref(),
            Some("debian:bookworm-slim")
        );
        assert_eq!(
            runtime("maven:3-jdk-11").as_deref(),
            Some("eclipse-temurin:11-jre")
        );
    }
}
