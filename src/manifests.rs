//! What dependency manifests say, as far as moving an install before `COPY . .` needs: which
//! other files an install reads, and what makes it read the sources too.

/// Why an install cannot run on its manifests alone: a reason code and a sentence.
pub type Refusal = (&'static str, String);

/// The files a requirements file includes (`-r`/`-c`, relative to it), or why the install
/// needs more than manifests (an editable or local-path requirement).
pub fn requirement_includes(text: &str) -> Result<Vec<String>, Refusal> {
    let joined = text.replace("\\\r\n", "").replace("\\\n", "");
    let mut includes = Vec::new();
    for line in joined.lines() {
        let line = strip_requirement_comment(line).trim();
        if line.is_empty() {
            continue;
        }
        let mut words = line.split_whitespace();
        let first = words.next().unwrap_or_default();
        let (option, inline) = match first.split_once('=') {
            Some((option, value)) if first.starts_with("--") => (option, Some(value)),
            _ => (first, None),
        };
        let value = || {
            inline
                .map(str::to_string)
                .or_else(|| words.clone().next().map(str::to_string))
        };
        match option {
            "-r" | "--requirement" | "-c" | "--constraint" => {
                includes.extend(value());
            }
            _ if first.starts_with("-r") || first.starts_with("-c") => {
                includes.push(first[2..].to_string());
            }
            "-e" | "--editable" => {
                let target = value().unwrap_or_default();
                if !is_remote(&target) {
                    return Err((
                        "local-requirement",
                        format!("`{line}` installs local sources"),
                    ));
                }
            }
            "-f" | "--find-links" => {
                let target = value().unwrap_or_default();
                if !is_remote(&target) {
                    return Err((
                        "local-requirement",
                        format!("`{line}` reads a local folder"),
                    ));
                }
            }
            _ if is_local_requirement(line) => {
                return Err((
                    "local-requirement",
                    format!("`{line}` installs local sources"),
                ));
            }
            _ => {}
        }
    }
    Ok(includes)
}

/// A `#` starts a comment at the line start or after a blank (pip's rule).
fn strip_requirement_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    (0..bytes.len())
        .find(|&i| bytes[i] == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()))
        .map_or(line, |i| &line[..i])
}

fn is_remote(target: &str) -> bool {
    ["http://", "https://", "git+", "hg+", "svn+", "bzr+"]
        .iter()
        .any(|scheme| target.starts_with(scheme))
}

/// A requirement or argument naming a local path instead of a package (`.`, `./pkg`, `/src`,
/// `file:…`, `name @ file:…`).
pub fn is_local_requirement(spec: &str) -> bool {
    let spec = spec.trim_matches(|c| c == '"' || c == '\'');
    if is_remote(spec) {
        return false;
    }
    spec.starts_with('.')
        || spec.starts_with('/')
        || spec.starts_with("file:")
        || spec.contains("@ file:")
        || spec.ends_with(".whl")
        || spec.ends_with(".tar.gz")
        || spec.ends_with(".zip")
}

/// Why `npm ci`/`npm install` (or yarn, pnpm) on this `package.json` needs more than the
/// manifests: workspaces, local dependencies, lifecycle scripts (unless scripts are off).
pub fn package_json_refusal(text: &str, scripts_disabled: bool) -> Option<Refusal> {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
        return Some((
            "unreadable-manifest",
            "package.json is not valid JSON".to_string(),
        ));
    };
    if json.get("workspaces").is_some() {
        return Some((
            "workspaces",
            "package.json declares workspaces: their manifests live in several folders".to_string(),
        ));
    }
    for table in ["dependencies", "devDependencies", "optionalDependencies"] {
        let Some(deps) = json.get(table).and_then(|t| t.as_object()) else {
            continue;
        };
        for (name, version) in deps {
            let version = version.as_str().unwrap_or_default();
            if ["file:", "link:", "portal:", "workspace:"]
                .iter()
                .any(|prefix| version.starts_with(prefix))
            {
                return Some((
                    "local-dependency",
                    format!("dependency `{name}` is `{version}`: it needs the sources"),
                ));
            }
        }
    }
    let scripts = json.get("scripts").and_then(|s| s.as_object());
    if let Some(scripts) = scripts {
        if scripts
            .values()
            .any(|script| script.as_str().is_some_and(|s| s.contains("patch-package")))
        {
            return Some((
                "lifecycle-scripts",
                "patch-package applies patches from the sources during the install".to_string(),
            ));
        }
        if !scripts_disabled {
            let hooks = ["preinstall", "install", "postinstall", "prepare"];
            if let Some(hook) = hooks.iter().find(|hook| scripts.contains_key(**hook)) {
                return Some((
                    "lifecycle-scripts",
                    format!("the `{hook}` script runs during the install and may read the sources"),
                ));
            }
        }
    }
    None
}

