//! Classes that hold a Rust pointer (their members, the pointer field,
//! `free`) and the closure factories.

use oxc_ast::ast::*;

use super::facts::{ClassFacts, MemberKind};
use super::functions;
use super::plan::ClassPlan;
use super::source::LineIndex;
use super::GlueFacts;

/// Records `class` (`name` is the variable an anonymous class expression is
/// assigned to) if it has a pointer field: classes without one are the
/// glue's own JS classes (`PanicError`), not Rust objects.
pub(super) fn push(class: &Class, name: Option<&str>, end: u32, lines: &LineIndex, facts: &mut GlueFacts) {
    if let Some((report, plan)) = class_facts(class, name, end, lines).filter(|(c, _)| c.pointer_field.is_some()) {
        facts.report.classes.push(report);
        facts.plan.classes.push(plan);
    }
}

fn class_facts(class: &Class, name: Option<&str>, end: u32, lines: &LineIndex) -> Option<(ClassFacts, ClassPlan)> {
    let name = name.map(str::to_string).or_else(|| class.name().map(|n| n.to_string()))?;
    let mut pointer_field = None;
    let mut free_body_start = None;
    let (mut members, mut bodies) = (Vec::new(), Vec::new());
    for element in &class.body.body {
        let ClassElement::MethodDefinition(method) = element else { continue };
        let Some(key) = method.key.static_name() else { continue };
        let key = key.to_string();
        if key == "__wrap" && method.r#static {
            pointer_field = pointer_field.take().or_else(|| wrap_pointer_field(&method.value));
            continue;
        }
        if key == "__destroy_into_raw" {
            pointer_field = destroy_pointer_field(&method.value).or(pointer_field.take());
            continue;
        }
        if key == "free" {
            free_body_start = method.value.body.as_ref().map(|b| b.span.start + 1);
            continue;
        }
        if key.starts_with("__") {
            continue;
        }
        let kind = match method.kind {
            MethodDefinitionKind::Constructor => MemberKind::Constructor,
            MethodDefinitionKind::Get => MemberKind::Getter,
            MethodDefinitionKind::Set => MemberKind::Setter,
            MethodDefinitionKind::Method if method.r#static => MemberKind::StaticMethod,
            MethodDefinitionKind::Method => MemberKind::Method,
        };
        if let Some((member, body)) = functions::member(&key, kind, &method.value) {
            members.push(member);
            bodies.push(body);
        }
    }
    let report = ClassFacts {
        name: name.clone(),
        line: lines.line(class.span.start),
        pointer_field: pointer_field.clone(),
        members,
    };
    Some((report, ClassPlan { name, pointer_field, members: bodies, free_body_start, end }))
}

/// In `__destroy_into_raw() { const ptr = this.FIELD; this.FIELD = 0; ... }`, FIELD:
/// every class that can be freed has it, also those never returned by Rust.
fn destroy_pointer_field(f: &Function) -> Option<String> {
    let body = f.body.as_ref()?;
    body.statements.iter().find_map(|s| {
        let Statement::VariableDeclaration(v) = s else { return None };
        let init = v.declarations.first()?.init.as_ref()?;
        let Expression::StaticMemberExpression(member) = init else { return None };
        matches!(member.object, Expression::ThisExpression(_)).then(|| member.property.name.to_string())
    })
}

/// In `static __wrap(ptr) { const obj = ...; obj.FIELD = ptr; ... }`, FIELD.
fn wrap_pointer_field(f: &Function) -> Option<String> {
    let param = f.params.items.first()?.pattern.get_identifier_name()?;
    let body = f.body.as_ref()?;
    body.statements.iter().find_map(|s| {
        let Statement::ExpressionStatement(e) = s else { return None };
        let Expression::AssignmentExpression(a) = &e.expression else { return None };
        let AssignmentTarget::StaticMemberExpression(target) = &a.left else { return None };
        a.right.is_specific_id(param.as_str()).then(|| target.property.name.to_string())
    })
}

/// `makeMutClosure`/`makeClosure`, recognised by the state they keep
/// (`{ a: arg0, b: arg1, cnt: 1 }`) so that minified glue is recognised too.
pub(super) fn is_closure_factory(f: &Function) -> bool {
    let Some(body) = &f.body else { return false };
    body.statements.iter().any(|s| {
        let Statement::VariableDeclaration(v) = s else { return false };
        v.declarations.iter().any(|d| {
            let Some(Expression::ObjectExpression(object)) = &d.init else { return false };
            let keys: Vec<String> = object
                .properties
                .iter()
                .filter_map(|p| match p {
                    ObjectPropertyKind::ObjectProperty(p) => p.key.static_name().map(|k| k.to_string()),
                    ObjectPropertyKind::SpreadProperty(_) => None,
                })
                .collect();
            ["a", "b", "cnt"].iter().all(|k| keys.iter().any(|key| key == k))
        })
    })
}
