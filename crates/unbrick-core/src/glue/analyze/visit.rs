//! The oxc visitors the analysis runs: each collects one kind of node.

use std::collections::HashSet;

use oxc_ast::ast::*;
use oxc_ast_visit::{walk, Visit};
use oxc_span::{GetSpan, Span};
use oxc_syntax::scope::ScopeFlags;

use super::facts::Api;
use super::plan::WasmFileSite;

/// What the whole program, or one initializer, refers to: instantiation
/// sites, the exports binding, registries, console.error, identifiers.
/// Where the exports binding is named: a declaration, or an assignment.
#[derive(Debug, Clone, Copy)]
pub(super) enum BindingAt {
    Declared(Option<oxc_syntax::symbol::SymbolId>),
    Assigned(Option<oxc_syntax::reference::ReferenceId>),
}

#[derive(Default)]
pub(super) struct Scan {
    pub(super) sites: Vec<(Api, Span)>,
    pub(super) instantiation_args: Vec<String>,
    pub(super) exports_binding: Option<String>,
    /// The identifier that binds it, for the scope it is declared in.
    pub(super) exports_binding_at: Option<BindingAt>,
    /// Every `x = ... = m.exports`: (x, where, the alias in the chain).
    exports_candidates: Vec<(String, BindingAt, Option<String>)>,
    /// Names read as `name.__wbindgen_*` or `name.__wbg_*`.
    wasm_member_objects: HashSet<String>,
    /// `T` of `x.T.get(i)(...)`: tables whose elements the glue calls.
    pub(super) called_tables: Vec<String>,
    pub(super) exports_alias: Option<String>,
    pub(super) finalizers: Vec<Span>,
    pub(super) console_error: Vec<Span>,
    pub(super) host_callbacks: Vec<Span>,
    pub(super) promise_constructions: Vec<Span>,
    pub(super) identifiers: HashSet<String>,
    pub(super) import_meta: bool,
    /// `module.exports` appears somewhere (a CommonJS bundle).
    pub(super) module_exports: bool,
    /// Only what an initializer evaluates: not the bodies of functions in it.
    skip_functions: bool,
    /// Functions named `__wbg_get_imports*` at any depth: one per copy of
    /// the glue (a bundle may hold several, renamed `...2`).
    pub(super) import_builders: usize,
}

impl Scan {
    pub(super) fn program(program: &Program) -> Self {
        let mut scan = Scan::default();
        scan.visit_program(program);
        scan.choose_exports_binding();
        scan
    }

    /// Only what `init` evaluates: not the bodies of functions in it.
    pub(super) fn initializer(init: &Expression) -> Self {
        let mut scan = Scan { skip_functions: true, ..Scan::default() };
        scan.visit_expression(init);
        scan
    }

    fn site(&mut self, api: Api, callee: Span, args: &[Argument]) {
        self.sites.push((api, callee));
        for arg in args {
            if let Some(id) = arg.as_expression().and_then(|e| e.get_identifier_reference()) {
                self.instantiation_args.push(id.name.to_string());
            }
        }
    }

    /// `target = ... = something.exports`: a candidate for the exports
    /// binding, with the alias assigned in the same chain
    /// (`const wasm = exports.__wasm = ...exports`, kept in step).
    fn exports_assignment(&mut self, target: &str, at: BindingAt, value: &Expression) {
        let mut alias = None;
        let mut value = value;
        while let Expression::AssignmentExpression(inner) = value {
            if let AssignmentTarget::StaticMemberExpression(member) = &inner.left {
                if let Some(object) = member.object.get_identifier_reference() {
                    alias = Some(format!("{}.{}", object.name, member.property.name));
                }
            }
            value = &inner.right;
        }
        if let Expression::StaticMemberExpression(member) = value {
            if member.property.name == "exports" {
                self.exports_candidates.push((target.to_string(), at, alias));
            }
        }
    }

