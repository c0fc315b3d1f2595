//! Which jar a Maven or Gradle build writes, read from its build files (RULES.md DF300): Maven's
//! `target/<finalName or artifactId-version>.jar`, Gradle's `build/libs/<name>[-<version>].jar`.
//! Anything that could rename the jar or write a second one beside it (another plugin, a
//! classifier, a profile, a property set elsewhere, Spring Boot's plain jar) is a refusal: the
//! caller resolves a shell glob such as `target/*.jar` to this one file.

use std::sync::LazyLock;

use regex::Regex;

use crate::manifests::Refusal;

/// Plugins that write no jar into `target/` besides the main one and do not rename it (the
/// Spring Boot plugin repackages the main jar in place, keeping the original as
/// `<name>.jar.original`).
const MAVEN_QUIET_PLUGINS: &[&str] = &[
    "maven-compiler-plugin",
    "maven-resources-plugin",
    "maven-surefire-plugin",
    "maven-failsafe-plugin",
    "maven-jar-plugin",
    "maven-clean-plugin",
    "maven-install-plugin",
    "maven-deploy-plugin",
    "maven-enforcer-plugin",
    "maven-site-plugin",
    "spring-boot-maven-plugin",
    "jacoco-maven-plugin",
    "kotlin-maven-plugin",
    "git-commit-id-plugin",
    "git-commit-id-maven-plugin",
];

/// Plugin configuration that renames the jar, moves it or adds one (`test-jar`).
const MAVEN_JAR_SETTINGS: &[&str] = &["classifier", "finalName", "outputDirectory"];

/// A parent POM known to set neither `finalName` nor the build directory.
const MAVEN_QUIET_PARENTS: &[(&str, &str)] =
    &[("org.springframework.boot", "spring-boot-starter-parent")];

fn refuse<T>(reason: &'static str, why: impl Into<String>) -> Result<T, Refusal> {
    Err((reason, why.into()))
}

fn element<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children()
        .find(|child| child.is_element() && child.tag_name().name() == name)
}

fn elements<'a, 'i>(
    node: roxmltree::Node<'a, 'i>,
    name: &'static str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> {
    node.children()
        .filter(move |child| child.is_element() && child.tag_name().name() == name)
}

fn text<'a>(node: roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
    element(node, name).and_then(|n| n.text()).map(str::trim)
}