/// Facts of a `go.mod`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct GoMod {
    /// It requires modules (else there is nothing to download).
    pub requires: bool,
    /// A `replace` points at a local directory (`=> ./x`): the download needs the sources.
    pub local_replace: bool,
}

pub fn go_mod(text: &str) -> GoMod {
    let mut facts = GoMod::default();
    for line in text.lines() {
        let line = line.split("//").next().unwrap_or_default().trim();
        if line.starts_with("require") {
            facts.requires = true;
        }
        if let Some((_, target)) = line.split_once("=>") {
            let target = target.trim();
            if target.starts_with("./") || target.starts_with("../") || target.starts_with('/') {
                facts.local_replace = true;
            }
        }
    }
    facts
}

/// Whether a `Cargo.toml` names any dependency (`[dependencies]`, `[build-dependencies]`,
/// `[dev-dependencies]`, also under `[target.…]`) or is a workspace root: else `cargo fetch` has
/// nothing to download. Text that is not TOML counts as having dependencies.
pub fn cargo_fetches(text: &str) -> bool {
    let Ok(manifest) = text.parse::<toml::Table>() else {
        return true;
    };
    let names = |table: &toml::Table| {
        ["dependencies", "build-dependencies", "dev-dependencies"]
            .iter()
            .any(|key| {
                table
                    .get(*key)
                    .and_then(|v| v.as_table())
                    .is_some_and(|t| !t.is_empty())
            })
    };
    let targets = manifest.get("target").and_then(|t| t.as_table());
    manifest.contains_key("workspace")
        || names(&manifest)
        || targets.is_some_and(|targets| targets.values().filter_map(|v| v.as_table()).any(names))
}

/// Why `bundle install` on this Gemfile needs more than the manifests.
pub fn gemfile_refusal(text: &str) -> Option<Refusal> {
    let code: Vec<&str> = text
        .lines()
        .map(|line| line.split('#').next().unwrap_or_default().trim())
        .collect();
    if code.iter().any(|line| line.starts_with("gemspec")) {
        return Some((
            "local-dependency",
            "the Gemfile installs the local gemspec".to_string(),
        ));
    }
    if code
        .iter()
        .any(|line| line.contains("path:") || line.contains(":path =>"))
    {
        return Some((
            "local-dependency",
            "the Gemfile has a `path:` gem".to_string(),
        ));
    }
    None
}

/// Facts of a `pyproject.toml` that Poetry and uv installs depend on.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PyProject {
    /// A dependency with a `path` (Poetry) or a uv workspace/path source.
    pub local_dependency: bool,
    /// `[tool.poetry] package-mode = false`: `poetry install` never installs the project.
    pub poetry_package_mode_off: bool,
    /// The readme file Poetry reads for the project's metadata.
    pub readme: Option<String>,
    /// `[tool.uv.workspace]`.
    pub uv_workspace: bool,
}

