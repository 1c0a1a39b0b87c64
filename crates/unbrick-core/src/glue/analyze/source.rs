//! Parsing the glue, and lines for the report.

use oxc_allocator::Allocator;
use oxc_ast::ast::Program;
use oxc_parser::Parser;
use oxc_span::SourceType;

/// Parses `source` as an ES module, else as a script; the error is the
/// module parse's first diagnostic.
pub(super) fn parse<'a>(allocator: &'a Allocator, source: &'a str) -> Result<Program<'a>, String> {
    let ret = Parser::new(allocator, source, SourceType::mjs()).parse();
    let ret = if ret.panicked || !ret.diagnostics.is_empty() {
        // CommonJS glue may use `module`/`exports` freely; script goal.
        let script = Parser::new(allocator, source, SourceType::cjs()).parse();
        if script.panicked || !script.diagnostics.is_empty() {
            let first = ret.diagnostics.first().map(|d| d.to_string()).unwrap_or_default();
            return Err(first);
        }
        script
    } else {
        ret
    };
    Ok(ret.program)
}

/// Byte offset → 1-based line.
pub(super) struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    pub(super) fn new(source: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(source.match_indices('\n').map(|(i, _)| i as u32 + 1));
        LineIndex { starts }
    }

    pub(super) fn line(&self, offset: u32) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }
}