/// The file name of the jar `mvn package` writes to `target/`; `overridden`: the properties
/// set on the command line (`-D`, `.mvn/maven.config`), which win over the pom's.
pub fn maven_jar(pom: &str, overridden: &[String]) -> Result<String, Refusal> {
    let unreadable = || {
        (
            "unreadable-manifest",
            "pom.xml is not well-formed XML".to_string(),
        )
    };
    let document = roxmltree::Document::parse(pom).map_err(|_| unreadable())?;
    let project = document.root_element();
    if project.tag_name().name() != "project" {
        return Err(unreadable());
    }
    if element(project, "modules").is_some_and(|m| m.children().any(|c| c.is_element())) {
        return refuse("workspaces", "pom.xml builds several modules");
    }
    if let Some(packaging) = text(project, "packaging").filter(|p| *p != "jar") {
        return refuse(
            "artifact-unknown",
            format!("pom.xml's packaging is `{packaging}`, not `jar`"),
        );
    }
    let build = element(project, "build");
    if build.is_some_and(|b| element(b, "directory").is_some()) {
        return refuse(
            "artifact-unknown",
            "pom.xml moves the build directory (`<directory>`)",
        );
    }
    for plugin in build
        .and_then(|b| element(b, "plugins"))
        .into_iter()
        .flat_map(|plugins| elements(plugins, "plugin"))
    {
        let id = text(plugin, "artifactId").unwrap_or_default();
        if !MAVEN_QUIET_PLUGINS.contains(&id) {
            return refuse(
                "several-artifacts",
                format!("the Maven plugin `{id}` may write another jar to target/ or rename it"),
            );
        }
        let renames = plugin.descendants().find(|n| {
            n.is_element()
                && (MAVEN_JAR_SETTINGS.contains(&n.tag_name().name())
                    || n.tag_name().name() == "goal" && n.text().map(str::trim) == Some("test-jar"))
        });
        if let Some(setting) = renames {
            return refuse(
                "several-artifacts",
                format!(
                    "the Maven plugin `{id}` sets `<{}>`: another jar or another name",
                    setting.tag_name().name()
                ),
            );
        }
    }
    let profiles: Vec<_> = element(project, "profiles")
        .into_iter()
        .flat_map(|p| elements(p, "profile"))
        .collect();
    if profiles.iter().any(|p| element(*p, "build").is_some()) {
        return refuse(
            "artifact-unknown",
            "a Maven profile changes the build: the jar's name depends on the profiles active",
        );
    }
    let parent = element(project, "parent");
    let finalname = build.and_then(|b| text(b, "finalName"));
    if let (None, Some(parent)) = (finalname, parent) {
        let id = (
            text(parent, "groupId").unwrap_or_default(),
            text(parent, "artifactId").unwrap_or_default(),
        );
        if !MAVEN_QUIET_PARENTS.contains(&id) {
            return refuse(
                "artifact-unknown",
                format!(
                    "the parent POM `{}:{}` may set the jar's `finalName`",
                    id.0, id.1
                ),
            );
        }
    }
    let field =
        |name: &str| text(project, name).or_else(|| parent.and_then(|parent| text(parent, name)));
    let lookup = |name: &str| -> Result<String, Refusal> {
        let value = match name {
            "project.artifactId" | "pom.artifactId" | "artifactId" => text(project, "artifactId"),
            "project.version" | "pom.version" | "version" => field("version"),
            "project.groupId" | "pom.groupId" | "groupId" => field("groupId"),
            "project.parent.version" | "parent.version" => {
                parent.and_then(|parent| text(parent, "version"))
            }
            _ if overridden.iter().any(|o| o == name) => {
                return refuse(
                    "artifact-unknown",
                    format!("the Maven command line sets the property `{name}`"),
                )
            }
            _ if profiles.iter().any(|p| {
                element(*p, "properties").is_some_and(|props| element(props, name).is_some())
            }) =>
            {
                return refuse(
                    "artifact-unknown",
                    format!("a Maven profile sets the property `{name}`"),
                )
            }
            _ => element(project, "properties").and_then(|props| text(props, name)),
        };
        value.map(str::to_string).ok_or((
            "artifact-unknown",
            format!("pom.xml does not define `${{{name}}}`"),
        ))
    };
    let template = finalname.unwrap_or("${project.artifactId}-${project.version}");
    let name = interpolate(template, &lookup, 0)?;
    if name.is_empty() || name.contains(['/', '\\']) {
        return refuse(
            "artifact-unknown",
            format!("the jar name `{name}` is not a file name"),
        );
    }
    Ok(format!("{name}.jar"))
}

/// `value` with every `${name}` replaced by `lookup(name)`, itself interpolated (a bounded
/// depth: Maven refuses cycles too).
fn interpolate(
    value: &str,
    lookup: &dyn Fn(&str) -> Result<String, Refusal>,
    depth: usize,
) -> Result<String, Refusal> {
    if depth > 8 {
        return refuse(
            "artifact-unknown",
            "pom.xml's properties refer to each other",
        );
    }
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        out.push_str(&rest[..start]);
        let name = &rest[start + 2..start + end];
        out.push_str(&interpolate(&lookup(name)?, lookup, depth + 1)?);
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Build-script words that rename the jar, move it, add another, or configure other projects.
const GRADLE_JAR_SETTINGS: &[&str] = &[
    "archive",
    "baseName",
    "classifier",
    "destinationDir",
    "buildDir",
    "layout.buildDirectory",
    "libsDir",
    "shadow",
    "withSourcesJar",
    "withJavadocJar",
    "register<Jar>",
    "create<Jar>",
    "type: Jar",
    "Jar::class",
    ", Jar)",
    "apply from",
    "subprojects",
    "allprojects",
    "project.version",
    "setVersion",
];

static WAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b[ew]ar\b").unwrap());
static VERSION_LINE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^version\b").unwrap());
static VERSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^version\s*(?:=\s*)?(?:"([^"$\\]*)"|'([^'$\\]*)')\s*;?$"#).unwrap()
});
static ROOT_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"rootProject\.name\s*=\s*(?:"([^"$\\]*)"|'([^'$\\]*)')"#).unwrap()
});
static INCLUDE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\binclude(?:Build|Flat)?\b").unwrap());
static JAR_DISABLED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bjar\.(?:enabled|isEnabled)\s*=\s*false\b").unwrap());
static JAR_BLOCK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:\bjar|\b(?:named|getByName)(?:<Jar>)?\(\s*["']jar["']\s*\))\s*\{"#).unwrap()
});
static DISABLED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:enabled|isEnabled)\s*(?:=\s*)?false\b").unwrap());

