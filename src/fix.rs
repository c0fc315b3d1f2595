//! What a pass reports: findings, and the byte edits that fix them.

use std::ops::Range;
use std::path::PathBuf;

/// How far a fix may be trusted. Ordered: `DisplayOnly < Unsafe < Safe`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// Advice only; never applied.
    DisplayOnly,
    /// Likely better but may change the image; applied with `--unsafe-fixes`.
    Unsafe,
    /// Keeps what the image does; applied by `--write`.
    Safe,
}

/// Replace `range` of the original text by `replacement` (an insertion when the range is empty,
/// a deletion when the replacement is empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub replacement: String,
}

impl Edit {
    pub fn insert(at: usize, text: impl Into<String>) -> Edit {
        Edit {
            range: at..at,
            replacement: text.into(),
        }
    }

    /// Two edits conflict when they touch the same bytes; insertions at the same offset do not
    /// (they are joined in pass order), nor does an insertion at either end of a replaced range.
    pub fn overlaps(&self, other: &Edit) -> bool {
        let (a, b) = (&self.range, &other.range);
        match (a.is_empty(), b.is_empty()) {
            (true, true) => false,
            (true, false) => b.start < a.start && a.start < b.end,
            (false, true) => a.start < b.start && b.start < a.end,
            (false, false) => a.start < b.end && b.start < a.end,
        }
    }
}

/// A set of edits applied together, or not at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
    /// Why the fix has this applicability (what an unsafe fix may change), for the user.
    pub note: Option<String>,
    /// Instructions the fix deletes (a merge, a moved command) and adds (a manifest COPY), and
    /// whether it moves one: the engine's verification expects exactly these changes in the
    /// instruction list.
    pub removes_instructions: usize,
    pub adds_instructions: usize,
    pub moves_instructions: bool,
    /// Shell commands the fix deletes on purpose (`apk update` made useless by `--no-cache`):
    /// verification otherwise requires every command of an edited RUN to survive.
    pub drops_commands: Vec<&'static str>,
    /// Changes to files of the build context (a `.dockerignore`), applied once the Dockerfile
    /// reached its fixpoint.
    pub files: Vec<FileChange>,
}

/// A change to a file other than the Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    pub path: PathBuf,
    /// The current text; `None` when the fix creates the file (it must not exist).
    pub old: Option<String>,
    pub new: String,
}

impl Fix {
    pub fn safe(edits: Vec<Edit>) -> Fix {
        Fix {
            edits,
            applicability: Applicability::Safe,
            note: None,
            removes_instructions: 0,
            adds_instructions: 0,
            moves_instructions: false,
            drops_commands: Vec::new(),
            files: Vec::new(),
        }
    }

    pub fn unsafe_because(edits: Vec<Edit>, note: impl Into<String>) -> Fix {
        Fix {
            edits,
            applicability: Applicability::Unsafe,
            note: Some(note.into()),
            removes_instructions: 0,
            adds_instructions: 0,
            moves_instructions: false,
            drops_commands: Vec::new(),
            files: Vec::new(),
        }
    }

    /// A fix that only changes other files (never the Dockerfile).
    pub fn of_files(files: Vec<FileChange>, applicability: Applicability, note: String) -> Fix {
        Fix {
            files,
            applicability,
            note: Some(note),
            ..Fix::safe(Vec::new())
        }
    }

    /// The fixes touch the same bytes. A fix that moves instructions also claims the end of
    /// each deletion: an insertion there (an append to a moved RUN that ends the file without a
    /// final newline) belongs to the moved text, not to what follows it.
    pub fn overlaps(&self, other: &Fix) -> bool {
        let appends_to_moved = |mover: &Fix, deletion: &Edit, insertion: &Edit| {
            mover.moves_instructions
                && deletion.replacement.is_empty()
                && !deletion.range.is_empty()
                && insertion.range.is_empty()
                && insertion.range.start == deletion.range.end
        };
        self.edits.iter().any(|a| {
            other.edits.iter().any(|b| {
                a.overlaps(b) || appends_to_moved(self, a, b) || appends_to_moved(other, b, a)
            })
        })
    }
    /// Declare that the fix deletes `count` whole instructions (see
    /// [`Fix::removes_instructions`]).
    pub fn removing_instructions(mut self, count: usize) -> Fix {
        self.removes_instructions = count;
        self
    }

