//! The registry: every pass, in the order RULES.md §4 gives (the order decides which fix wins
//! when two overlap). This is the one list of all rules.

use crate::config::Settings;
use crate::document::Document;
use crate::fix::Finding;

mod apt_no_install_recommends;
mod pip_no_cache_dir;

/// A rule: its code, its name, whether it runs by default, and its pass.
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    /// Runs without being selected explicitly.
    pub default_enabled: bool,
    pub check: fn(&Document, &Settings) -> Vec<Finding>,
}

/// All rules in registry (priority) order.
pub static RULES: &[Rule] = &[
    Rule {
        code: "DF101",
        name: "apt-no-install-recommends",
        default_enabled: true,
        check: apt_no_install_recommends::check,
    },
    Rule {
        code: "DF120",
        name: "pip-no-cache-dir",
        default_enabled: true,
        check: pip_no_cache_dir::check,
    },
];

/// The rule with this code.
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|rule| rule.code == code)
}
