//! Classes built by a call from literals — `namedtuple("P", "a b")`,
//! `NamedTuple("P", [("a", int)])`, `Enum("Color", "RED GREEN")` — kept as
//! classes of the file whose members are the literal names and whose base is
//! the callee. The analysis uses the class only when the callee turns out to
//! be such a factory; any other call with the same shape stays a call.

use super::*;

/// Keywords that change the members beyond the literal list: renamed
/// fields (`rename=True` turns bad names into `_1`), a mixin type
/// (`type=str` adds the methods of `str`).
const CHANGES_MEMBERS: &[&str] = &["rename", "type"];

/// Keywords that may hold the member list instead of the second argument.
const MEMBER_KEYWORDS: &[&str] = &["field_names", "fields", "names"];

impl<'s> Builder<'s> {
    /// The class a call with a literal name and member list builds, added
    /// to the facts; None for any other call.
    pub(super) fn functional_class(&mut self, func: &Expr, args: Node) -> Option<ClassId> {
        // Only a callee that may be a factory: `namedtuple`, or a class
        // (`NamedTuple`, `Enum`, `enum.IntFlag`, `MyEnumBase`) — `print("a",
        // "b")` builds nothing.
        let callee = func.dotted()?;
        let last = callee.rsplit('.').next().unwrap_or("");
        let may_build = last == "namedtuple" || last.starts_with(|c: char| c.is_ascii_uppercase());
        if !may_build || kind(args) != "argument_list" {
            return None;
        }
        let mut positional = Vec::new();
        let mut members_node = None;
        for a in named_children(args) {
            match kind(a) {
                "comment" => {}
                "keyword_argument" => {
                    let key = field!(a, "name").map(|k| self.text(k)).unwrap_or("");
                    if CHANGES_MEMBERS.contains(&key) {
                        return None;
                    }
                    if MEMBER_KEYWORDS.contains(&key) {
                        members_node = field!(a, "value");
                    }
                }
                "list_splat" | "dictionary_splat" => return None,
                _ => positional.push(a),
            }
        }
        let name_node = *positional.first()?;
        let name = self.string_literal(name_node)?;
        if !crate::index::module_finder::is_identifier(&name) {
            return None;
        }
        let members = self.member_list(members_node.or(positional.get(1).copied())?)?;
        let class_id = self.facts.classes.len() as ClassId;
        let parent_scope = self.scope;
        let scope = self.push_scope(ScopeKind::Class(class_id));
        self.facts.classes.push(ClassFacts {
            name: name.as_str().into(),
            span: span(name_node),
            scope,
            parent_scope,
            bases: vec![func.clone()],
            metaclass: None,
            decorators: Vec::new(),
            self_attrs: BTreeMap::new(),
            dynamic: false,
            allows_extra: false,
            from_call: true,
            doc: None,
        });
        for member in members {
            self.bind_in(
                scope,
                &member,
                BindingKind::Assign(Expr::Unknown),
                name_node,
            );
        }
        Some(class_id)
    }

    /// `"a b"`, `"a, b"`, `["a", "b"]`, `[("a", int), …]`, `{"a": 1, …}`.
    fn member_list(&self, n: Node) -> Option<Vec<String>> {
        let names: Vec<String> = match kind(n) {
            "string" => self
                .string_literal(n)?
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            "list" | "tuple" => named_children(n)
                .into_iter()
                .filter(|c| kind(c) != "comment")
                .map(|item| match kind(item) {
                    "string" => self.string_literal(item),
                    "tuple" | "list" => item
                        .named_child(0)
                        .and_then(|first| self.string_literal(first)),
                    _ => None,
                })
                .collect::<Option<_>>()?,
            "dictionary" => named_children(n)
                .into_iter()
                .filter(|c| kind(c) != "comment")
                .map(|pair| {
                    let key = (kind(pair) == "pair")
                        .then(|| field!(pair, "key"))
                        .flatten()?;
                    self.string_literal(key)
                })
                .collect::<Option<_>>()?,
            _ => return None,
        };
        names
            .iter()
            .all(|m| crate::index::module_finder::is_identifier(m))
            .then_some(names)
    }
}
