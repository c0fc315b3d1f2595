//! The registry: every pass, in the order RULES.md §4 gives (the order decides which fix wins
//! when two overlap). This is the one list of all rules.

use crate::config::Settings;
use crate::document::Document;
use crate::fix::Finding;

mod add_remote_archive_then_extract;
mod add_to_copy;
mod apk_no_cache;
mod apk_virtual_not_deleted;
mod apt_in_scripts;
mod apt_lists_kept;
mod apt_no_assume_yes;
mod apt_no_install_recommends;
mod apt_update_alone;
mod buildkit_syntax_without_directive;
mod bundler_cache_kept;
mod cd_in_run;
mod cleanup_in_separate_layer;
mod cmd_exec_form;
mod composer_dev_dependencies;
mod composer_no_cache;
mod copy_secret_file;
mod copy_then_extract_local_archive;
mod disallowed_registry;
mod dnf_weak_deps_and_docs;
mod dnf_yum_clean_all;
mod dockerignore_lacks_git;
mod dockerignore_missing;
mod download_extract_split;
mod final_stage_on_sdk;
mod final_stage_root;
mod gem_no_document;
mod legacy_key_value_format;
mod maintainer_to_label;
mod manifest_first;
pub mod merge_adjacent_runs;
mod missing_healthcheck;
mod multiple_cmd_entrypoint;
mod npm_cache_kept;
mod npm_install_to_ci;
mod package_upgrade;
mod pip_no_cache_dir;
mod pipe_without_pipefail;
mod pnpm_store_kept;
mod poetry_pipenv_cache;
mod relative_workdir;
mod rpm_no_assume_yes;
mod run_as_non_root;
mod secret_in_arg_env;
mod slim_base_variant;
mod split_build_and_runtime;
mod sudo_in_run;
mod unpinned_base_image;
mod unused_suppression;
mod use_cache_mounts;
mod uv_no_cache;
mod yarn_cache_kept;
mod zypper_clean;

/// A rule: its code, its name, whether it runs by default, and its pass.
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    /// Runs without being selected explicitly.
    pub default_enabled: bool,
    pub check: fn(&Document, &Settings) -> Vec<Finding>,
    /// The pass's source file: its `//!` header is the rule's explanation.
    pub source: &'static str,
}

