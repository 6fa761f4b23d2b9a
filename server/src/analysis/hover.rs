//! What a name, attribute or import at an offset really is: the answer a
//! hover shows (kind, qualified name, where it is defined, signature, the
//! first line of its docstring).

use std::sync::Arc;

use super::eval::{Ctx, Evaluator, SharedCache};
use super::types::{ClassRef, Lookup, Ty};
use crate::index::python_env::DumpMember;
use crate::index::{Index, Module};
use crate::syntax::facts::*;

#[derive(Debug, Clone, PartialEq)]
pub struct Description {
    /// `module`, `class`, `function`, `method`, `instance`, `attribute`.
    pub kind: &'static str,
    /// `os.path.join`, `requests.sessions.Session`.
    pub name: String,
    pub signature: Option<String>,
    pub doc: Option<String>,
    /// The file (or "compiled module X") it comes from.
    pub location: Option<String>,
    /// The byte range described.
    pub start_byte: u32,
    pub end_byte: u32,
}

pub fn describe_at(index: &Index, module: Arc<Module>, byte: u32) -> Option<Description> {
    let facts = module.facts.clone()?;
    let shared = SharedCache::default();
    let ev = Evaluator::new(index, &shared);
    let ctx = Ctx { module };
    let within = |s: &Span| s.start_byte <= byte && byte <= s.end_byte;

    for imp in &facts.imports {
        let Some(abs) = ev.absolute_module(&ctx, imp.level, &imp.module) else {
            continue;
        };
        if within(&imp.span) {
            let m = ev.resolve_module(&abs)?;
            return Some(describe_ty(&ev, &Ty::Module(m), &abs, imp.span));
        }
        for (name, span) in &imp.names {
            if within(span) {
                let m = ev.resolve_module(&abs)?;
                let ty = match ev.module_member(&m, name) {
                    Lookup::Found(t) => t,
                    _ => Ty::Module(ev.resolve_module(&format!("{abs}.{name}"))?),
                };
                return Some(describe_member(&ev, &ty, &Ty::Module(m), name, *span));
            }
        }
    }
    for r in &facts.attr_refs {
        if let Some(d) = describe_in_chain(&ev, &ctx, &r.expr, byte) {
            return Some(d);
        }
    }
    // An attribute of an open container: why it is not checked (`--why`).
    let why = super::why_at(index, &shared, ctx.module.clone(), byte)?;
    Some(Description {
        kind: "unchecked",
        name: why.symbol,
        signature: None,
        doc: Some(format!("Not checked: {}", why.reason)),
        location: None,
        start_byte: why.span.start_byte,
        end_byte: why.span.end_byte,
    })
}

/// Find the chain node under `byte` and describe it.
fn describe_in_chain(ev: &Evaluator, ctx: &Ctx, e: &Expr, byte: u32) -> Option<Description> {
    match e {
        Expr::Attr {
            base, attr, span, ..
        } => {
            if span.start_byte <= byte && byte <= span.end_byte {
                let b = ev.eval(ctx, base);
                let ty = match ev.member(&b, attr) {
                    Lookup::Found(t) => t,
                    _ => return None,
                };
                return Some(describe_member(ev, &ty, &b, attr, *span));
            }
            describe_in_chain(ev, ctx, base, byte)
        }
        Expr::Call { func, .. } => describe_in_chain(ev, ctx, func, byte),
        Expr::Subscript { value, .. } => describe_in_chain(ev, ctx, value, byte),
        Expr::Name { name, scope, span } => {
            if span.start_byte <= byte && byte <= span.end_byte {
                let ty = ev.eval_name(ctx, name, *scope);
                if ty.is_unknown() {
                    return None;
                }
                return Some(describe_ty(ev, &ty, name, *span));
            }
            None
        }
        _ => None,
    }
}

/// A member found on `container`: its own type when known, else what the
/// container says about it.
pub(crate) fn describe_member(
    ev: &Evaluator,
    ty: &Ty,
    container: &Ty,
    name: &str,
    span: Span,
) -> Description {
    let mut d = describe_member_as_read(ev, ty, container, name, span);
    if d.doc.is_none() {
        d.doc = compiled_doc(ev, container, name);
    }
    d
}

/// The doc line the interpreter has for a member no Python source
/// describes: a compiled module's function (`os.getcwd` from `posix`), a
/// builtin type's method (`str.strip`; typeshed's stubs carry no docs).
pub(crate) fn compiled_doc(ev: &Evaluator, container: &Ty, name: &str) -> Option<String> {
    let dump = ev.index.dump.as_ref()?;
    let doc = match container {
        Ty::Module(m) => dump.doc(&m.name, name),
        Ty::Class(c) | Ty::Instance(c) => {
            let q = c.qualified_name();
            dump.doc(&q, name)
                .or_else(|| dump.doc(&format!("builtins.{q}"), name))
        }
        _ => None,
    };
    doc.map(str::to_string)
}

