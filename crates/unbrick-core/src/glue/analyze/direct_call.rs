//! The call into the instance that opens an API body (`const ret =
//! wasm.add(a, b);`), which the patch lets go straight to the raw export:
//! the entry check just before it made sure that the instance is live, and
//! nothing between the two can run other code.

use oxc_ast::ast::*;
use oxc_span::GetSpan;

use super::plan::{DirectCall, DirectCallForm};

/// The body's first statement, when it is `binding.export(args);`,
/// `return binding.export(args);` or `const|let|var id = binding.export(args);`
/// with arguments that call nothing.
pub(super) fn first_statement(body: &FunctionBody) -> Option<DirectCall> {
    let statement = body.statements.first()?;
    let (call, form) = match statement {
        Statement::ExpressionStatement(s) => (&s.expression, DirectCallForm::Statement),
        Statement::ReturnStatement(s) => (s.argument.as_ref()?, DirectCallForm::Statement),
        Statement::VariableDeclaration(d) if d.declarations.len() == 1 => {
            let declarator = &d.declarations[0];
            let id = declarator.id.get_binding_identifier()?;
            let const_keyword = (d.kind == VariableDeclarationKind::Const)
                .then(|| oxc_span::Span::new(d.span.start, d.span.start + "const".len() as u32));
            (
                declarator.init.as_ref()?,
                DirectCallForm::Declaration { const_keyword, id: id.span, name: id.name.to_string() },
            )
        }
        _ => return None,
    };
    let Expression::CallExpression(call) = call.without_parentheses() else { return None };
    let Expression::StaticMemberExpression(callee) = &call.callee else { return None };
    let Expression::Identifier(object) = &callee.object else { return None };
    if call.optional || callee.optional || !call.arguments.iter().all(calls_nothing) {
        return None;
    }
    Some(DirectCall {
        object: object.span,
        object_name: object.name.to_string(),
        export: callee.property.name.to_string(),
        statement: statement.span(),
        form,
    })
}

/// Identifiers, literals, member reads and operators over them: whatever
/// they do (an accessor of the runtime at most), they cannot call back into
/// code that might end the instance between the entry check and the call.
fn calls_nothing(argument: &Argument) -> bool {
    argument.as_expression().is_some_and(is_call_free)
}

fn is_call_free(e: &Expression) -> bool {
    match e {
        Expression::Identifier(_)
        | Expression::ThisExpression(_)
        | Expression::BooleanLiteral(_)
        | Expression::NullLiteral(_)
        | Expression::NumericLiteral(_)
        | Expression::BigIntLiteral(_)
        | Expression::StringLiteral(_) => true,
        Expression::StaticMemberExpression(m) => !m.optional && is_call_free(&m.object),
        Expression::UnaryExpression(u) => u.operator != UnaryOperator::Delete && is_call_free(&u.argument),
        Expression::BinaryExpression(b) => is_call_free(&b.left) && is_call_free(&b.right),
        Expression::LogicalExpression(l) => is_call_free(&l.left) && is_call_free(&l.right),
        Expression::ConditionalExpression(c) => {
            is_call_free(&c.test) && is_call_free(&c.consequent) && is_call_free(&c.alternate)
        }
        Expression::ParenthesizedExpression(p) => is_call_free(&p.expression),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use oxc_allocator::Allocator;
    use oxc_ast::ast::Statement;
    use oxc_parser::Parser;
    use oxc_span::SourceType;

    use super::*;

    /// The direct call of the function `source` declares: (export, whether declared).
    fn direct(source: &str) -> Option<(String, bool)> {
        let allocator = Allocator::default();
        let program = Parser::new(&allocator, source, SourceType::mjs()).parse().program;
        let Some(Statement::FunctionDeclaration(f)) = program.body.first() else { panic!("not a function: {source}") };
        first_statement(f.body.as_ref().unwrap())
            .map(|call| (call.export, matches!(call.form, DirectCallForm::Declaration { .. })))
    }

    #[test]
    fn the_shapes_wasm_bindgen_writes() {
        assert_eq!(direct("function f(a, b) { const ret = wasm.add(a, b); return ret; }"), Some(("add".into(), true)));
        assert_eq!(direct("function f() { wasm.abort_now(); }"), Some(("abort_now".into(), false)));
        assert_eq!(direct("function f(x) { return wasm.g(this.__wbg_ptr, x >>> 0, !x); }"), Some(("g".into(), false)));
        assert_eq!(direct("function f(x) { var r = wasm.g(x ? 1 : 0); }"), Some(("g".into(), true)));
    }

    #[test]
    fn not_when_an_argument_or_an_earlier_statement_can_run_code() {
        assert_eq!(direct("function f(x) { const ret = wasm.g(isLikeNone(x) ? 0 : x); }"), None);
        assert_eq!(direct("function f(x) { const p = pass(x); const ret = wasm.g(p); }"), None);
        assert_eq!(direct("function f(x) { const ret = wasm.g(new Thing(x)); }"), None);
        assert_eq!(direct("function f(x) { const ret = wasm?.g(x); }"), None);
        assert_eq!(direct("function f(x) { const a = wasm.g(x), b = 1; }"), None);
        assert_eq!(direct("function f() { const ret = wasm.table.get(0); }"), None);
    }
}
