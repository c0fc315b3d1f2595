//! DF101 `apt-no-install-recommends` · Safe · shipped stages · hadolint DL3015
//!
//! **What it does.** Adds `--no-install-recommends` to `apt-get install` / `apt install`.
//!
//! **Why.** apt installs every package's *Recommends* by default: documentation, extra tools
//! and libraries the image never uses, often doubling its size.
//!
//! **When it is already satisfied.** `--no-install-recommends` or `--install-recommends` (an
//! explicit choice), `-o APT::Install-Recommends=V` in any spelling, an earlier RUN of the
//! stage (or its parents) writing `APT::Install-Recommends` to apt's configuration, or
//! `APT_CONFIG` set.
//!
//! **Compensations.** Some packages are useless without what they only recommend; the fix adds
//! those back explicitly (a package already present is a no-op): `ca-certificates` for TLS
//! clients (curl, wget, git …: without it HTTPS fails), `libc6-dev` for C compilers (without
//! it nothing links), `dirmngr` for gnupg when keys are fetched from a keyserver, `netbase` for
//! git and perl (without `/etc/services` service-name lookups fail).
//!
//! **Fix safety.** Safe with the compensations above. Unsafe when the package list is not
//! literal (`$PKGS`: what it recommends is unknown) or names a package whose recommends are a
//! toolchain the build likely uses (`python3-pip`, `npm`, `texlive*`, `locales`,
//! `software-properties-common`); the note names what may be lost.
//!
//! **Skips** (shown with `--show-skipped`): exec-form, ONBUILD, opaque, non-POSIX shell,
//! heredoc that is not the script, shell syntax errors, commands inside `$( )`/`eval`,
//! options from a variable before the subcommand; a wrapper RULES.md §1 does not look through
//! running `apt-get install` (`apt-dpkg-wrap apt-get install …`, a base image's own script:
//! `unknown-wrapper`).

use crate::config::Settings;
use crate::document::Document;
use crate::fix::{Finding, Fix};
use crate::shell::{Nesting, Word};
use crate::shell_rules::{
    first_operand, gated_finding, scan_runs, Operand, RunCommand, Scope, APT_OPTIONS_WITH_VALUE,
};

const CODE: &str = "DF101";
const FLAG: &str = "--no-install-recommends";

/// Packages whose recommends are a toolchain or data the build likely relies on.
const LOSSY: &[(&str, &str)] = &[
    ("python3-pip", "build-essential and python3-dev"),
    ("npm", "build-essential"),
    ("texlive", "fonts and TeX packages"),
    ("locales", "locale data"),
    (
        "software-properties-common",
        "python3-launchpadlib and unattended-upgrades",
    ),
];

/// Packages that need a package they only recommend, and that package.
const TLS_CLIENTS: &[&str] = &[
    "curl",
    "wget",
    "git",
    "git-core",
    "subversion",
    "gnupg",
    "gnupg2",
    "dirmngr",
    "openssh-client",
    "python3-pip",
];
const C_COMPILERS: &[&str] = &["gcc", "g++", "cc", "clang", "gfortran"];
/// `netbase` (`/etc/services`, `/etc/protocols`) arrives with these only as a Recommends (git →
/// perl → netbase): without it, service-name lookups such as `getaddrinfo(host, "https")`
/// fail. Found by the real build of `testdata/e2e/apt-site`.
const NETBASE_USERS: &[&str] = &["git", "git-core", "perl"];

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    let scan = scan_runs(document, Scope::Shipped, |text| text.contains("apt"));
    let mut findings: Vec<Finding> = scan
        .gated
        .iter()
        .filter(|(instruction, _)| mentions_install(&instruction.logical.text))
        .map(|(instruction, reason)| {
            gated_finding(
                CODE,
                instruction,
                reason,
                "apt install without --no-install-recommends",
            )
        })
        .collect();
    for run in &scan.commands {
        findings.extend(check_command(document, run));
    }
    findings
}

/// Cheap text test for skip reports: an apt install without the flag.
fn mentions_install(text: &str) -> bool {
    (text.contains("apt-get") || text.contains("apt "))
        && text.contains("install")
        && !text.contains(FLAG)
        && !text.contains("Install-Recommends")
}