/// Gradle code without `//` comments (a `//` at the line start or after a blank: not `https://`).
fn gradle_code(text: &str) -> String {
    text.lines()
        .map(|line| {
            let cut = line
                .match_indices("//")
                .find(|(i, _)| *i == 0 || line.as_bytes()[i - 1].is_ascii_whitespace())
                .map_or(line.len(), |(i, _)| i);
            line[..cut].trim()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text of a `String` literal captured by one of the two quote groups.
fn quoted(captures: &regex::Captures) -> String {
    captures
        .get(1)
        .or_else(|| captures.get(2))
        .map_or(String::new(), |m| m.as_str().to_string())
}

/// The file name of the jar a Gradle build of a single project writes to `build/libs/`:
/// `<rootProject.name>[-<version>].jar`, the name defaulting to the project folder's
/// (`dir_name`), the version omitted when unset (Gradle's `unspecified`).
pub fn gradle_jar(
    settings: Option<&str>,
    script: &str,
    properties: Option<&str>,
    dir_name: &str,
) -> Result<String, Refusal> {
    let script = gradle_code(script);
    if let Some(word) = GRADLE_JAR_SETTINGS.iter().find(|w| script.contains(**w)) {
        return refuse(
            "artifact-unknown",
            format!("the build script configures its jars or projects (`{word}`)"),
        );
    }
    if WAR.is_match(&script) {
        return refuse("artifact-unknown", "the build script builds a war or ear");
    }
    if script.contains("org.springframework.boot") && !jar_task_disabled(&script) {
        return refuse(
            "several-artifacts",
            "Spring Boot's Gradle plugin writes the boot jar and a `-plain.jar` beside it (unless `jar { enabled = false }`)",
        );
    }
    let settings = settings.map(gradle_code).unwrap_or_default();
    if INCLUDE.is_match(&settings) {
        return refuse("workspaces", "settings.gradle includes other projects");
    }
    let name = match ROOT_NAME.captures(&settings) {
        Some(captures) => quoted(&captures),
        None if settings.contains("rootProject.name") => {
            return refuse(
                "artifact-unknown",
                "settings.gradle sets rootProject.name from an expression",
            )
        }
        None => dir_name.to_string(),
    };
    if name.is_empty() || name.contains(['/', '\\']) {
        return refuse("artifact-unknown", "the root project's name is unknown");
    }
    let mut versions = Vec::new();
    for line in script.lines().filter(|line| VERSION_LINE.is_match(line)) {
        match VERSION.captures(line) {
            Some(captures) => versions.push(quoted(&captures)),
            None => {
                return refuse(
                    "artifact-unknown",
                    format!("the build script sets the version from an expression (`{line}`)"),
                )
            }
        }
    }
    versions.dedup();
    let version = match versions.as_slice() {
        [] => properties_version(properties.unwrap_or_default())?,
        [one] => Some(one.clone()),
        _ => return refuse("artifact-unknown", "the build script sets several versions"),
    };
    Ok(
        match version.filter(|v| !v.is_empty() && v != "unspecified") {
            Some(version) => format!("{name}-{version}.jar"),
            None => format!("{name}.jar"),
        },
    )
}

/// `version` of a `gradle.properties` (Java properties: `key=value`, `key: value`, `key value`).
fn properties_version(text: &str) -> Result<Option<String>, Refusal> {
    for line in text.lines().map(str::trim_start) {
        let Some(rest) = line.strip_prefix("version") else {
            continue;
        };
        let rest = rest.trim_start();
        let value = match rest.strip_prefix(['=', ':']) {
            Some(value) => value,
            None if line.len() > "version".len() + rest.len() => rest,
            None => continue,
        };
        let value = value.trim();
        if value.contains(['\\', '$']) {
            return refuse(
                "artifact-unknown",
                "gradle.properties sets the version with escapes",
            );
        }
        return Ok(Some(value.to_string()));
    }
    Ok(None)
}

/// The build script disables the `jar` task (`jar { enabled = false }`, `tasks.jar.enabled =
/// false`, `tasks.named<Jar>("jar") { enabled = false }`).
fn jar_task_disabled(script: &str) -> bool {
    JAR_DISABLED.is_match(script)
        || JAR_BLOCK.find_iter(script).any(|open| {
            let body = &script[open.end()..];
            let mut depth = 1;
            let end = body
                .char_indices()
                .find(|&(_, c)| {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .map_or(body.len(), |(i, _)| i);
            DISABLED.is_match(&body[..end])
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pom(body: &str) -> String {
        format!(
            r#"<?xml version="1.0"?><project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>{body}</project>"#
        )
    }

    fn reason<T: std::fmt::Debug>(result: Result<T, Refusal>) -> &'static str {
        result.unwrap_err().0
    }

    #[test]
    fn maven_names_the_jar_from_final_name_or_artifact_and_version() {
        let plain = pom("<groupId>x</groupId><artifactId>demo</artifactId><version>1.0</version>");
        assert_eq!(maven_jar(&plain, &[]).unwrap(), "demo-1.0.jar");
        let final_name = pom(
            "<artifactId>demo</artifactId><version>1.0</version><properties><tier>web</tier></properties>\
             <build><finalName>${project.artifactId}-${tier}</finalName></build>",
        );
        assert_eq!(maven_jar(&final_name, &[]).unwrap(), "demo-web.jar");
        let boot = pom(
            "<parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.2.0</version></parent>\
             <artifactId>app</artifactId><version>${revision}</version><properties><revision>2.1</revision></properties>\
             <build><plugins><plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build>",
        );
        assert_eq!(maven_jar(&boot, &[]).unwrap(), "app-2.1.jar");
        let inherited = pom(
            "<parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.2.0</version></parent><artifactId>app</artifactId>",
        );
        assert_eq!(maven_jar(&inherited, &[]).unwrap(), "app-3.2.0.jar");
    }

    #[test]
    fn maven_refuses_what_could_rename_the_jar_or_add_one() {
        let cases = [
            ("<artifactId>a</artifactId><version>1</version><modules><module>m</module></modules>", "workspaces"),
            ("<artifactId>a</artifactId><version>1</version><packaging>war</packaging>", "artifact-unknown"),
            ("<parent><groupId>com.acme</groupId><artifactId>base</artifactId><version>1</version></parent><artifactId>a</artifactId>", "artifact-unknown"),
            ("<artifactId>a</artifactId><version>1</version><build><plugins><plugin><artifactId>maven-shade-plugin</artifactId></plugin></plugins></build>", "several-artifacts"),
            ("<artifactId>a</artifactId><version>1</version><build><plugins><plugin><artifactId>spring-boot-maven-plugin</artifactId><configuration><classifier>exec</classifier></configuration></plugin></plugins></build>", "several-artifacts"),
            ("<artifactId>a</artifactId><version>1</version><build><plugins><plugin><artifactId>maven-jar-plugin</artifactId><executions><execution><goals><goal>test-jar</goal></goals></execution></executions></plugin></plugins></build>", "several-artifacts"),
            ("<artifactId>a</artifactId><version>1</version><build><directory>out</directory></build>", "artifact-unknown"),
            ("<artifactId>a</artifactId><version>1</version><profiles><profile><id>p</id><build><finalName>x</finalName></build></profile></profiles>", "artifact-unknown"),
            ("<artifactId>a</artifactId><version>${revision}</version>", "artifact-unknown"),
            ("<artifactId>a</artifactId><version>${revision}</version><properties><revision>1</revision></properties><profiles><profile><properties><revision>2</revision></properties></profile></profiles>", "artifact-unknown"),
            ("<artifactId>a</artifactId><version>1</version><build><finalName>${env.NAME}</finalName></build>", "artifact-unknown"),
            ("<artifactId>a</artifactId><version>${a}</version><properties><a>${b}</a><b>${a}</b></properties>", "artifact-unknown"),
        ];
        for (body, expected) in cases {
            assert_eq!(reason(maven_jar(&pom(body), &[])), expected, "{body}");
        }
        assert_eq!(
            reason(maven_jar("<project><artifactId>", &[])),
            "unreadable-manifest"
        );
        let revision = pom("<artifactId>a</artifactId><version>${revision}</version><properties><revision>1</revision></properties>");
        assert_eq!(maven_jar(&revision, &[]).unwrap(), "a-1.jar");
        assert_eq!(
            reason(maven_jar(&revision, &["revision".to_string()])),
            "artifact-unknown"
        );
    }

    #[test]
    fn gradle_names_the_jar_from_settings_and_version() {
        let script = "plugins { id 'java' }\nversion = '1.2.0' // release\n";
        assert_eq!(
            gradle_jar(Some("rootProject.name = 'demo'\n"), script, None, "project").unwrap(),
            "demo-1.2.0.jar"
        );
        assert_eq!(
            gradle_jar(None, "plugins { id 'java' }\n", None, "project").unwrap(),
            "project.jar"
        );
        assert_eq!(
            gradle_jar(
                Some("rootProject.name = \"svc\""),
                "plugins { java }\n",
                Some("# build\nversion=0.3\n"),
                "x"
            )
            .unwrap(),
            "svc-0.3.jar"
        );
        let boot = "plugins {\n  id 'java'\n  id 'org.springframework.boot' version '3.2.0'\n}\nversion = '0.0.1-SNAPSHOT'\njar {\n  enabled = false\n}\n";
        assert_eq!(
            gradle_jar(Some("rootProject.name = 'app'"), boot, None, "x").unwrap(),
            "app-0.0.1-SNAPSHOT.jar"
        );
        let kotlin = "plugins { id(\"org.springframework.boot\") version \"3.2.0\" }\ntasks.named<Jar>(\"jar\") { isEnabled = false }\n";
        assert_eq!(gradle_jar(None, kotlin, None, "app").unwrap(), "app.jar");
        assert_eq!(
            gradle_jar(
                None,
                "plugins { id 'org.springframework.boot' }\ntasks.jar.enabled = false\n",
                None,
                "app"
            )
            .unwrap(),
            "app.jar"
        );
    }

    #[test]
    fn gradle_refuses_what_could_rename_the_jar_or_add_one() {
        let cases = [
            (
                None,
                "plugins { id 'org.springframework.boot' version '3.2.0' }\n",
                "several-artifacts",
            ),
            (
                None,
                "plugins { id 'org.springframework.boot' }\njar { manifest { } }\n",
                "several-artifacts",
            ),
            (
                None,
                "bootJar { archiveFileName = 'app.jar' }\n",
                "artifact-unknown",
            ),
            (
                None,
                "plugins { id 'com.github.johnrengelman.shadow' }\n",
                "artifact-unknown",
            ),
            (None, "java { withSourcesJar() }\n", "artifact-unknown"),
            (None, "plugins { id 'war' }\n", "artifact-unknown"),
            (None, "version = System.getenv('V')\n", "artifact-unknown"),
            (None, "version = \"${major}.1\"\n", "artifact-unknown"),
            (
                Some("rootProject.name = 'a'\ninclude 'lib'\n"),
                "",
                "workspaces",
            ),
            (
                Some("rootProject.name = property('n')\n"),
                "",
                "artifact-unknown",
            ),
        ];
        for (settings, script, expected) in cases {
            assert_eq!(
                reason(gradle_jar(settings, script, None, "app")),
                expected,
                "{script}"
            );
        }
    }
}