pub fn pyproject(text: &str) -> Result<PyProject, Refusal> {
    let table: toml::Table = text.parse().map_err(|_| {
        (
            "unreadable-manifest",
            "pyproject.toml is not valid TOML".to_string(),
        )
    })?;
    let tool = table.get("tool").and_then(|t| t.as_table());
    let poetry = tool
        .and_then(|t| t.get("poetry"))
        .and_then(|p| p.as_table());
    let uv = tool.and_then(|t| t.get("uv")).and_then(|u| u.as_table());
    let has_path = |value: &toml::Value| -> bool {
        value.as_table().is_some_and(|dependencies| {
            dependencies.values().any(|spec| {
                spec.as_table().is_some_and(|spec| {
                    spec.contains_key("path") || spec.get("workspace").is_some()
                })
            })
        })
    };
    let mut local_dependency = poetry.is_some_and(|poetry| {
        ["dependencies", "dev-dependencies"]
            .iter()
            .filter_map(|key| poetry.get(*key))
            .any(has_path)
            || poetry
                .get("group")
                .and_then(|groups| groups.as_table())
                .is_some_and(|groups| {
                    groups
                        .values()
                        .filter_map(|group| group.get("dependencies"))
                        .any(has_path)
                })
    });
    local_dependency |= uv.and_then(|uv| uv.get("sources")).is_some_and(has_path);
    let readme = poetry
        .and_then(|p| p.get("readme"))
        .or_else(|| table.get("project").and_then(|p| p.get("readme")))
        .and_then(|readme| readme.as_str())
        .map(str::to_string);
    Ok(PyProject {
        local_dependency,
        poetry_package_mode_off: poetry
            .and_then(|p| p.get("package-mode"))
            .and_then(|mode| mode.as_bool())
            == Some(false),
        readme,
        uv_workspace: uv.is_some_and(|uv| uv.contains_key("workspace")),
    })
}

/// Why `pipenv install` on this Pipfile needs more than the manifests.
pub fn pipfile_refusal(text: &str) -> Option<Refusal> {
    let local = text.lines().any(|line| {
        let line = line.split('#').next().unwrap_or_default();
        line.contains("path =") || line.contains("editable = true")
    });
    local.then(|| {
        (
            "local-dependency",
            "the Pipfile has a path or editable dependency".to_string(),
        )
    })
}

