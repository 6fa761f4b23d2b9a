//! One member as the context shows it: kind, qualified name, signature, first
//! doc line, source file. Module members go through the evaluator, so a
//! re-export shows the real definition (as hover does); class members are
//! read from the class of the MRO that defines them.

use std::path::PathBuf;
use std::sync::Arc;

use crate::analysis::eval::{Ctx, Evaluator};
use crate::analysis::hover;
use crate::analysis::types::{ClassRef, Lookup, Ty};
use crate::index::python_env::DumpMember;
use crate::index::Module;
use crate::syntax::facts::{BindingKind, ClassFacts, Expr, Span, MODULE_SCOPE};

#[derive(Debug, Clone)]
pub struct Described {
    /// `module`, `class`, `function`, `method`, `property`, `variable`, `attribute`.
    pub kind: &'static str,
    /// The name as it is reached: `requests.get`, `requests.Session.get`.
    pub name: String,
    pub signature: Option<String>,
    pub doc: Option<String>,
    pub source: Option<PathBuf>,
    /// For a class: the class itself, whose members may be listed too.
    pub class: Option<ClassRef>,
}

/// `name` as a member of module `m`; None when the module has no such member.
pub fn module_member(ev: &Evaluator, m: &Arc<Module>, name: &str) -> Option<Described> {
    module_member_at(ev, m, name, 0)
}

fn module_member_at(ev: &Evaluator, m: &Arc<Module>, name: &str, depth: u32) -> Option<Described> {
    let ty = match ev.module_member(m, name) {
        Lookup::Found(t) => t,
        _ => return None,
    };
    // Known to exist (the interpreter's namespace says so) but brought in
    // by a star import (`posixpath` from `genericpath`): described where it
    // is defined.
    if ty.is_unknown() && depth < 4 {
        if let Some(mut d) = through_star_import(ev, m, name, depth) {
            d.name = format!("{}.{name}", m.name);
            return Some(d);
        }
    }
    let container = Ty::Module(m.clone());
    let d = hover::describe_member(ev, &ty, &container, name, Span::default());
    let mut signature = d.signature;
    let kind = match d.kind {
        "instance" => {
            if let Ty::Instance(c) = &ty {
                let class = c.qualified_name();
                let class = class.strip_prefix("builtins.").unwrap_or(&class);
                signature = Some(format!("{name}: {class}"));
            }
            "variable"
        }
        "attribute" | "variable" => {
            if let Some(DumpMember::Variable { type_name }) =
                ev.index.dump_of(&m.name).and_then(|d| d.members.get(name))
            {
                if type_name != "?" {
                    signature = Some(format!("{name}: {type_name}"));
                }
            }
            "variable"
        }
        k => k,
    };
    let class = match &ty {
        Ty::Class(c) => Some(c.clone()),
        _ => None,
    };
    // An alias (`month = c.formatmonth`, `Alias = Real`) shows under the
    // name it is reached by.
    let signature = signature.map(|s| renamed(&s, name, matches!(ty, Ty::BoundMethod(..))));
    Some(Described {
        kind,
        name: format!("{}.{name}", m.name),
        signature,
        doc: d.doc,
        source: source_of(&ty).or_else(|| m.file.clone()),
        class,
    })
}

/// A signature written for the definition (`def formatmonth(self, …)`)
/// under the name it is reached by (`def month(…)`; a bound method's
/// receiver left out).
fn renamed(signature: &str, name: &str, bound: bool) -> String {
    for keyword in ["async def ", "def ", "class "] {
        let Some(rest) = signature.strip_prefix(keyword) else {
            continue;
        };
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let mut tail = rest[end..].to_string();
        if bound {
            for receiver in ["(self, ", "(cls, ", "(self)", "(cls)"] {
                if let Some(after) = tail.strip_prefix(receiver) {
                    let close = if receiver.ends_with(')') { ")" } else { "" };
                    tail = format!("({close}{after}");
                    break;
                }
            }
        }
        return format!("{keyword}{name}{tail}");
    }
    signature.to_string()
}

