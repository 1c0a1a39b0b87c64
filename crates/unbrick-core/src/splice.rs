//! Text edits at byte offsets given by the parser: everything outside the
//! edited ranges stays byte-identical.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Splice {
    pub start: u32,
    pub end: u32,
    pub text: String,
}

impl Splice {
    pub fn insert(at: u32, text: impl Into<String>) -> Self {
        Splice { start: at, end: at, text: text.into() }
    }

    pub fn replace(start: u32, end: u32, text: impl Into<String>) -> Self {
        Splice { start, end, text: text.into() }
    }
}

/// Applies `splices` to `source`. Insertions at the same offset keep the
/// order in which they were pushed. Panics on overlapping replacements,
/// which would be a bug in the patcher.
pub fn apply(source: &str, mut splices: Vec<Splice>) -> String {
    // Stable sort: equal offsets keep push order.
    splices.sort_by_key(|s| (s.start, s.end));
    let mut out = String::with_capacity(source.len() + splices.iter().map(|s| s.text.len()).sum::<usize>());
    let mut cursor = 0usize;
    for s in &splices {
        let (start, end) = (s.start as usize, s.end as usize);
        assert!(start >= cursor, "overlapping splices at {start}");
        out.push_str(&source[cursor..start]);
        out.push_str(&s.text);
        cursor = end;
    }
    out.push_str(&source[cursor..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_untouched_text_and_insert_order() {
        let out = apply(
            "const a = 1;",
            vec![Splice::replace(0, 5, "let"), Splice::insert(12, " x"), Splice::insert(12, " y")],
        );
        assert_eq!(out, "let a = 1; x y");
    }
}