fn describe_member_as_read(
    ev: &Evaluator,
    ty: &Ty,
    container: &Ty,
    name: &str,
    span: Span,
) -> Description {
    if !ty.is_unknown() {
        let qualified = match container {
            Ty::Module(m) => format!("{}.{name}", m.name),
            Ty::Class(c) | Ty::Instance(c) => format!("{}.{name}", c.qualified_name()),
            _ => name.to_string(),
        };
        return describe_ty(ev, ty, &qualified, span);
    }
    // Existing, but of a type we do not model (compiled members, variables).
    let (name, location, kind) = match container {
        Ty::Module(m) => {
            let kind = ev
                .index
                .dump_of(&m.name)
                .and_then(|d| d.members.get(name))
                .map(|k| match k {
                    DumpMember::Class { .. } => "class",
                    DumpMember::Function => "function",
                    DumpMember::Module { .. } => "module",
                    DumpMember::Variable { .. } => "variable",
                })
                .unwrap_or("attribute");
            (format!("{}.{name}", m.name), Some(m.location()), kind)
        }
        Ty::Class(c) | Ty::Instance(c) => (
            format!("{}.{name}", c.qualified_name()),
            Some(c.location()),
            "attribute",
        ),
        _ => (name.to_string(), None, "attribute"),
    };
    Description {
        kind,
        name,
        signature: None,
        doc: None,
        location,
        start_byte: span.start_byte,
        end_byte: span.end_byte,
    }
}

fn describe_ty(ev: &Evaluator, ty: &Ty, written: &str, span: Span) -> Description {
    let base = |kind, name: String, signature, doc, location| Description {
        kind,
        name,
        signature,
        doc,
        location,
        start_byte: span.start_byte,
        end_byte: span.end_byte,
    };
    match ty {
        Ty::Module(m) => base(
            "module",
            m.name.clone(),
            None,
            m.facts.as_ref().and_then(|f| f.doc.clone()),
            Some(m.location()),
        ),
        Ty::Class(c) => base(
            "class",
            c.qualified_name(),
            class_signature(ev, c),
            c.facts().and_then(|f| f.doc.clone()),
            Some(c.location()),
        ),
        Ty::Instance(c) => base(
            "instance",
            written.to_string(),
            Some(format!("{written}: {}", c.qualified_name())),
            c.facts().and_then(|f| f.doc.clone()),
            Some(c.location()),
        ),
        Ty::Function(f) | Ty::BoundMethod(f, _) => {
            let facts = f.facts();
            let kind = if matches!(ty, Ty::BoundMethod(..)) {
                "method"
            } else {
                "function"
            };
            base(
                kind,
                written.to_string(),
                facts.map(FunctionFacts::signature),
                facts.and_then(|f| f.doc.clone()),
                Some(f.module.location()),
            )
        }
        Ty::Known { receiver, .. } => base(
            "method",
            format!(
                "{}.{}",
                receiver.qualified_name(),
                written.rsplit('.').next().unwrap_or(written)
            ),
            None,
            None,
            Some(receiver.location()),
        ),
        Ty::Unknown => base("attribute", written.to_string(), None, None, None),
    }
}

/// `class Name(Base, …)` for a source class.
fn class_signature(ev: &Evaluator, c: &ClassRef) -> Option<String> {
    let facts = c.facts()?;
    let bases: Vec<String> = facts.bases.iter().filter_map(Expr::dotted).collect();
    let _ = ev;
    Some(if bases.is_empty() {
        format!("class {}", facts.name)
    } else {
        format!("class {}({})", facts.name, bases.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::module_finder::FileKind;
    use crate::index::{IndexOptions, Origin};
    use std::collections::HashMap;
    use std::path::PathBuf;

    fn describe(src: &str, needle: &str) -> Option<Description> {
        let facts = Arc::new(crate::syntax::python::parse(src));
        let index = Index::new(
            None,
            None,
            IndexOptions {
                workspace_roots: vec![],
                preparsed: HashMap::new(),
                open_modules: None,
                facts_cache: crate::index::facts_cache::FactsCache::disabled(),
                memory: None,
                finder: None,
            },
        );
        let module = Arc::new(Module {
            name: "m".into(),
            file: Some(PathBuf::from("/m.py")),
            kind: FileKind::Source,
            origin: Origin::Workspace,
            package_dirs: vec![],
            facts: Some(facts),
            submodules: Default::default(),
            configured_open: false,
            package_known: true,
            runtime_companion: false,
        });
        let byte = src.find(needle)? as u32 + 1;
        describe_at(&index, module, byte)
    }

    #[test]
    fn local_functions_and_classes_are_described() {
        let src = "class Box:\n    \"\"\"A box.\"\"\"\n    def open(self, force: bool = False) -> 'Box':\n        \"\"\"Open it.\n\n        More.\"\"\"\n        return self\n\nBox().open(True).open()\n";
        let d = describe(src, "open(True)").expect("method described");
        assert_eq!(d.kind, "method");
        assert_eq!(d.name, "m.Box.open");
        assert_eq!(
            d.signature.as_deref(),
            Some("def open(self, force: bool = False) -> 'Box'")
        );
        assert_eq!(d.doc.as_deref(), Some("Open it."));
        let d = describe(src, "Box().open").expect("class described");
        assert_eq!(d.kind, "class");
        assert_eq!(d.signature.as_deref(), Some("class Box"));
        assert_eq!(d.doc.as_deref(), Some("A box."));
    }
}
