//! The byte arrays of `runtime/unbrick-runtime.js` (the trap module) and
//! `runtime/eh-support.js` (the EH probes) are the modules written in the
//! comment above each: every array with a `(module ...)` comment is
//! assembled from it and compared.

use oxc_allocator::Allocator;
use oxc_ast::ast::{Expression, VariableDeclaration};
use oxc_ast_visit::{walk, Visit};
use oxc_parser::Parser;
use oxc_span::SourceType;
use unbrick_core::runtime::{EH_SUPPORT_JS, RUNTIME_JS};

/// `const name = [bytes]` declarations: (name, the comment block above, bytes).
struct Arrays<'s> {
    source: &'s str,
    comments: Vec<(u32, u32)>,
    found: Vec<(String, String, Vec<u8>)>,
}

impl Arrays<'_> {
    /// The `//` comments that end right above `start`, one after another.
    fn comment_above(&self, mut start: u32) -> String {
        let mut lines = Vec::new();
        for &(from, to) in self.comments.iter().rev() {
            if to > start || !self.source[to as usize..start as usize].trim().is_empty() {
                if to <= start {
                    break;
                }
                continue;
            }
            lines.push(self.source[from as usize..to as usize].trim_start_matches("//").to_string());
            start = from;
        }
        lines.reverse();
        lines.join("\n")
    }
}

impl<'a> Visit<'a> for Arrays<'_> {
    fn visit_variable_declaration(&mut self, decl: &VariableDeclaration<'a>) {
        for declarator in &decl.declarations {
            let Some(Expression::ArrayExpression(array)) = &declarator.init else { continue };
            let bytes: Option<Vec<u8>> = array
                .elements
                .iter()
                .map(|e| match e.as_expression() {
                    Some(Expression::NumericLiteral(n)) if n.value.fract() == 0.0 && n.value <= 255.0 => {
                        Some(n.value as u8)
                    }
                    _ => None,
                })
                .collect();
            let (Some(bytes), Some(name)) = (bytes, declarator.id.get_identifier_name()) else { continue };
            self.found.push((name.to_string(), self.comment_above(decl.span.start), bytes));
        }
        walk::walk_variable_declaration(self, decl);
    }
}

#[test]
fn runtime_probe_bytes_are_the_modules_in_their_comments() {
    check_arrays("runtime/unbrick-runtime.js", RUNTIME_JS, &["bytes"]);
    check_arrays("runtime/eh-support.js", EH_SUPPORT_JS, &["modern", "legacy"]);
}

/// The arrays of `source` with a `(module ...)` comment are `expected`, and
/// each is the module in its comment.
fn check_arrays(file: &str, source: &str, expected: &[&str]) {
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, source, SourceType::cjs()).parse();
    assert!(parsed.diagnostics.is_empty(), "{file}: {:?}", parsed.diagnostics);
    let comments = parsed.program.comments.iter().map(|c| (c.span.start, c.span.end)).collect();
    let mut arrays = Arrays { source, comments, found: Vec::new() };
    arrays.visit_program(&parsed.program);

    let modules: Vec<_> =
        arrays.found.iter().filter(|(_, comment, _)| comment.trim_start().starts_with("(module")).collect();
    let names: Vec<&str> = modules.iter().map(|(name, _, _)| name.as_str()).collect();
    assert_eq!(names, expected, "{file}: the arrays with a (module ...) comment");
    for (name, comment, bytes) in modules {
        let assembled =
            wat::parse_str(comment).unwrap_or_else(|e| panic!("{file} {name}: the comment does not assemble: {e}"));
        assert!(
            &assembled == bytes,
            "{file} {name}: the bytes are not the module in the comment\ncomment assembles to:\n{}\nthe bytes are:\n{}",
            wasmprinter::print_bytes(&assembled).unwrap(),
            wasmprinter::print_bytes(bytes).unwrap_or_else(|e| format!("(invalid: {e})")),
        );
    }
}