    /// The exports binding: the first candidate the glue reads wasm-bindgen's
    /// exports from (`wasm.__wbindgen_malloc`), else the first one (a bundle
    /// may hold other `x = m.exports`, CommonJS module objects among them).
    fn choose_exports_binding(&mut self) {
        let chosen = self
            .exports_candidates
            .iter()
            .find(|(name, _, _)| self.wasm_member_objects.contains(name))
            .or(self.exports_candidates.first());
        if let Some((name, at, alias)) = chosen.cloned() {
            self.exports_binding = Some(name);
            self.exports_binding_at = Some(at);
            self.exports_alias = alias;
        }
    }
}

impl<'a> Visit<'a> for Scan {
    fn visit_new_expression(&mut self, it: &NewExpression<'a>) {
        if it.callee.is_specific_member_access("WebAssembly", "Instance") {
            self.site(Api::Instance, it.callee.span(), &it.arguments);
        }
        // js_sys::Promise::new's import: `new Promise(cb0)`, cb0 calling the Rust closure.
        if it.callee.is_specific_id("Promise") && it.arguments.len() == 1 {
            if let Some(Expression::Identifier(executor)) = it.arguments[0].as_expression() {
                let name = executor.name.as_str();
                if name.strip_prefix("cb").is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) {
                    self.promise_constructions.push(Span::new(it.span.start, it.callee.span().end));
                }
            }
        }
        if it.callee.is_specific_id("FinalizationRegistry") {
            if let Some(arg) = it.arguments.first() {
                self.finalizers.push(arg.span());
            }
        }
        walk::walk_new_expression(self, it);
    }

    fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
        if let Expression::CallExpression(get) = it.callee.get_inner_expression() {
            if let Expression::StaticMemberExpression(method) = get.callee.get_inner_expression() {
                if let (Expression::StaticMemberExpression(table), "get") =
                    (&method.object, method.property.name.as_str())
                {
                    if !self.called_tables.iter().any(|t| t == table.property.name.as_str()) {
                        self.called_tables.push(table.property.name.to_string());
                    }
                }
            }
        }
        if it.callee.is_specific_member_access("WebAssembly", "instantiate") {
            self.site(Api::Instantiate, it.callee.span(), &it.arguments);
        } else if it.callee.is_specific_member_access("WebAssembly", "instantiateStreaming") {
            self.site(Api::InstantiateStreaming, it.callee.span(), &it.arguments);
        } else if it.callee.is_specific_member_access("console", "error") {
            self.console_error.push(it.callee.span());
        }
        // Rust closures handed to the host's scheduler (wasm-bindgen-futures:
        // `queueMicrotask(f)`, `promise.then(resolve, reject)`).
        let scheduled = it.callee.is_specific_id("queueMicrotask")
            || it.callee.as_member_expression().is_some_and(|m| m.static_property_name() == Some("then"));
        if scheduled {
            self.host_callbacks.extend(it.arguments.iter().filter(|a| a.as_expression().is_some()).map(|a| a.span()));
        }
        walk::walk_call_expression(self, it);
    }

    fn visit_variable_declarator(&mut self, it: &VariableDeclarator<'a>) {
        if let (Some(name), Some(init)) = (it.id.get_identifier_name(), &it.init) {
            let at = BindingAt::Declared(it.id.get_binding_identifier().and_then(|id| id.symbol_id.get()));
            self.exports_assignment(name.as_str(), at, init);
        }
        walk::walk_variable_declarator(self, it);
    }

    fn visit_assignment_expression(&mut self, it: &AssignmentExpression<'a>) {
        if let AssignmentTarget::AssignmentTargetIdentifier(id) = &it.left {
            self.exports_assignment(id.name.as_str(), BindingAt::Assigned(id.reference_id.get()), &it.right);
        }
        walk::walk_assignment_expression(self, it);
    }

    fn visit_identifier_reference(&mut self, it: &IdentifierReference<'a>) {
        self.identifiers.insert(it.name.to_string());
    }

    fn visit_static_member_expression(&mut self, it: &StaticMemberExpression<'a>) {
        if it.object.is_specific_id("module") && it.property.name == "exports" {
            self.module_exports = true;
        }
        if let Some(object) = it.object.get_identifier_reference() {
            if it.property.name.starts_with("__wbindgen") || it.property.name.starts_with("__wbg_") {
                self.wasm_member_objects.insert(object.name.to_string());
            }
        }
        walk::walk_static_member_expression(self, it);
    }

    fn visit_import_meta(&mut self, _: &ImportMeta) {
        self.import_meta = true;
    }

    fn visit_function(&mut self, it: &Function<'a>, flags: ScopeFlags) {
        if it.id.as_ref().is_some_and(|id| id.name.starts_with("__wbg_get_imports")) {
            self.import_builders += 1;
        }
        if !self.skip_functions {
            walk::walk_function(self, it, flags);
        }
    }

    fn visit_arrow_function_expression(&mut self, it: &ArrowFunctionExpression<'a>) {
        if !self.skip_functions {
            walk::walk_arrow_function_expression(self, it);
        }
    }
}

