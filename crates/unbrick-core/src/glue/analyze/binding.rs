//! The binding that holds the instance's exports (`wasm`), the sites that
//! instantiate the module, and the statements that hand the exports on.

use oxc_ast::ast::*;
use oxc_span::Span;

use super::facts::InstantiationSite;
use super::plan::SitePlan;
use super::source::LineIndex;
use super::top_level::Exports;
use super::visit::Scan;
use super::GlueFacts;

/// The instantiation sites and the `x = instance.exports` binding the
/// whole-program scan found.
pub(super) fn from_scan(scan: &Scan, lines: &LineIndex, facts: &mut GlueFacts) {
    facts.report.wasm_binding = scan.exports_binding.clone();
    facts.report.wasm_alias = scan.exports_alias.clone();
    for &(api, callee) in &scan.sites {
        facts.report.instantiation_sites.push(InstantiationSite { api, line: lines.line(callee.start) });
        facts.plan.sites.push(SitePlan { api, callee });
    }
}

/// The bundler target's `__wbg_set_wasm(val) { wasm = val; }` names the
/// binding (also when minified and exported under that name).
pub(super) fn setter(body: &[Statement], exports: &Exports, facts: &mut GlueFacts) {
    for stmt in body {
        let f = match stmt {
            Statement::FunctionDeclaration(f) => f,
            Statement::ExportDeclaration(export) => match &export.declaration {
                Declaration::FunctionDeclaration(f) => f,
                _ => continue,
            },
            _ => continue,
        };
        let Some(name) = f.name() else { continue };
        if exports.public_name(name.as_str()) == "__wbg_set_wasm" {
            facts.report.wasm_setter = Some(name.to_string());
            if facts.report.wasm_binding.is_none() {
                facts.report.wasm_binding = single_assigned_identifier(f);
            }
        }
    }
}

/// `module.exports.__wbg_set_wasm = function (val) { wasm = val; }`: found
/// in the ordered pass, so it names the binding for the statements after it.
pub(super) fn cjs_setter(name: &str, f: &Function, facts: &mut GlueFacts) {
    if name == "__wbg_set_wasm" {
        facts.report.wasm_setter = Some(name.to_string());
        if facts.report.wasm_binding.is_none() {
            facts.report.wasm_binding = single_assigned_identifier(f);
        }
    }
}

/// `function __wbg_set_wasm(val) { wasm = val; }` → `wasm`.
fn single_assigned_identifier(f: &Function) -> Option<String> {
    let body = f.body.as_ref()?;
    body.statements.iter().find_map(|s| match s {
        Statement::ExpressionStatement(e) => match &e.expression {
            Expression::AssignmentExpression(a) => match &a.left {
                AssignmentTarget::AssignmentTargetIdentifier(id) => Some(id.name.to_string()),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    })
}

/// The `const` of `const wasm = ...`, which becomes `let`.
pub(super) fn const_keyword(var: &VariableDeclaration, facts: &mut GlueFacts) {
    let declares_binding = var
        .declarations
        .iter()
        .any(|d| d.id.get_identifier_name().is_some_and(|n| Some(n.as_str()) == facts.report.wasm_binding.as_deref()));
    if declares_binding && var.kind == VariableDeclarationKind::Const {
        facts.plan.wasm_const_keyword = Some(Span::new(var.span.start, var.span.start + 5));
    }
}

/// `setWasmExports(wasm)`, `module.exports.__wasm = wasm`: the exports
/// handed to other code, again for each new instance.
pub(super) fn handoff(expr: &ExpressionStatement, facts: &mut GlueFacts) {
    let Some(binding) = facts.report.wasm_binding.as_deref() else { return };
    let hands_over = match &expr.expression {
        Expression::CallExpression(call) => {
            call.arguments.iter().any(|a| a.as_expression().is_some_and(|e| e.is_specific_id(binding)))
        }
        Expression::AssignmentExpression(assign) => {
            assign.right.is_specific_id(binding)
                && !matches!(&assign.left, AssignmentTarget::AssignmentTargetIdentifier(id) if id.name == binding)
        }
        _ => false,
    };
    if hands_over {
        facts.plan.wasm_handoffs.push(expr.span);
    }
}