/// The project files a .NET project or solution references, with `/` separators: a project's
/// `<ProjectReference Include="..\\lib\\lib.csproj" />`, a solution's `Project(…) = "name",
/// "path\\to.csproj", …` lines.
pub fn project_references(text: &str) -> Vec<String> {
    let mut references = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        let path = if line.starts_with("<ProjectReference") {
            line.split("Include=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
        } else if line.starts_with("Project(") {
            line.split(',')
                .nth(1)
                .map(|field| field.trim().trim_matches('"'))
        } else {
            None
        };
        if let Some(path) = path.filter(|p| p.ends_with("proj")) {
            references.push(path.replace('\\', "/"));
        }
    }
    references
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirements_includes_and_local_paths() {
        let text = "flask==3.0  # web\n-r base.txt\n--requirement=dev.txt\n-c constraints.txt\n-rextra.txt\n--hash=sha256:x \\\n  more\n-e git+https://x/y#egg=y\n";
        assert_eq!(
            requirement_includes(text).unwrap(),
            ["base.txt", "dev.txt", "constraints.txt", "extra.txt"]
        );
        for local in [
            "-e .\n",
            ".\n",
            "./pkg\n",
            "name @ file:///src\n",
            "-f ./wheels\n",
        ] {
            assert_eq!(
                requirement_includes(local).unwrap_err().0,
                "local-requirement",
                "{local}"
            );
        }
        assert!(requirement_includes("https://x/pkg.whl\n").is_ok());
        assert!(requirement_includes("dist/pkg.whl\n").is_err());
    }

    #[test]
    fn package_json_refusals() {
        assert_eq!(
            package_json_refusal(r#"{"dependencies":{"a":"^1"}}"#, false),
            None
        );
        assert_eq!(
            package_json_refusal(r#"{"workspaces":["a"]}"#, false)
                .unwrap()
                .0,
            "workspaces"
        );
        assert_eq!(
            package_json_refusal(r#"{"dependencies":{"a":"file:../a"}}"#, false)
                .unwrap()
                .0,
            "local-dependency"
        );
        let postinstall = r#"{"scripts":{"postinstall":"node build.js"}}"#;
        assert_eq!(
            package_json_refusal(postinstall, false).unwrap().0,
            "lifecycle-scripts"
        );
        assert_eq!(package_json_refusal(postinstall, true), None);
        assert_eq!(
            package_json_refusal("{", false).unwrap().0,
            "unreadable-manifest"
        );
    }

    #[test]
    fn dotnet_references() {
        let csproj = "<Project>\n  <ItemGroup>\n    <ProjectReference Include=\"..\\Lib\\Lib.csproj\" />\n  </ItemGroup>\n</Project>\n";
        assert_eq!(project_references(csproj), ["../Lib/Lib.csproj"]);
        let sln = "Project(\"{FAE04EC0}\") = \"Api\", \"src\\Api\\Api.csproj\", \"{1}\"\nEndProject\nProject(\"{2150E333}\") = \"Solution Items\", \"Solution Items\", \"{2}\"\n";
        assert_eq!(project_references(sln), ["src/Api/Api.csproj"]);
    }

    #[test]
    fn cargo_dependencies() {
        let package = "[package]\nname = \"x\"\nversion = \"0.1.0\"\n";
        assert!(!cargo_fetches(package));
        assert!(!cargo_fetches(&format!("{package}[dependencies]\n")));
        assert!(cargo_fetches(&format!(
            "{package}[dependencies]\nserde = \"1\"\n"
        )));
        assert!(cargo_fetches(&format!(
            "{package}[target.'cfg(unix)'.dependencies]\nlibc = \"0.2\"\n"
        )));
        assert!(cargo_fetches("[workspace]\nmembers = [\"a\"]\n"));
        assert!(cargo_fetches("not toml ["));
    }

    #[test]
    fn go_mod_facts() {
        let text = "module x\n\ngo 1.22\n\nrequire (\n\tgithub.com/a/b v1.0.0\n)\n";
        assert_eq!(
            go_mod(text),
            GoMod {
                requires: true,
                local_replace: false
            }
        );
        assert!(go_mod("module x\nreplace a => ./a\n").local_replace);
        assert!(!go_mod("module x\nreplace a => b v1.2.0\n").local_replace);
        assert!(!go_mod("module x\ngo 1.22\n").requires);
    }

    #[test]
    fn gemfile_and_pipfile_refusals() {
        assert!(gemfile_refusal("source 'x'\ngem 'rails'\n").is_none());
        assert!(gemfile_refusal("gemspec\n").is_some());
        assert!(gemfile_refusal("gem 'a', path: 'vendor/a'\n").is_some());
        assert!(pipfile_refusal("[packages]\nflask = \"*\"\n").is_none());
        assert!(pipfile_refusal("[packages]\na = {path = \".\", editable = true}\n").is_some());
    }

    #[test]
    fn pyproject_facts() {
        let poetry = "[tool.poetry]\nname='x'\nreadme='README.md'\npackage-mode=false\n[tool.poetry.dependencies]\npython='^3.12'\n";
        let facts = pyproject(poetry).unwrap();
        assert!(facts.poetry_package_mode_off);
        assert_eq!(facts.readme.as_deref(), Some("README.md"));
        assert!(!facts.local_dependency);
        let path = "[tool.poetry.group.dev.dependencies]\nlib={path='../lib'}\n";
        assert!(pyproject(path).unwrap().local_dependency);
        assert!(
            pyproject("[tool.uv.workspace]\nmembers=['a']\n")
                .unwrap()
                .uv_workspace
        );
        assert!(pyproject("not toml [").is_err());
    }
}
