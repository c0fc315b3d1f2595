//! Settings the passes read, and which rules run.

use std::path::PathBuf;

use crate::transforms::{Rule, RULES};

/// What passes may consult besides the Dockerfile.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The build context (`--context`); `None` means the Dockerfile's own directory.
    pub context_dir: Option<PathBuf>,
    /// DF160 is selected and its (unsafe) fixes may be applied: the RUNs it converts to cache
    /// mounts are left alone by the no-cache rules (RULES.md §4 interactions).
    pub cache_mounts: bool,
}

/// A selector that names no rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown rule selector `{0}` (expected a code like DF101, a prefix like DF1, a rule name, or ALL)")]
pub struct UnknownSelector(pub String);

/// The rules to run: `select` (default: the default-enabled rules) minus `ignore`, in registry
/// order. A selector is `ALL`, a code, a code prefix (`DF1`) or a rule name.
pub fn select_rules(
    select: &[String],
    ignore: &[String],
) -> Result<Vec<&'static Rule>, UnknownSelector> {
    let matchers = |selectors: &[String]| -> Result<Vec<String>, UnknownSelector> {
        selectors
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .map(|s| {
                if RULES.iter().any(|rule| matches(&s, rule)) {
                    Ok(s)
                } else {
                    Err(UnknownSelector(s))
                }
            })
            .collect()
    };
    let select = matchers(select)?;
    let ignore = matchers(ignore)?;
    Ok(RULES
        .iter()
        .filter(|rule| {
            if select.is_empty() {
                rule.default_enabled
            } else {
                select.iter().any(|s| matches(s, rule))
            }
        })
        .filter(|rule| !ignore.iter().any(|s| matches(s, rule)))
        .collect())
}

fn matches(selector: &str, rule: &Rule) -> bool {
    selector.eq_ignore_ascii_case("ALL")
        || selector == rule.name
        || (selector.len() >= 2 && rule.code.starts_with(&selector.to_ascii_uppercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(rules: &[&Rule]) -> Vec<&'static str> {
        rules.iter().map(|rule| rule.code).collect()
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn default_is_the_default_enabled_rules() {
        let rules = select_rules(&[], &[]).unwrap();
        assert!(rules.iter().all(|rule| rule.default_enabled));
        assert!(codes(&rules).contains(&"DF101"));
    }

    #[test]
    fn select_by_code_prefix_and_name_then_ignore() {
        let rules = select_rules(&strings(&["df1"]), &strings(&["pip-no-cache-dir"])).unwrap();
        let codes = codes(&rules);
        assert!(codes.contains(&"DF101") && !codes.contains(&"DF120"));
        assert!(codes.iter().all(|code| code.starts_with("DF1")));
        assert!(select_rules(&strings(&["ALL"]), &strings(&["ALL"]))
            .unwrap()
            .is_empty());
    }

    #[test]
    fn unknown_selector_is_an_error() {
        let err = select_rules(&strings(&["DF999"]), &[]).err().unwrap();
        assert_eq!(err, UnknownSelector("DF999".to_string()));
    }
}
