//! The top level of a glue file: its statements (the no-modules wrapper's
//! body), what it imports and exports, and its module kind.

use oxc_ast::ast::*;
use oxc_span::GetSpan;

use super::facts::ModuleKind;
use super::plan::ExportsObject;
use super::GlueFacts;

/// What the top level exports.
pub(super) struct Exports {
    pub(super) names: Vec<String>,
    /// (local, exported) for `export { local as exported }`.
    renamed: Vec<(String, String)>,
    pub(super) is_esm: bool,
}

impl Exports {
    /// The name `local` is exported under (`export { t as __wbg_set_wasm }`
    /// in minified glue), or `local`.
    pub(super) fn public_name<'n>(&'n self, local: &'n str) -> &'n str {
        self.renamed.iter().find(|(l, _)| l == local).map(|(_, p)| p.as_str()).unwrap_or(local)
    }
}

/// The statements that are the top level, and the no-modules wrapper's
/// exports object. The no-modules target wraps everything in `let
/// wasm_bindgen = (function(exports) { ... })({})`: its body is the top level.
pub(super) fn body<'p, 'a>(program: &'p Program<'a>, facts: &mut GlueFacts) -> (&'p [Statement<'a>], Option<String>) {
    let bundled = |wrapper: &str, found: Option<(&'p FunctionBody<'a>, String)>, facts: &mut GlueFacts| {
        facts.report.bundle_wrapper = found.as_ref().map(|_| wrapper.to_string());
        found
    };
    let wrapped = no_modules_body(program)
        .or_else(|| bundled("IIFE", bundled_iife_body(program), facts))
        .or_else(|| bundled("UMD", umd_factory_body(program), facts));
    let body: &[Statement] = match wrapped {
        Some((function_body, exports)) => {
            facts.plan.tail = function_body.span.end - 1;
            facts.report.wrapped_in_function = true;
            // Before the last statement, which merges that object into `wasm_bindgen`.
            let last = function_body.statements.last().map(|s| s.span().start).unwrap_or(facts.plan.tail);
            facts.plan.exports_object_name = Some((exports, last));
            &function_body.statements
        }
        None => &program.body,
    };
    facts.plan.top = body.first().map(|s| s.span().start).unwrap_or(0);
    let wrapper = facts.plan.exports_object_name.as_ref().map(|(name, _)| name.clone());
    (body, wrapper)
}

/// Import and export statements: the exported names, where the runtime
/// block goes, which `.wasm` or `fs` the glue imports.
pub(super) fn exports(body: &[Statement], wrapper: Option<&str>, facts: &mut GlueFacts) -> Exports {
    let mut exported: Vec<String> = Vec::new();
    let mut renamed: Vec<(String, String)> = Vec::new();
    let mut is_esm = false;
    let mut leading_imports = true;
    for stmt in body {
        leading_imports &= matches!(stmt, Statement::ImportDeclaration(_));
        match stmt {
            Statement::ImportDeclaration(import) => {
                is_esm = true;
                // After the imports the file starts with; imports further
                // down are hoisted anyway.
                if leading_imports {
                    facts.plan.top = import.span.end;
                    facts.plan.top_after_import = true;
                }
                if import.source.value.ends_with(".wasm") {
                    if import.phase.is_some() {
                        facts.report.imports_wasm_source = true;
                    } else {
                        facts.report.imports_wasm_module = Some(import.source.value.to_string());
                        let namespace = import.specifiers.as_ref().and_then(|specifiers| match specifiers.as_slice() {
                            [ImportDeclarationSpecifier::ImportNamespaceSpecifier(ns)] => {
                                Some(ns.local.name.to_string())
                            }
                            _ => None,
                        });
                        facts.plan.wasm_namespace_import = namespace.map(|name| (import.span, name));
                    }
                }
                if import.source.value == "fs" || import.source.value == "node:fs" {
                    facts.report.imports_node_fs = true;
                }
            }
            Statement::ExportDeclaration(export) => {
                is_esm = true;
                match &export.declaration {
                    Declaration::FunctionDeclaration(f) => exported.extend(f.name().map(|n| n.to_string())),
                    Declaration::ClassDeclaration(c) => exported.extend(c.name().map(|n| n.to_string())),
                    Declaration::VariableDeclaration(v) => exported.extend(
                        v.declarations.iter().filter_map(|d| d.id.get_identifier_name()).map(|n| n.to_string()),
                    ),
                    _ => {}
                }
            }
            Statement::ExportNamedDeclaration(export) => {
                is_esm = true;
                for spec in &export.specifiers {
                    exported.push(spec.local.name().to_string());
                    let public = spec.exported.name().to_string();
                    if public != spec.local.name().as_str() {
                        renamed.push((spec.local.name().to_string(), public));
                    }
                }
            }
            Statement::ExportDefaultDeclaration(_)
            | Statement::ExportAllDeclaration(_)
            | Statement::ExportFromDeclaration(_) => is_esm = true,
            Statement::ExpressionStatement(expr) => {
                // Minifiers join the assignments: `exports.A = a, exports.B = b;`.
                let assignments = match &expr.expression {
                    Expression::SequenceExpression(sequence) => sequence.expressions.iter().collect(),
                    single => vec![single],
                };
                for assignment in assignments {
                    if let Some((assignee, name)) = cjs_export(assignment, wrapper) {
                        if let Assignee::Object(object) = assignee {
                            facts.plan.exports_object = Some(object);
                        }
                        exported.push(name);
                    }
                }
            }
            _ => {}
        }
    }
    Exports { names: exported, renamed, is_esm }
}