fn check_command(document: &Document, run: &RunCommand) -> Option<Finding> {
    let command = &run.command;
    if !matches!(command.basename(), Some("apt-get" | "apt")) {
        return unknown_wrapper(run);
    }
    let args = &command.args;
    let install = match first_operand(args, APT_OPTIONS_WITH_VALUE) {
        Operand::At(i) if args[i].value.as_deref() == Some("install") => i,
        Operand::Dynamic if args.iter().any(|w| w.value.as_deref() == Some("install")) => {
            return Some(skip(
                run,
                "dynamic-flags",
                "options from a variable may hold the flag",
            ));
        }
        _ => return None,
    };
    if sets_install_recommends(args) || configured_elsewhere(document, run.index) {
        return None;
    }
    if command.nesting == Nesting::Substitution {
        return Some(skip(
            run,
            "nested-shell",
            "the command runs in a nested shell",
        ));
    }
    let packages = package_words(&args[install + 1..]);
    let message = format!("`{} install` without `{FLAG}`", command.basename()?);
    let mut edits = vec![run.insert_after(&args[install], &format!(" {FLAG}"))];

    if let Some(note) = unsafe_reason(&packages) {
        return Some(
            run.finding(CODE, message)
                .with_fix(Fix::unsafe_because(edits, note)),
        );
    }
    let names: Vec<&str> = packages.iter().filter_map(|w| package_name(w)).collect();
    let compensations = compensations(document, run, &names);
    if let (Some(last), false) = (packages.last(), compensations.is_empty()) {
        edits.push(run.insert_after(last, &format!(" {}", compensations.join(" "))));
    }
    let mut fix = Fix::safe(edits);
    if !compensations.is_empty() {
        fix.note = Some(format!(
            "also installs {} explicitly: it was only a recommended package",
            compensations.join(", ")
        ));
    }
    Some(run.finding(CODE, message).with_fix(fix))
}

fn skip(run: &RunCommand, reason: &'static str, message: &str) -> Finding {
    Finding::skip(CODE, run.file_range(&run.command.range), reason, message)
}

/// The flag or `-o APT::Install-Recommends=…` (any spelling) is already there.
fn sets_install_recommends(args: &[Word]) -> bool {
    let values: Vec<&str> = args.iter().filter_map(|w| w.value.as_deref()).collect();
    values.iter().enumerate().any(|(i, value)| {
        let option_value = match *value {
            "--no-install-recommends" | "--install-recommends" => return true,
            "-o" | "--option" => values.get(i + 1).copied(),
            other => other
                .strip_prefix("--option=")
                .or_else(|| other.strip_prefix("-o")),
        };
        option_value.is_some_and(|setting| {
            setting
                .to_ascii_lowercase()
                .starts_with("apt::install-recommends")
        })
    })
}

/// An earlier RUN of the stage or its parents configures apt's recommends, or `APT_CONFIG`
/// points apt at a configuration we cannot read.
fn configured_elsewhere(document: &Document, index: usize) -> bool {
    if document.env_value(index, "APT_CONFIG").is_some() {
        return true;
    }
    document.instructions_before(index).into_iter().any(|i| {
        let text = &document.instructions[i].logical.text;
        text.contains("APT::Install-Recommends") && text.contains("/etc/apt/apt.conf")
    })
}

/// Operands after `install`: package words (not options, not option values).
fn package_words(args: &[Word]) -> Vec<&Word> {
    let mut words = Vec::new();
    let mut i = 0;
    while let Some(word) = args.get(i) {
        match word.value.as_deref() {
            Some(value) if APT_OPTIONS_WITH_VALUE.contains(&value) => i += 1,
            Some(value) if value.starts_with('-') => {}
            _ => words.push(word),
        }
        i += 1;
    }
    words
}

/// `curl=7.88.1-10` and `curl/bookworm` name `curl`; `None` for a non-literal word.
fn package_name(word: &Word) -> Option<&str> {
    let value = word.value.as_deref()?;
    Some(value.split(['=', '/']).next().unwrap_or(value))
}

fn unsafe_reason(packages: &[&Word]) -> Option<String> {
    if packages.iter().any(|w| w.value.is_none()) {
        return Some(
            "the package list is not literal: packages it needed only as recommends may be lost"
                .to_string(),
        );
    }
    packages
        .iter()
        .filter_map(|w| package_name(w))
        .find_map(|name| {
            LOSSY
                .iter()
                .find(|(package, _)| name == *package || name.starts_with(&format!("{package}-")))
                .map(|(package, lost)| {
                    format!("{package} recommends {lost}, which the build may rely on")
                })
        })
}