    /// Declare the shell commands the fix deletes on purpose (see [`Fix::drops_commands`]).
    pub fn dropping_commands(mut self, names: &[&'static str]) -> Fix {
        self.drops_commands.extend_from_slice(names);
        self
    }
}

/// One report of one rule at one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Rule code, e.g. `DF101`.
    pub code: &'static str,
    /// Byte range in the text the passes saw.
    pub range: Range<usize>,
    pub message: String,
    pub fix: Option<Fix>,
    /// Set when the rule would apply but a gate stopped it (`exec-form`, `opaque` …): such
    /// findings are shown only on request.
    pub skipped: Option<&'static str>,
}

impl Finding {
    pub fn new(code: &'static str, range: Range<usize>, message: impl Into<String>) -> Finding {
        Finding {
            code,
            range,
            message: message.into(),
            fix: None,
            skipped: None,
        }
    }

    pub fn with_fix(mut self, fix: Fix) -> Finding {
        self.fix = Some(fix);
        self
    }

    /// A rule that would fire but does not edit, and says why.
    pub fn skip(
        code: &'static str,
        range: Range<usize>,
        reason: &'static str,
        message: impl AsRef<str>,
    ) -> Finding {
        Finding {
            code,
            range,
            message: format!("skipped ({reason}): {}", message.as_ref()),
            fix: None,
            skipped: Some(reason),
        }
    }

    /// The fix, if it is allowed at the given minimum applicability.
    pub fn applicable_fix(&self, minimum: Applicability) -> Option<&Fix> {
        self.fix
            .as_ref()
            .filter(|fix| fix.applicability != Applicability::DisplayOnly)
            .filter(|fix| fix.applicability >= minimum)
    }
}

/// Apply non-overlapping edits (in any order) to `text`. Insertions at the same offset keep the
/// order in which they are given.
pub fn splice(text: &str, edits: &[&Edit]) -> String {
    let mut sorted: Vec<(usize, &Edit)> = edits.iter().copied().enumerate().collect();
    sorted.sort_by_key(|(order, edit)| (edit.range.start, edit.range.end, *order));
    let mut out = String::with_capacity(text.len() + 64);
    let mut pos = 0;
    for (_, edit) in sorted {
        out.push_str(&text[pos..edit.range.start]);
        out.push_str(&edit.replacement);
        pos = edit.range.end;
    }
    out.push_str(&text[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replace(range: Range<usize>, text: &str) -> Edit {
        Edit {
            range,
            replacement: text.to_string(),
        }
    }

    #[test]
    fn applicability_orders_display_unsafe_safe() {
        assert!(Applicability::DisplayOnly < Applicability::Unsafe);
        assert!(Applicability::Unsafe < Applicability::Safe);
    }

    #[test]
    fn overlap_rules() {
        assert!(!Edit::insert(3, "a").overlaps(&Edit::insert(3, "b")));
        assert!(!Edit::insert(3, "a").overlaps(&replace(3..5, "")));
        assert!(!Edit::insert(5, "a").overlaps(&replace(3..5, "")));
        assert!(Edit::insert(4, "a").overlaps(&replace(3..5, "")));
        assert!(replace(0..4, "").overlaps(&replace(3..5, "")));
        assert!(!replace(0..3, "").overlaps(&replace(3..5, "")));
    }

    #[test]
    fn an_append_at_the_end_of_a_moved_instruction_conflicts() {
        let mut moving = Fix::safe(vec![replace(10..20, ""), Edit::insert(0, "RUN x")]);
        let append = Fix::safe(vec![Edit::insert(20, " && y")]);
        assert!(!moving.overlaps(&append));
        moving.moves_instructions = true;
        assert!(moving.overlaps(&append) && append.overlaps(&moving));
    }

    #[test]
    fn splice_joins_same_offset_insertions_in_given_order() {
        let a = Edit::insert(3, " x");
        let b = Edit::insert(3, " y");
        let c = replace(4..5, "Z");
        assert_eq!(splice("abcdef", &[&c, &a, &b]), "abc x ydZf");
    }

    #[test]
    fn display_only_fixes_are_never_applicable() {
        let mut finding = Finding::new("DF999", 0..1, "m").with_fix(Fix::safe(vec![]));
        assert!(finding.applicable_fix(Applicability::Safe).is_some());
        finding.fix.as_mut().unwrap().applicability = Applicability::Unsafe;
        assert!(finding.applicable_fix(Applicability::Safe).is_none());
        assert!(finding.applicable_fix(Applicability::Unsafe).is_some());
        finding.fix.as_mut().unwrap().applicability = Applicability::DisplayOnly;
        assert!(finding.applicable_fix(Applicability::Unsafe).is_none());
    }
}
