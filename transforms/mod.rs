//! The registry: every pass, in the order RULES.md §4 gives (the order decides which fix wins
//! when two overlap). This is the one list of all rules.

use crate::config::Settings;
use crate::document::Document;
use crate::fix::Finding;

mod add_remote_archive_then_extract;
mod apt_no_install_recommends;
mod cleanup_in_separate_layer;
mod copy_then_extract_local_archive;
mod download_extract_split;
pub mod merge_adjacent_runs;
mod pip_no_cache_dir;

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
}

/// All rules in registry (priority) order.
pub static RULES: &[Rule] = &[
    Rule {
        code: "DF101",
        name: "apt-no-install-recommends",
        default_enabled: true,
        check: apt_no_install_recommends::check,
        source: include_str!("apt_no_install_recommends.rs"),
    },
    Rule {
        code: "DF120",
        name: "pip-no-cache-dir",
        default_enabled: true,
        check: pip_no_cache_dir::check,
        source: include_str!("pip_no_cache_dir.rs"),
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
            assert!(RULES[..i].iter().all(|other| other.code != rule.code));
        }
        assert_eq!(
            rule("df101").map(|r| r.name),
            Some("apt-no-install-recommends")
        );
        assert_eq!(rule("pip-no-cache-dir").map(|r| r.code), Some("DF120"));
    }
}
