//! The promises of the parse → fix → diff pipeline on one input, as assertions (a failed
//! promise panics): shared by the property tests (`tests/properties.rs`) and the fuzzer
//! (`fuzz/fuzz_targets/pipeline.rs`).
//!
//! - Bytes that are not text are refused, never half-read.
//! - With no passes the output is the input, byte for byte.
//! - With the default safe passes, and with every pass and unsafe fixes: no fix is rolled
//!   back (DF900); a file tree-sitter read cleanly stays clean; where the grammar and the
//!   BuildKit-equivalent splitter agreed on the instructions they still do; a second run
//!   changes nothing; the diff is empty exactly when nothing changed.
//! - Safe fixes keep every instruction other than RUN and COPY, in order.

use dockfix::apply::{self, Fixed};
use dockfix::config::{select_rules, Settings};
use dockfix::fix::Applicability;
use dockfix::source::Source;
use dockfix::transforms::Rule;
use dockfix::{diff, logical, parse};

/// Run every promise on `bytes`; false when the bytes are (rightly) refused as not text.
pub fn check(bytes: &[u8]) -> bool {
    let source = match Source::from_bytes(bytes.to_vec()) {
        Ok(source) => source,
        Err(_) => {
            assert!(
                bytes.contains(&0) || std::str::from_utf8(bytes).is_err(),
                "refused valid text"
            );
            return false;
        }
    };
    let settings = Settings::default();
    let none = apply::fix(source.clone(), &[], &settings, Applicability::Safe);
    assert_eq!(
        none.source.text(),
        source.text(),
        "no passes changed the text"
    );

    let defaults = select_rules(&[], &[]).unwrap();
    let all = select_rules(&["ALL".to_string()], &[]).unwrap();
    let safe = fix_checked(&source, &defaults, Applicability::Safe);
    assert_eq!(
        keywords_but_run_copy(&safe),
        keywords_but_run_copy(source.text()),
        "safe fixes changed instructions other than RUN and COPY"
    );
    fix_checked(&source, &all, Applicability::Unsafe);
    true
}

fn fix_checked(source: &Source, rules: &[&Rule], minimum: Applicability) -> String {
    let settings = Settings::default();
    let fixed = apply::fix(source.clone(), rules, &settings, minimum);
    assert_no_rollback(&fixed);
    let before = source.text();
    let after = fixed.source.text().to_string();
    let (clean_before, agree_before) = parse_facts(before);
    let (clean_after, agree_after) = parse_facts(&after);
    assert!(
        !clean_before || clean_after,
        "fixes made tree-sitter errors:\n{after}"
    );
    assert!(
        !agree_before || agree_after,
        "fixes made the grammar and the splitter disagree:\n{after}"
    );
    let changed = after != before;
    assert_eq!(
        !diff::unified("Dockerfile", before, &after).is_empty(),
        changed,
        "the diff is empty exactly when nothing changed"
    );
    let again = apply::fix(fixed.source.clone(), rules, &settings, minimum);
    assert_no_rollback(&again);
    assert_eq!(
        again.source.text(),
        after,
        "a second run changed the output"
    );
    assert!(again.applied.is_empty(), "a second run applied fixes");
    after
}

fn assert_no_rollback(fixed: &Fixed) {
    let messages: Vec<&str> = fixed.internal.iter().map(|f| f.message.as_str()).collect();
    assert!(messages.is_empty(), "DF900: {messages:?}");
}

/// Whether tree-sitter reads the text without errors, and whether its instruction count
/// equals the splitter's (the splitter is checked against BuildKit in tests/buildkit_split.rs).
fn parse_facts(text: &str) -> (bool, bool) {
    let (directives, instructions) = logical::split(text);
    let tree = parse::parse(&parse::parse_buffer(text, directives.escape));
    let clean = parse::error_ranges(&tree).is_empty();
    let agree = parse::instruction_nodes(&tree).len() == instructions.len();
    (clean, agree)
}

/// The keywords of the instructions, leaving out RUN and COPY (which merges and manifest
/// copies may remove or add).
fn keywords_but_run_copy(text: &str) -> Vec<String> {
    let (_, instructions) = logical::split(text);
    instructions
        .iter()
        .map(|instruction| instruction.keyword_upper(text))
        .filter(|keyword| keyword != "RUN" && keyword != "COPY")
        .collect()
}