/// `name` described in the module a star import of `m` takes it from.
fn through_star_import(
    ev: &Evaluator,
    m: &Arc<Module>,
    name: &str,
    depth: u32,
) -> Option<Described> {
    let facts = m.facts.as_ref()?;
    if facts.module_bindings(name).is_some() {
        return None;
    }
    let ctx = Ctx { module: m.clone() };
    for star in &facts.scope(MODULE_SCOPE).star_imports {
        if !ev.guard_active(&ctx, star.guard) {
            continue;
        }
        let Some(target) = ev
            .absolute_module(&ctx, star.level, &star.module)
            .and_then(|n| ev.resolve_module(&n))
        else {
            continue;
        };
        if let Some(d) = module_member_at(ev, &target, name, depth + 1) {
            if d.signature.is_some() || d.doc.is_some() || d.class.is_some() {
                return Some(d);
            }
        }
    }
    None
}

/// `name` as a member of class `c` (inherited members included).
pub fn class_member(ev: &Evaluator, c: &ClassRef, name: &str) -> Option<Described> {
    let qualified = format!("{}.{name}", c.qualified_name());
    let plain = |kind, source: Option<PathBuf>| Described {
        kind,
        name: qualified.clone(),
        signature: None,
        doc: None,
        source,
        class: None,
    };
    for (k, _) in ev.mro(c) {
        match &k {
            ClassRef::Source { module, id } => {
                let Some(facts) = module.facts.as_ref() else {
                    continue;
                };
                let Some(class) = facts.classes.get(*id as usize) else {
                    continue;
                };
                if let Some(bindings) = facts.scope(class.scope).bindings.get(name) {
                    for b in bindings {
                        match &b.kind {
                            BindingKind::Function(f) => {
                                let f = &facts.functions[*f as usize];
                                let property = f.has_decorator("property")
                                    || f.has_decorator("cached_property");
                                return Some(Described {
                                    kind: if property { "property" } else { "method" },
                                    name: qualified,
                                    signature: Some(f.signature()),
                                    doc: f.doc.clone(),
                                    source: module.file.clone(),
                                    class: None,
                                });
                            }
                            BindingKind::Class(nested) => {
                                let nested_facts = &facts.classes[*nested as usize];
                                return Some(Described {
                                    kind: "class",
                                    name: qualified,
                                    signature: Some(class_signature(nested_facts)),
                                    doc: nested_facts.doc.clone(),
                                    source: module.file.clone(),
                                    class: Some(ClassRef::Source {
                                        module: module.clone(),
                                        id: *nested,
                                    }),
                                });
                            }
                            _ => {}
                        }
                    }
                    return Some(plain("attribute", module.file.clone()));
                }
                if class.self_attrs.contains_key(name) {
                    return Some(plain("attribute", module.file.clone()));
                }
            }
            ClassRef::Dump {
                module,
                name: class,
            } => {
                if let Some(DumpMember::Class { members }) =
                    ev.index.dump_of(module).and_then(|d| d.members.get(class))
                {
                    if members.iter().any(|m| m == name) {
                        return Some(plain("attribute", None));
                    }
                }
            }
        }
    }
    None
}

/// A description of the class itself, for `lookup` on a class reached as a
/// value rather than as a member.
pub fn class_itself(c: &ClassRef) -> Described {
    Described {
        kind: "class",
        name: c.qualified_name(),
        signature: c.facts().map(class_signature),
        doc: c.facts().and_then(|f| f.doc.clone()),
        source: match c {
            ClassRef::Source { module, .. } => module.file.clone(),
            ClassRef::Dump { .. } => None,
        },
        class: Some(c.clone()),
    }
}

/// A module itself, for `lookup` on a module name.
pub fn module_itself(m: &Arc<Module>) -> Described {
    Described {
        kind: "module",
        name: m.name.clone(),
        signature: None,
        doc: m.facts.as_ref().and_then(|f| f.doc.clone()),
        source: m.file.clone().or_else(|| m.package_dirs.first().cloned()),
        class: None,
    }
}

/// `class Name(Base, …)` as written.
pub fn class_signature(facts: &ClassFacts) -> String {
    let bases: Vec<String> = facts.bases.iter().filter_map(base_text).collect();
    if bases.is_empty() {
        format!("class {}", facts.name)
    } else {
        format!("class {}({})", facts.name, bases.join(", "))
    }
}

fn base_text(e: &Expr) -> Option<String> {
    match e {
        Expr::Subscript { value, .. } => value.dotted().map(|d| format!("{d}[…]")),
        other => other.dotted(),
    }
}

fn source_of(ty: &Ty) -> Option<PathBuf> {
    match ty {
        Ty::Module(m) => m.file.clone(),
        Ty::Class(ClassRef::Source { module, .. }) => module.file.clone(),
        Ty::Function(f) | Ty::BoundMethod(f, _) => f.module.file.clone(),
        _ => None,
    }
}