pub(super) fn module_kind(is_esm: bool, module_exports: bool, facts: &GlueFacts) -> ModuleKind {
    let report = &facts.report;
    if is_esm || report.uses_import_meta {
        ModuleKind::Esm
    } else if !report.wrapped_in_function
        && (facts.plan.exports_object.is_some() || report.uses_require || module_exports)
    {
        ModuleKind::CommonJs
    } else {
        ModuleKind::Script
    }
}

/// The no-modules target's wrapper: `let wasm_bindgen = (function(exports)
/// { ... })(...)`, or in older versions `let wasm_bindgen; (function() {
/// const __exports = {}; ... })();`. Returns its body and the name of the
/// object merged into `wasm_bindgen`.
fn no_modules_body<'p, 'a>(program: &'p Program<'a>) -> Option<(&'p FunctionBody<'a>, String)> {
    let call = match program.body.as_slice() {
        [Statement::VariableDeclaration(var)] => {
            let declarator = var.declarations.first()?;
            if declarator.id.get_identifier_name()?.as_str() != "wasm_bindgen" {
                return None;
            }
            declarator.init.as_ref()?.get_inner_expression()
        }
        [Statement::VariableDeclaration(var), Statement::ExpressionStatement(expr)] => {
            var.declarations
                .iter()
                .find(|d| d.id.get_identifier_name().is_some_and(|n| n.as_str() == "wasm_bindgen"))?;
            expr.expression.get_inner_expression()
        }
        _ => return None,
    };
    let Expression::CallExpression(call) = call else { return None };
    let Expression::FunctionExpression(function) = call.callee.get_inner_expression() else { return None };
    let body = function.body.as_deref()?;
    let exports = match function.params.items.first() {
        Some(param) => param.pattern.get_identifier_name()?.to_string(),
        None => body.statements.iter().find_map(|s| match s {
            Statement::VariableDeclaration(v) => v
                .declarations
                .iter()
                .filter_map(|d| d.id.get_identifier_name())
                .find(|n| n.as_str() == "__exports")
                .map(|n| n.to_string()),
            _ => None,
        })?,
    };
    Some((body, exports))
}

/// A bundler's IIFE, as a classic script runs it (esbuild's `--format=iife
/// --global-name=X`): `var X = (() => { ...; return toCommonJS(exports) })()`.
/// Returns its body and the exports object its last statement returns.
fn bundled_iife_body<'p, 'a>(program: &'p Program<'a>) -> Option<(&'p FunctionBody<'a>, String)> {
    let [Statement::VariableDeclaration(var)] = program.body.as_slice() else { return None };
    let [declarator] = var.declarations.as_slice() else { return None };
    let Expression::CallExpression(call) = declarator.init.as_ref()?.get_inner_expression() else { return None };
    let body = match call.callee.get_inner_expression() {
        Expression::ArrowFunctionExpression(arrow) if arrow.params.items.is_empty() => match &arrow.body {
            ArrowFunctionBody::FunctionBody(body) => body.as_ref(),
            _ => return None,
        },
        Expression::FunctionExpression(function) if function.params.items.is_empty() => function.body.as_deref()?,
        _ => return None,
    };
    let Some(Statement::ReturnStatement(ret)) = body.statements.last() else { return None };
    let returned = ret.argument.as_ref()?.get_inner_expression();
    let object = match returned {
        Expression::CallExpression(wrap) => match wrap.arguments.as_slice() {
            [arg] => arg.as_expression()?.get_inner_expression(),
            _ => return None,
        },
        other => other,
    };
    let Expression::Identifier(exports) = object else { return None };
    Some((body, exports.name.to_string()))
}

