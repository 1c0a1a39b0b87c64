//! The package's `.d.ts`: which exports return a Promise, and the handle's
//! declarations appended to it.

use std::collections::HashSet;

use oxc_allocator::Allocator;
use oxc_ast::ast::*;
use oxc_parser::Parser;
use oxc_span::{GetSpan, SourceType};

/// `name` for functions and `Class.method` for methods whose declared
/// return type is `Promise<...>`.
pub fn async_exports(source: &str) -> HashSet<String> {
    let allocator = Allocator::default();
    let ret = Parser::new(&allocator, source, SourceType::d_ts()).parse();
    let mut found = HashSet::new();
    let returns_promise = |f: &Function| {
        f.return_type.as_ref().is_some_and(|t| {
            let text = &source[t.type_annotation.span().start as usize..t.type_annotation.span().end as usize];
            text.starts_with("Promise<") || text == "Promise"
        })
    };
    for stmt in &ret.program.body {
        let Statement::ExportDeclaration(export) = stmt else { continue };
        match &export.declaration {
            Declaration::FunctionDeclaration(f) if returns_promise(f) => {
                found.extend(f.name().map(|n| n.to_string()));
            }
            Declaration::ClassDeclaration(class) => {
                let Some(class_name) = class.name() else { continue };
                for element in &class.body.body {
                    if let ClassElement::MethodDefinition(m) = element {
                        if let Some(key) = m.key.static_name() {
                            if returns_promise(&m.value) {
                                found.insert(format!("{class_name}.{key}"));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    found
}