impl Rule {
    /// The explanation a user or a pull request reads (`--explain`): the pass file's `//!`
    /// header, so the documentation and the explanation cannot drift apart.
    pub fn explanation(&self) -> String {
        self.source
            .lines()
            .map_while(|line| line.strip_prefix("//!"))
            .map(|line| line.strip_prefix(' ').unwrap_or(line))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The fix safety the header line states (`Safe`, `Unsafe`, `DisplayOnly`, or a mix such
    /// as `Safe (CMD) / Unsafe (ENTRYPOINT)`): the field after the name.
    pub fn safety(&self) -> &'static str {
        let header = self.source.lines().next().unwrap_or_default();
        header.split(" · ").nth(1).unwrap_or_default()
    }

    /// The "What it does." paragraph of the explanation, as one line (for rule listings and
    /// SARIF's short description).
    pub fn summary(&self) -> String {
        self.section("What it does.")
            .unwrap_or_else(|| self.name.to_string())
    }

    /// A paragraph of the explanation by its bold heading (`**Why.** …`), as one line.
    pub fn section(&self, heading: &str) -> Option<String> {
        let marker = format!("**{heading}**");
        let explanation = self.explanation();
        let paragraph = explanation
            .split("\n\n")
            .find(|paragraph| paragraph.starts_with(&marker))?;
        Some(
            paragraph[marker.len()..]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        )
    }
}

/// All rules in registry (priority) order.
pub static RULES: &[Rule] = &[
    Rule {
        code: "DF200",
        name: "manifest-first",
        default_enabled: true,
        check: manifest_first::check,
        source: include_str!("manifest_first.rs"),
    },
    Rule {
        code: "DF201",
        name: "dockerignore-missing",
        default_enabled: true,
        check: dockerignore_missing::check,
        source: include_str!("dockerignore_missing.rs"),
    },
    Rule {
        code: "DF202",
        name: "dockerignore-lacks-git",
        default_enabled: true,
        check: dockerignore_lacks_git::check,
        source: include_str!("dockerignore_lacks_git.rs"),
    },
    Rule {
        code: "DF104",
        name: "apt-in-scripts",
        default_enabled: true,
        check: apt_in_scripts::check,
        source: include_str!("apt_in_scripts.rs"),
    },
    Rule {
        code: "DF101",
        name: "apt-no-install-recommends",
        default_enabled: true,
        check: apt_no_install_recommends::check,
        source: include_str!("apt_no_install_recommends.rs"),
    },
    Rule {
        code: "DF103",
        name: "apt-no-assume-yes",
        default_enabled: true,
        check: apt_no_assume_yes::check,
        source: include_str!("apt_no_assume_yes.rs"),
    },
    Rule {
        code: "DF143",
        name: "rpm-no-assume-yes",
        default_enabled: true,
        check: rpm_no_assume_yes::check,
        source: include_str!("rpm_no_assume_yes.rs"),
    },
    Rule {
        code: "DF110",
        name: "apk-no-cache",
        default_enabled: true,
        check: apk_no_cache::check,
        source: include_str!("apk_no_cache.rs"),
    },
    Rule {
        code: "DF120",
        name: "pip-no-cache-dir",
        default_enabled: true,
        check: pip_no_cache_dir::check,
        source: include_str!("pip_no_cache_dir.rs"),
    },
    Rule {
        code: "DF121",
        name: "uv-no-cache",
        default_enabled: true,
        check: uv_no_cache::check,
        source: include_str!("uv_no_cache.rs"),
    },
    Rule {
        code: "DF122",
        name: "poetry-pipenv-cache",
        default_enabled: true,
        check: poetry_pipenv_cache::check,
        source: include_str!("poetry_pipenv_cache.rs"),
    },
    Rule {
        code: "DF130",
        name: "npm-install-to-ci",
        default_enabled: true,
        check: npm_install_to_ci::check,
        source: include_str!("npm_install_to_ci.rs"),
    },
    Rule {
        code: "DF141",
        name: "dnf-weak-deps-and-docs",
        default_enabled: false,
        check: dnf_weak_deps_and_docs::check,
        source: include_str!("dnf_weak_deps_and_docs.rs"),
    },
    Rule {
        code: "DF150",
        name: "gem-no-document",
        default_enabled: true,
        check: gem_no_document::check,
        source: include_str!("gem_no_document.rs"),
    },
    Rule {
        code: "DF152",
        name: "composer-no-cache",
        default_enabled: true,
        check: composer_no_cache::check,
        source: include_str!("composer_no_cache.rs"),
    },
    Rule {
        code: "DF153",
        name: "composer-dev-dependencies",
        default_enabled: false,
        check: composer_dev_dependencies::check,
        source: include_str!("composer_dev_dependencies.rs"),
    },
    Rule {
        code: "DF400",
        name: "add-to-copy",
        default_enabled: true,
        check: add_to_copy::check,
        source: include_str!("add_to_copy.rs"),
    },
    Rule {
        code: "DF401",
        name: "cmd-exec-form",
        default_enabled: true,
        check: cmd_exec_form::check,
        source: include_str!("cmd_exec_form.rs"),
    },
    Rule {
        code: "DF402",
        name: "maintainer-to-label",
        default_enabled: true,
        check: maintainer_to_label::check,
        source: include_str!("maintainer_to_label.rs"),
    },
    Rule {
        code: "DF403",
        name: "legacy-key-value-format",
        default_enabled: true,
        check: legacy_key_value_format::check,
        source: include_str!("legacy_key_value_format.rs"),
    },
    Rule {
        code: "DF102",
        name: "apt-lists-kept",
        default_enabled: true,
        check: apt_lists_kept::check,
        source: include_str!("apt_lists_kept.rs"),
    },
    Rule {
        code: "DF131",
        name: "npm-cache-kept",
        default_enabled: true,
        check: npm_cache_kept::check,
        source: include_str!("npm_cache_kept.rs"),
    },
    Rule {
        code: "DF132",
        name: "yarn-cache-kept",
        default_enabled: true,
        check: yarn_cache_kept::check,
        source: include_str!("yarn_cache_kept.rs"),
    },
    Rule {
        code: "DF140",
        name: "dnf-yum-clean-all",
        default_enabled: true,
        check: dnf_yum_clean_all::check,
        source: include_str!("dnf_yum_clean_all.rs"),
    },
    Rule {
        code: "DF142",
        name: "zypper-clean",
        default_enabled: true,
        check: zypper_clean::check,
        source: include_str!("zypper_clean.rs"),
    },
    Rule {
        code: "DF151",
        name: "bundler-cache-kept",
        default_enabled: false,
        check: bundler_cache_kept::check,
        source: include_str!("bundler_cache_kept.rs"),
    },
    Rule {
        code: "DF111",
        name: "apk-virtual-not-deleted",
        default_enabled: true,
        check: apk_virtual_not_deleted::check,
        source: include_str!("apk_virtual_not_deleted.rs"),
    },
    Rule {
        code: "DF133",
        name: "pnpm-store-kept",
        default_enabled: false,
        check: pnpm_store_kept::check,
        source: include_str!("pnpm_store_kept.rs"),
    },
    Rule {
        code: "DF100",
        name: "apt-update-alone",
        default_enabled: true,
        check: apt_update_alone::check,
        source: include_str!("apt_update_alone.rs"),
    },
    Rule {
        code: "DF003",
        name: "download-extract-split",
        default_enabled: true,
        check: download_extract_split::check,
        source: include_str!("download_extract_split.rs"),
    },
    Rule {
        code: "DF002",
        name: "cleanup-in-separate-layer",
        default_enabled: true,
        check: cleanup_in_separate_layer::check,
        source: include_str!("cleanup_in_separate_layer.rs"),
    },
    Rule {
        code: "DF001",
        name: "merge-adjacent-runs",
        default_enabled: true,
        check: merge_adjacent_runs::check,
        source: include_str!("merge_adjacent_runs.rs"),
    },
    Rule {
        code: "DF004",
        name: "add-remote-archive-then-extract",
        default_enabled: true,
        check: add_remote_archive_then_extract::check,
        source: include_str!("add_remote_archive_then_extract.rs"),
    },
    Rule {
        code: "DF005",
        name: "copy-then-extract-local-archive",
        default_enabled: false,
        check: copy_then_extract_local_archive::check,
        source: include_str!("copy_then_extract_local_archive.rs"),
    },
    Rule {
        code: "DF160",
        name: "use-cache-mounts",
        default_enabled: false,
        check: use_cache_mounts::check,
        source: include_str!("use_cache_mounts.rs"),
    },
    Rule {
        code: "DF410",
        name: "run-as-non-root",
        default_enabled: false,
        check: run_as_non_root::check,
        source: include_str!("run_as_non_root.rs"),
    },
    Rule {
        code: "DF302",
        name: "slim-base-variant",
        default_enabled: false,
        check: slim_base_variant::check,
        source: include_str!("slim_base_variant.rs"),
    },
    Rule {
        code: "DF300",
        name: "split-build-and-runtime",
        default_enabled: true,
        check: split_build_and_runtime::check,
        source: include_str!("split_build_and_runtime.rs"),
    },
    Rule {
        code: "DF301",
        name: "final-stage-on-sdk",
        default_enabled: true,
        check: final_stage_on_sdk::check,
        source: include_str!("final_stage_on_sdk.rs"),
    },
    Rule {
        code: "DF404",
        name: "buildkit-syntax-without-directive",
        default_enabled: true,
        check: buildkit_syntax_without_directive::check,
        source: include_str!("buildkit_syntax_without_directive.rs"),
    },
    Rule {
        code: "DF500",
        name: "unpinned-base-image",
        default_enabled: true,
        check: unpinned_base_image::check,
        source: include_str!("unpinned_base_image.rs"),
    },
    Rule {
        code: "DF501",
        name: "package-upgrade",
        default_enabled: false,
        check: package_upgrade::check,
        source: include_str!("package_upgrade.rs"),
    },
    Rule {
        code: "DF502",
        name: "sudo-in-run",
        default_enabled: true,
        check: sudo_in_run::check,
        source: include_str!("sudo_in_run.rs"),
    },
    Rule {
        code: "DF503",
        name: "secret-in-arg-env",
        default_enabled: true,
        check: secret_in_arg_env::check,
        source: include_str!("secret_in_arg_env.rs"),
    },
    Rule {
        code: "DF504",
        name: "copy-secret-file",
        default_enabled: true,
        check: copy_secret_file::check,
        source: include_str!("copy_secret_file.rs"),
    },
    Rule {
        code: "DF505",
        name: "final-stage-root",
        default_enabled: false,
        check: final_stage_root::check,
        source: include_str!("final_stage_root.rs"),
    },
    Rule {
        code: "DF506",
        name: "missing-healthcheck",
        default_enabled: false,
        check: missing_healthcheck::check,
        source: include_str!("missing_healthcheck.rs"),
    },
    Rule {
        code: "DF507",
        name: "multiple-cmd-entrypoint",
        default_enabled: true,
        check: multiple_cmd_entrypoint::check,
        source: include_str!("multiple_cmd_entrypoint.rs"),
    },
    Rule {
        code: "DF508",
        name: "cd-in-run",
        default_enabled: true,
        check: cd_in_run::check,
        source: include_str!("cd_in_run.rs"),
    },
    Rule {
        code: "DF509",
        name: "relative-workdir",
        default_enabled: true,
        check: relative_workdir::check,
        source: include_str!("relative_workdir.rs"),
    },
    Rule {
        code: "DF510",
        name: "pipe-without-pipefail",
        default_enabled: true,
        check: pipe_without_pipefail::check,
        source: include_str!("pipe_without_pipefail.rs"),
    },
    Rule {
        code: "DF511",
        name: "disallowed-registry",
        default_enabled: true,
        check: disallowed_registry::check,
        source: include_str!("disallowed_registry.rs"),
    },
    Rule {
        code: "DF590",
        name: "unused-suppression",
        default_enabled: true,
        check: unused_suppression::check,
        source: include_str!("unused_suppression.rs"),
    },
];

/// The rule with this code or name.
pub fn rule(code_or_name: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .find(|rule| rule.code.eq_ignore_ascii_case(code_or_name) || rule.name == code_or_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_explains_itself_and_codes_are_unique() {
        for (i, rule) in RULES.iter().enumerate() {
            let explanation = rule.explanation();
            assert!(
                explanation.starts_with(&format!("{} `{}`", rule.code, rule.name)),
                "{}: the //! header starts with the code and name",
                rule.code
            );
            assert!(explanation.contains("**Fix safety.**"), "{}", rule.code);
            assert!(
                ["Safe", "Unsafe", "DisplayOnly"]
                    .iter()
                    .any(|safety| rule.safety().starts_with(safety)),
                "{}: the header's second field is the fix safety",
                rule.code
            );
            let summary = rule.summary();
            assert!(
                !summary.is_empty() && !summary.starts_with("**"),
                "{}",
                rule.code
            );
            assert!(RULES[..i].iter().all(|other| other.code != rule.code));
        }
        assert_eq!(
            rule("df101").map(|r| r.name),
            Some("apt-no-install-recommends")
        );
        assert_eq!(rule("pip-no-cache-dir").map(|r| r.code), Some("DF120"));
    }
}