/// A universal module definition's factory, whose one parameter is the
/// exports object: `(function (global, factory) { ... })(this, function
/// (exports) { ... })`, or as rollup minifies it, `var e, t; e = this, t =
/// function (e) { ... }, ...`. Returns its body and that parameter.
fn umd_factory_body<'p, 'a>(program: &'p Program<'a>) -> Option<(&'p FunctionBody<'a>, String)> {
    let factory = |expr: &'p Expression<'a>| -> Option<(&'p FunctionBody<'a>, String)> {
        let (params, body) = match expr.get_inner_expression() {
            Expression::FunctionExpression(f) => (&f.params, f.body.as_deref()?),
            Expression::ArrowFunctionExpression(a) => match &a.body {
                ArrowFunctionBody::FunctionBody(body) => (&a.params, body.as_ref()),
                _ => return None,
            },
            _ => return None,
        };
        let [param] = params.items.as_slice() else { return None };
        Some((body, param.pattern.get_identifier_name()?.to_string()))
    };
    match program.body.as_slice() {
        [Statement::ExpressionStatement(stmt)] => {
            let call = match stmt.expression.get_inner_expression() {
                Expression::UnaryExpression(not) => not.argument.get_inner_expression(),
                other => other,
            };
            let Expression::CallExpression(call) = call else { return None };
            let [_, last] = call.arguments.as_slice() else { return None };
            factory(last.as_expression()?)
        }
        [Statement::VariableDeclaration(_), Statement::ExpressionStatement(stmt)] => {
            let Expression::SequenceExpression(sequence) = &stmt.expression else { return None };
            sequence.expressions.iter().find_map(|expr| match expr {
                Expression::AssignmentExpression(assign) => factory(&assign.right),
                _ => None,
            })
        }
        _ => None,
    }
}

/// The object a CommonJS export is assigned to.
pub(super) enum Assignee {
    /// The no-modules wrapper's exports object.
    Wrapper,
    Object(ExportsObject),
}

/// `exports.NAME = ...` or `module.exports.NAME = ...`, or `WRAPPER.NAME =
/// ...` with the no-modules wrapper's exports object.
pub(super) fn cjs_export(expr: &Expression, wrapper: Option<&str>) -> Option<(Assignee, String)> {
    let Expression::AssignmentExpression(assign) = expr else { return None };
    let AssignmentTarget::StaticMemberExpression(target) = &assign.left else { return None };
    let name = target.property.name.to_string();
    if wrapper.is_some_and(|w| target.object.is_specific_id(w)) {
        Some((Assignee::Wrapper, name))
    } else if target.object.is_specific_id("exports") {
        Some((Assignee::Object(ExportsObject::Exports), name))
    } else if target.object.is_specific_member_access("module", "exports") {
        Some((Assignee::Object(ExportsObject::ModuleExports), name))
    } else {
        None
    }
}

/// Whether a top-level statement declares (functions, classes, variables,
/// exports, assignments such as `exports.f = function () {}`), rather than
/// runs code of its own (a call of a function expression).
pub(super) fn declares(stmt: &Statement) -> bool {
    match stmt {
        Statement::ExpressionStatement(expr) => match &expr.expression {
            Expression::AssignmentExpression(_) => true,
            Expression::SequenceExpression(sequence) => {
                sequence.expressions.iter().all(|e| matches!(e, Expression::AssignmentExpression(_)))
            }
            _ => false,
        },
        Statement::FunctionDeclaration(_)
        | Statement::ClassDeclaration(_)
        | Statement::VariableDeclaration(_)
        | Statement::ExportDeclaration(_)
        | Statement::ExportNamedDeclaration(_)
        | Statement::ExportDefaultDeclaration(_) => true,
        _ => false,
    }
}