/// Finds the [`WasmFileSite`]s.
pub(super) struct WasmFiles<'s> {
    source: &'s str,
    sites: Vec<WasmFileSite>,
}

impl<'s> WasmFiles<'s> {
    pub(super) fn find(source: &'s str, program: &Program) -> Vec<WasmFileSite> {
        let mut files = WasmFiles { source, sites: Vec::new() };
        files.visit_program(program);
        files.sites
    }

    fn text(&mut self, span: Span, value: &str, quote: Option<char>) {
        let Some(file) = value.rsplit('/').next().filter(|f| f.ends_with(".wasm")) else { return };
        // The offset of `.wasm` in the source, which has no escapes there.
        let Some(at) = self.source[span.start as usize..span.end as usize].rfind(".wasm") else { return };
        self.sites.push(WasmFileSite::Text { dot: span.start + at as u32, quote, file: file.to_string() });
    }
}

impl<'a> Visit<'a> for WasmFiles<'_> {
    fn visit_new_expression(&mut self, it: &NewExpression<'a>) {
        if let (true, Some(Argument::StringLiteral(file)), Some(base)) =
            (it.callee.is_specific_id("URL"), it.arguments.first(), it.arguments.get(1))
        {
            let base = base.span();
            if file.value.ends_with(".wasm")
                && &self.source[base.start as usize..base.end as usize] == "import.meta.url"
            {
                let file = file.value.rsplit('/').next().unwrap_or_default().to_string();
                self.sites.push(WasmFileSite::Url { span: it.span, file });
                return;
            }
        }
        walk::walk_new_expression(self, it);
    }

    // A static `import source m from "x_bg.wasm"` cannot choose at run time.
    fn visit_import_declaration(&mut self, _: &ImportDeclaration<'a>) {}

    fn visit_string_literal(&mut self, it: &StringLiteral<'a>) {
        let quote = self.source[it.span.start as usize..].chars().next();
        self.text(it.span, &it.value, quote);
    }

    fn visit_template_element(&mut self, it: &TemplateElement<'a>) {
        if let Some(cooked) = &it.value.cooked {
            self.text(it.span, cooked, None);
        }
    }
}

/// Whether a function calls a member of the exports binding (`wasm.f(...)`).
pub(super) struct CallsBinding<'b> {
    binding: &'b str,
    found: bool,
}

impl CallsBinding<'_> {
    pub(super) fn in_function(binding: &str, f: &Function) -> bool {
        let mut calls = CallsBinding { binding, found: false };
        calls.visit_function(f, ScopeFlags::Function);
        calls.found
    }
}

impl<'a> Visit<'a> for CallsBinding<'_> {
    fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
        if let Some(member) = it.callee.as_member_expression() {
            if member.object().is_specific_id(self.binding) {
                self.found = true;
            }
        }
        walk::walk_call_expression(self, it);
    }
}

/// `return` arguments of one function body, not of functions nested in it.
#[derive(Default)]
pub(super) struct Returns {
    spans: Vec<Span>,
}

impl Returns {
    pub(super) fn of(body: &FunctionBody) -> Vec<Span> {
        let mut returns = Returns::default();
        for stmt in &body.statements {
            returns.visit_statement(stmt);
        }
        returns.spans
    }
}

