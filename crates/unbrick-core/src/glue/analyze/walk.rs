//! The one ordered pass over the top-level statements. Order matters: a
//! variable is state when its initializer reads state declared before it,
//! a `heap.push(...)` is replayed after the steps before it, and a
//! CommonJS `__wbg_set_wasm` names the binding for the statements after it.

use oxc_ast::ast::*;
use oxc_span::GetSpan;

use super::direct_call;
use super::functions::{self, ApiNames};
use super::plan::ClosureFactory;
use super::source::LineIndex;
use super::state::State;
use super::top_level::{cjs_export, Exports};
use super::{binding, classes, GlueFacts};

pub(super) struct Walk<'w> {
    pub(super) api: ApiNames<'w>,
    pub(super) exports: &'w Exports,
    /// The no-modules wrapper's exports object.
    pub(super) wrapper: Option<&'w str>,
    pub(super) lines: &'w LineIndex,
    pub(super) state: State,
}

impl Walk<'_> {
    pub(super) fn statements(&mut self, body: &[Statement], facts: &mut GlueFacts) {
        for stmt in body {
            let (decl, stmt_end): (Option<&Declaration>, u32) = match stmt {
                Statement::ExportDeclaration(export) => (Some(&export.declaration), export.span.end),
                _ => (stmt.as_declaration(), stmt.span().end),
            };
            match decl {
                Some(Declaration::FunctionDeclaration(f)) => self.function(f, stmt_end, facts),
                Some(Declaration::ClassDeclaration(class)) => classes::push(class, None, stmt_end, self.lines, facts),
                Some(Declaration::VariableDeclaration(var)) => {
                    binding::const_keyword(var, facts);
                    for d in &var.declarations {
                        self.state.declarator(var, d, stmt_end, self.lines, facts);
                    }
                }
                Some(_) => {}
                None => {
                    if let Statement::ExpressionStatement(expr) = stmt {
                        self.expression(expr, facts);
                    }
                }
            }
        }
    }

    fn function(&self, f: &Function, stmt_end: u32, facts: &mut GlueFacts) {
        let Some(name) = f.name() else { return };
        let name = name.to_string();
        let public = self.exports.public_name(&name);
        if matches!(public, "initSync" | "__wbg_init" | "default") && name != "__wbg_load" {
            facts.report.has_init_sync = true;
        }
        if name == "__wbg_call_guard" || name == "__wbg_handle_catch" {
            facts.plan.upstream_guards.extend(functions::upstream_guard(&name, f));
        }
        if classes::is_closure_factory(f) {
            facts.report.closure_factories.push(name.clone());
            facts.plan.closure_factories.push(ClosureFactory { name: name.clone(), end: stmt_end });
        }
        if self.api.contains(&name) {
            functions::push(&name, f, facts);
        } else if let Some(call) = f.body.as_ref().and_then(|body| direct_call::first_statement(body)) {
            facts.plan.internal_direct_calls.push(call);
        }
    }

    fn expression(&self, expr: &ExpressionStatement, facts: &mut GlueFacts) {
        binding::handoff(expr, facts);
        self.state.replay(expr, self.lines, facts);
        // `module.exports.add = function (a, b) {...}` in old CommonJS glue.
        if let Expression::AssignmentExpression(assign) = &expr.expression {
            if let (Some((_, name)), Expression::FunctionExpression(f)) =
                (cjs_export(&expr.expression, self.wrapper), &assign.right)
            {
                binding::cjs_setter(&name, f, facts);
                if self.api.contains(&name) {
                    functions::push(&name, f, facts);
                }
            }
        }
    }
}
