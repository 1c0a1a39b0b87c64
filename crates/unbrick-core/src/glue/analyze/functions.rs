//! The API: exported functions that are not wasm imports (or, when the
//! exports cannot be read, functions that call into the instance), their
//! bodies, and wasm-bindgen's own guard functions.

use std::collections::HashSet;

use oxc_ast::ast::*;
use oxc_span::{GetSpan, Span};

use super::direct_call;
use super::facts::{ApiFoundBy, Member, MemberKind};
use super::plan::{BodyPlan, UpstreamGuard};
use super::visit::{CallsBinding, Returns};
use super::GlueFacts;

/// Which exported names are API entry points.
pub(super) struct ApiNames<'i> {
    exported: HashSet<String>,
    /// The names the `.wasm` imports, whose glue functions are not entry points.
    imports: &'i HashSet<&'i str>,
}

impl<'i> ApiNames<'i> {
    pub(super) fn new(exported: &[String], imports: &'i HashSet<&'i str>) -> Self {
        ApiNames { exported: exported.iter().cloned().collect(), imports }
    }

    pub(super) fn contains(&self, name: &str) -> bool {
        self.exported.contains(name)
            && !self.imports.contains(name)
            && !name.starts_with("__wbg_")
            && !name.starts_with("__wbindgen")
            && name != "initSync"
    }
}

/// An entry point and its body; None for a function without one.
pub(super) fn member(name: &str, kind: MemberKind, f: &Function) -> Option<(Member, BodyPlan)> {
    let body = f.body.as_ref()?;
    Some((
        Member { name: name.to_string(), kind },
        BodyPlan {
            name: name.to_string(),
            body_start: body.span.start + 1,
            returns: Returns::of(body),
            direct_call: direct_call::first_statement(body),
        },
    ))
}

pub(super) fn push(name: &str, f: &Function, facts: &mut GlueFacts) {
    if let Some((member, body)) = member(name, MemberKind::Function, f) {
        facts.report.functions.push(member);
        facts.plan.functions.push(body);
    }
}

/// Bundled or hand-written glue whose exports are not `export function`
/// or `exports.x = x`: every top-level function that calls into the
/// instance gets the entry check (harmless where it is not an entry).
pub(super) fn by_calls(body: &[Statement], imports: &HashSet<&str>, facts: &mut GlueFacts) {
    if !facts.report.functions.is_empty() {
        return;
    }
    let Some(binding) = facts.report.wasm_binding.clone() else { return };
    facts.report.api_found_by = ApiFoundBy::CallsIntoTheInstance;
    for stmt in body {
        let Statement::FunctionDeclaration(f) = stmt else { continue };
        let Some(name) = f.name() else { continue };
        let name = name.to_string();
        if imports.contains(name.as_str())
            || name.starts_with("__wbg")
            || name.starts_with("__wbindgen")
            || facts.report.closure_factories.contains(&name)
        {
            continue;
        }
        if CallsBinding::in_function(&binding, f) {
            // An entry now: its direct call is planned with its body.
            facts
                .plan
                .internal_direct_calls
                .retain(|c| c.statement.start < f.span.start || c.statement.end > f.span.end);
            push(&name, f, facts);
        }
    }
}

/// `__wbg_call_guard`: all its statements are replaced; `__wbg_handle_catch`:
/// those after its `if` statements, by rethrowing its parameter.
pub(super) fn upstream_guard(name: &str, f: &Function) -> Option<UpstreamGuard> {
    let body = f.body.as_ref()?;
    let kept = if name == "__wbg_handle_catch" {
        body.statements.iter().take_while(|s| matches!(s, Statement::IfStatement(_))).count()
    } else {
        0
    };
    let rest = &body.statements[kept..];
    let replaced = match (rest.first(), rest.last()) {
        (Some(first), Some(last)) => Some(Span::new(first.span().start, last.span().end)),
        _ => None,
    };
    let rethrow = (name == "__wbg_handle_catch")
        .then(|| f.params.items.first().and_then(|p| p.pattern.get_identifier_name()).map(|n| n.to_string()))
        .flatten();
    Some(UpstreamGuard { replaced, rethrow })
}