/// Packages to add back because a requested package needs what it only recommends.
fn compensations(document: &Document, run: &RunCommand, names: &[&str]) -> Vec<&'static str> {
    let mut out = Vec::new();
    let wanted = |package: &str, out: &Vec<&str>| {
        !names.contains(&package)
            && !out.contains(&package)
            && !installed_before(document, run.index, package)
    };
    let tls = names
        .iter()
        .any(|name| TLS_CLIENTS.contains(name) || name.starts_with("libcurl"));
    if tls && wanted("ca-certificates", &out) {
        out.push("ca-certificates");
    }
    if names.iter().any(|name| C_COMPILERS.contains(name)) && wanted("libc6-dev", &out) {
        out.push("libc6-dev");
    }
    if names.iter().any(|name| NETBASE_USERS.contains(name)) && wanted("netbase", &out) {
        out.push("netbase");
    }
    let gnupg = names.iter().any(|name| name.starts_with("gnupg"));
    if gnupg && fetches_keys(document, run.index) && wanted("dirmngr", &out) {
        out.push("dirmngr");
    }
    out
}

/// An earlier RUN of the stage or its parents mentions the package (installed it, most likely).
fn installed_before(document: &Document, index: usize, package: &str) -> bool {
    document
        .instructions_before(index)
        .into_iter()
        .any(|i| document.instructions[i].logical.text.contains(package))
}

/// This RUN or a later one of its stage fetches keys from a keyserver.
fn fetches_keys(document: &Document, index: usize) -> bool {
    let stage = document.instructions[index].stage;
    document.instructions[index..]
        .iter()
        .take_while(|i| i.stage == stage)
        .any(|i| i.logical.text.contains("--recv-keys") || i.logical.text.contains("--keyserver"))
}

/// `W apt-get install …` where `W` is not a wrapper dockfix looks through (a base image's own
/// script such as jitsi's `apt-dpkg-wrap`): what it does with the arguments is unknown, so the
/// install is reported as skipped instead of passing silently.
fn unknown_wrapper(run: &RunCommand) -> Option<Finding> {
    let command = &run.command;
    let values: Vec<Option<&str>> = command.arg_values().collect();
    let wraps_apt = matches!(values.first(), Some(Some("apt-get" | "apt")))
        && values.contains(&Some("install"))
        && !values.contains(&Some(FLAG))
        && !matches!(command.basename(), Some("echo" | "printf"));
    wraps_apt.then(|| {
        skip(
            run,
            "unknown-wrapper",
            "`apt-get install` runs through a wrapper dockfix does not know",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(value: &str) -> Word {
        Word {
            range: 0..0,
            value: Some(value.to_string()),
        }
    }

    #[test]
    fn recognises_every_spelling_of_the_setting() {
        for args in [
            vec!["install", "--no-install-recommends", "x"],
            vec!["--install-recommends", "install", "x"],
            vec!["-o", "APT::Install-Recommends=false", "install"],
            vec!["-oAPT::Install-Recommends=0", "install"],
            vec!["--option=apt::install-recommends=no", "install"],
        ] {
            let words: Vec<Word> = args.into_iter().map(word).collect();
            assert!(sets_install_recommends(&words));
        }
        let words: Vec<Word> = ["-o", "Debug::X=1", "install"]
            .into_iter()
            .map(word)
            .collect();
        assert!(!sets_install_recommends(&words));
    }

    #[test]
    fn package_words_skip_options_and_their_values() {
        let words: Vec<Word> = ["-y", "-t", "bookworm-backports", "curl=1.2", "git"]
            .into_iter()
            .map(word)
            .collect();
        let names: Vec<&str> = package_words(&words)
            .into_iter()
            .filter_map(package_name)
            .collect();
        assert_eq!(names, ["curl", "git"]);
    }

    #[test]
    fn lossy_packages_make_the_fix_unsafe() {
        let pip = word("python3-pip");
        assert!(unsafe_reason(&[&pip]).unwrap().contains("build-essential"));
        let texlive = word("texlive-latex-extra");
        assert!(unsafe_reason(&[&texlive]).is_some());
        let curl = word("curl");
        assert!(unsafe_reason(&[&curl]).is_none());
        let dynamic = Word {
            range: 0..0,
            value: None,
        };
        assert!(unsafe_reason(&[&curl, &dynamic]).is_some());
    }
}
