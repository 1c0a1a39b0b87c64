//! Glue state: the module-level variables the reset function assigns
//! again (and the top-level calls it replays), and those left alone.

use std::collections::HashSet;

use oxc_ast::ast::*;
use oxc_span::{GetSpan, Span};

use super::classes;
use super::facts::StateStep;
use super::plan::ResetStep;
use super::source::LineIndex;
use super::visit::{GlueWrites, Scan};
use super::GlueFacts;

/// What decides, declaration by declaration, whether a variable is state.
pub(super) struct State {
    /// Host and instantiation names, and variables whose initializer reads
    /// them: never state.
    excluded: HashSet<String>,
    /// The state variables declared so far.
    names: HashSet<String>,
    /// Variables written by functions that use the instance (minified glue
    /// renames the state, so names alone do not find it).
    written_by_glue: HashSet<String>,
}

impl State {
    pub(super) fn new(instantiation_args: &[String], binding: Option<&str>, program: &Program) -> Self {
        let mut excluded: HashSet<String> = ["WebAssembly", "require", "__dirname", "__filename", "Deno", "process"]
            .into_iter()
            .map(String::from)
            .collect();
        excluded.extend(instantiation_args.iter().cloned());
        excluded.extend(binding.map(String::from));
        let written_by_glue = match binding {
            Some(binding) => GlueWrites::found_in(program, binding),
            None => HashSet::new(),
        };
        State { excluded, names: HashSet::new(), written_by_glue }
    }

    /// One declarator of a top-level `var`/`let`/`const` ending at `stmt_end`.
    pub(super) fn declarator(
        &mut self,
        var: &VariableDeclaration,
        d: &VariableDeclarator,
        stmt_end: u32,
        lines: &LineIndex,
        facts: &mut GlueFacts,
    ) {
        let (Some(name), Some(init)) = (d.id.get_identifier_name(), d.init.as_ref()) else { return };
        let name = name.to_string();
        // `var X = class { ... }` (esbuild and rolldown bundles); first, as a
        // minifier may give a class the name of an excluded one elsewhere.
        if let Expression::ClassExpression(class) = init {
            classes::push(class, Some(&name), stmt_end, lines, facts);
            return;
        }
        let refs = Scan::initializer(init);
        if self.excluded.contains(&name)
            || refs.import_meta
            || refs.identifiers.iter().any(|i| self.excluded.contains(i))
        {
            self.excluded.insert(name);
            return;
        }
        let registry = !refs.finalizers.is_empty();
        let derived = refs.identifiers.iter().any(|i| self.names.contains(i));
        let container = matches!(var.kind, VariableDeclarationKind::Const) && is_mutable_container(init);
        if !registry && !derived && !container && !self.written_by_glue.contains(&name) && !is_glue_state_name(&name) {
            if !matches!(init, Expression::FunctionExpression(_) | Expression::ArrowFunctionExpression(_)) {
                facts.report.left_alone.push(name);
            }
            return;
        }
        let const_keyword =
            (var.kind == VariableDeclarationKind::Const).then(|| Span::new(var.span.start, var.span.start + 5));
        facts.report.state.push(StateStep::Assign { name: name.clone(), line: lines.line(d.span.start), registry });
        facts.plan.reset.push(ResetStep::Assign { name: name.clone(), init: init.span(), const_keyword });
        self.names.insert(name);
    }

    /// `heap.push(...)`, `cachedTextDecoder.decode()`.
    pub(super) fn replay(&self, expr: &ExpressionStatement, lines: &LineIndex, facts: &mut GlueFacts) {
        let Expression::CallExpression(call) = &expr.expression else { return };
        let Some(member) = call.callee.as_member_expression() else { return };
        let Some(object) = member.object().get_identifier_reference() else { return };
        if self.names.contains(object.name.as_str()) {
            facts.report.state.push(StateStep::Replay { line: lines.line(expr.span.start) });
            facts.plan.reset.push(ResetStep::Replay { statement: expr.span });
        }
    }
}

fn is_mutable_container(init: &Expression) -> bool {
    match init {
        Expression::ArrayExpression(_) => true,
        Expression::NewExpression(new) => {
            ["Array", "Map", "Set", "WeakMap"].iter().any(|c| new.callee.is_specific_id(c))
        }
        // `new Array(128).fill(undefined)`
        Expression::CallExpression(call) => call
            .callee
            .as_member_expression()
            .is_some_and(|m| matches!(m.object(), Expression::NewExpression(_) | Expression::ArrayExpression(_))),
        _ => false,
    }
}

/// The module-level state wasm-bindgen's glue keeps, by the names it has
/// used from 0.2.7x on: memory views, the vector length, the heap slab, the
/// text decoder, registries, its own `__wbg_` flags. Other variables (a
/// bundle's or a wrapper's, like `initialized`) are left alone.
fn is_glue_state_name(name: &str) -> bool {
    let memory_view = (name.starts_with("cached") || name.starts_with("cacheget"))
        && name.trim_end_matches(|c: char| c.is_ascii_digit()).ends_with("Memory");
    memory_view
        || name.starts_with("__wbg_")
        || name.ends_with("Finalization")
        || matches!(
            name,
            "cachedTextDecoder"
                | "WASM_VECTOR_LEN"
                | "heap"
                | "heap_next"
                | "stack_pointer"
                | "numBytesDecoded"
                | "CLOSURE_DTORS"
        )
}