impl<'a> Visit<'a> for Returns {
    fn visit_return_statement(&mut self, it: &ReturnStatement<'a>) {
        if let Some(arg) = &it.argument {
            self.spans.push(arg.span());
        }
    }
    fn visit_function(&mut self, _: &Function<'a>, _: ScopeFlags) {}
    fn visit_arrow_function_expression(&mut self, _: &ArrowFunctionExpression<'a>) {}
}

/// Names assigned inside functions that also use the exports binding.
pub(super) struct GlueWrites<'b> {
    binding: &'b str,
    /// (uses the binding, names written) per function being visited.
    frames: Vec<(bool, Vec<String>)>,
    found: HashSet<String>,
}

impl GlueWrites<'_> {
    pub(super) fn found_in(program: &Program, binding: &str) -> HashSet<String> {
        let mut writes = GlueWrites { binding, frames: Vec::new(), found: HashSet::new() };
        writes.visit_program(program);
        writes.found
    }

    fn enter(&mut self) {
        self.frames.push((false, Vec::new()));
    }

    fn leave(&mut self) {
        if let Some((uses_binding, writes)) = self.frames.pop() {
            if uses_binding {
                self.found.extend(writes);
            }
        }
    }

    fn write(&mut self, name: &str) {
        if let Some(frame) = self.frames.last_mut() {
            frame.1.push(name.to_string());
        }
    }
}

impl<'a> Visit<'a> for GlueWrites<'_> {
    fn visit_function(&mut self, it: &Function<'a>, flags: ScopeFlags) {
        self.enter();
        walk::walk_function(self, it, flags);
        self.leave();
    }

    fn visit_arrow_function_expression(&mut self, it: &ArrowFunctionExpression<'a>) {
        self.enter();
        walk::walk_arrow_function_expression(self, it);
        self.leave();
    }

    fn visit_identifier_reference(&mut self, it: &IdentifierReference<'a>) {
        if it.name == self.binding {
            if let Some(frame) = self.frames.last_mut() {
                frame.0 = true;
            }
        }
    }

    fn visit_simple_assignment_target(&mut self, it: &SimpleAssignmentTarget<'a>) {
        if let SimpleAssignmentTarget::AssignmentTargetIdentifier(id) = it {
            self.write(id.name.as_str());
        }
        walk::walk_simple_assignment_target(self, it);
    }
}

/// String literals and template strings holding a module in base64 (its
/// `\0asm` magic is `AGFzbQ`), bare or as a `data:` URL: the byte span of
/// the base64 text in the source, which has no escapes.
pub(super) struct InlineModules<'s> {
    source: &'s str,
    pub(super) spans: Vec<Span>,
}

impl<'s> InlineModules<'s> {
    pub(super) fn find(source: &'s str, program: &Program) -> Vec<Span> {
        let mut found = InlineModules { source, spans: Vec::new() };
        found.visit_program(program);
        found.spans
    }

    /// `value` as it stands between `start` and `end` (the literal's text).
    fn text(&mut self, start: u32, end: u32, value: &str) {
        let Some(at) = value.find("AGFzbQ") else { return };
        let prefix = &value[..at];
        if !(prefix.is_empty() || (prefix.starts_with("data:") && prefix.ends_with(";base64,"))) {
            return;
        }
        let raw = &self.source[start as usize..end as usize];
        if raw.len() == value.len() && raw == value {
            self.spans.push(Span::new(start + at as u32, end));
        }
    }
}

impl<'a> Visit<'a> for InlineModules<'_> {
    fn visit_string_literal(&mut self, it: &StringLiteral<'a>) {
        // Inside the quotes.
        self.text(it.span.start + 1, it.span.end - 1, &it.value);
    }

    fn visit_template_element(&mut self, it: &TemplateElement<'a>) {
        if let Some(cooked) = &it.value.cooked {
            self.text(it.span.start, it.span.end, cooked);
        }
    }
}

/// The string arguments of `require(...)` calls anywhere in a program.
pub(super) struct Requires(Vec<String>);

impl Requires {
    pub(super) fn find(program: &Program) -> Vec<String> {
        let mut found = Requires(Vec::new());
        found.visit_program(program);
        found.0
    }
}

impl<'a> Visit<'a> for Requires {
    fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
        if let (true, [Argument::StringLiteral(specifier)]) =
            (it.callee.is_specific_id("require"), it.arguments.as_slice())
        {
            self.0.push(specifier.value.to_string());
        }
        walk::walk_call_expression(self, it);
    }
}
