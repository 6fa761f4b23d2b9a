//! Item-level macros: what a `macro_rules!` definition expands to when its
//! text tells ([`MacroShape`]), and the bodies of item-level invocations
//! read as items — what a macro that passes its `$item` fragments through
//! makes (tokio's `cfg_rt! { pub mod runtime; }`). Whether a call's macro is
//! such a one is known only once the crate's definitions are (the index
//! decides); here the call's items are marked `via` the call. `thread_local!`
//! is std's: its body declares the statics it names.

use std::cell::RefCell;

use tree_sitter::{Node, Parser, Point, Range, Tree};

use super::facts::*;
use super::{named_children, rfield, Builder};
use crate::syntax::nesting;

thread_local! {
    /// The parser of macro bodies (their ranges set for each).
    static BODY_PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// Parse the bytes `start..end` of `text` alone, positions as in `text`.
fn parse_range(text: &str, start: (usize, Point), end: (usize, Point)) -> Option<Tree> {
    BODY_PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        let parser = slot.get_or_insert_with(|| {
            let mut p = Parser::new();
            p.set_language(&tree_sitter_rust::LANGUAGE.into())
                .expect("the tree-sitter grammar is compatible");
            p
        });
        let range = Range {
            start_byte: start.0,
            end_byte: end.0,
            start_point: start.1,
            end_point: end.1,
        };
        parser.set_included_ranges(&[range]).ok()?;
        let tree = parser.parse(text, None);
        parser.reset();
        tree
    })
}

/// The macro's name without its path (`crate::cfg_rt` → `cfg_rt`).
pub fn last_segment(path: &str) -> &str {
    let path = path.trim().trim_end_matches('!');
    path.rsplit("::").next().unwrap_or(path).trim()
}

fn is_thread_local(path: &str) -> bool {
    let p: String = path.chars().filter(|c| !c.is_whitespace()).collect();
    matches!(
        p.as_str(),
        "thread_local" | "std::thread_local" | "::std::thread_local"
    )
}

impl<'s> Builder<'s> {
    /// The body of an item-level invocation `n` (a `macro_invocation`) read
    /// as items of `module`; returns whether the module stays closed
    /// (`thread_local!` read whole).
    pub(super) fn item_macro_call(&mut self, n: Node, module: ModuleId) -> bool {
        let name = rfield!(n, "macro")
            .map(|m| self.text(m).to_string())
            .unwrap_or_default();
        let body = named_children(n)
            .into_iter()
            .find(|c| c.kind() == "token_tree");
        let inner = body.and_then(|b| self.body_tree(b));
        if is_thread_local(&name) {
            if let Some(tree) = &inner {
                self.walk_body(tree.root_node(), module, None);
                return true;
            }
            return false;
        }
        let parent = self.via_for(module);
        let Some(id) = self
            .facts
            .modules
            .get(module as usize)
            .map(|m| m.macro_calls.len() as u32)
        else {
            return false;
        };
        let mut call = MacroCall {
            name: name.clone(),
            parent,
            items_ok: inner.is_some(),
            inner_meta: None,
            idents: body.map(|b| idents_of(self.text(b))).unwrap_or_default(),
            reason: format!("{name}!"),
        };
        if let Some(tree) = &inner {
            let root = tree.root_node();
            call.inner_meta = named_children(root)
                .into_iter()
                .find(|c| c.kind() == "inner_attribute_item")
                .and_then(|a| named_children(a).into_iter().find(|c| c.kind() == "attribute"))
                .map(|a| self.text(a).to_string());
        }
        if let Some(m) = self.facts.modules.get_mut(module as usize) {
            m.macro_calls.push(call);
        }
        if let Some(tree) = &inner {
            self.walk_body(tree.root_node(), module, Some(id));
        }
        false
    }

    /// The inside of a token tree parsed as items: None when it does not
    /// parse cleanly, or nests too deeply to be walked.
    fn body_tree(&self, body: Node) -> Option<Tree> {
        let (start, end) = (body.start_byte() + 1, body.end_byte().checked_sub(1)?);
        if start > end {
            return None;
        }
        let sp = body.start_position();
        let ep = body.end_position();
        let start_point = Point::new(sp.row, sp.column + 1);
        let end_point = Point::new(ep.row, ep.column.checked_sub(1)?);
        let tree = parse_range(self.src, (start, start_point), (end, end_point))?;
        let root = tree.root_node();
        if root.has_error() || !nesting::too_deep(&tree, nesting::MAX_DEPTH, super::is_body).is_empty()
        {
            return None;
        }
        Some(tree)
    }

    /// Walk a macro body's items as `module`'s, marked `via` call `call`;
    /// the paths and calls inside are not the file's (the macro decides
    /// what they become).
    fn walk_body(&mut self, root: Node, module: ModuleId, call: Option<u32>) {
        let (refs, methods, fields, calls) = (
            self.facts.refs.len(),
            self.facts.method_calls.len(),
            self.facts.field_accesses.len(),
            self.facts.calls.len(),
        );
        let saved = self.via;
        self.via = call.map(|c| (module, c));
        self.module_body(root, module, None);
        self.via = saved;
        self.facts.refs.truncate(refs);
        self.facts.method_calls.truncate(methods);
        self.facts.field_accesses.truncate(fields);
        self.facts.calls.truncate(calls);
    }

    /// The call an item of `module` comes from, while a body is walked.
    pub(super) fn via_for(&self, module: ModuleId) -> Option<u32> {
        self.via.filter(|(m, _)| *m == module).map(|(_, c)| c)
    }

    /// What a `macro_rules!` definition expands to, when every arm tells.
    pub(super) fn macro_shape(&self, def: Node) -> Option<MacroShape> {
        let rules: Vec<Node> = named_children(def)
            .into_iter()
            .filter(|c| c.kind() == "macro_rule")
            .collect();
        if rules.is_empty() {
            return None;
        }
        let mut shapes = Vec::new();
        for rule in rules {
            let left = self.text(rfield!(rule, "left")?);
            let right = self.text(rfield!(rule, "right")?);
            shapes.push(rule_shape(left, right)?);
        }
        let first = shapes[0].clone();
        match first {
            MacroShape::PassThrough { .. } => shapes.iter().all(|s| *s == first).then_some(first),
            MacroShape::Impls { .. } => {
                let mut types = Vec::new();
                let mut from_call = false;
                for s in shapes {
                    let MacroShape::Impls { types: t, from_call: f } = s else {
                        return None;
                    };
                    types.extend(t);
                    from_call |= f;
                }
                types.sort();
                types.dedup();
                Some(MacroShape::Impls { types, from_call })
            }
        }
    }
}

/// Capitalised identifiers of a token tree's text, each once.
fn idents_of(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The shape of one arm, `left => right`.
fn rule_shape(left: &str, right: &str) -> Option<MacroShape> {
    if let Some((item, meta)) = item_matcher(left) {
        let attrs = pass_through(strip_delims(right)?, &item)?;
        return Some(MacroShape::PassThrough { attrs, meta });
    }
    let mut types = Vec::new();
    let mut from_call = false;
    impls_only(strip_delims(right)?, &mut types, &mut from_call)?;
    Some(MacroShape::Impls { types, from_call })
}

/// The text inside a token tree's delimiters.
fn strip_delims(t: &str) -> Option<&str> {
    let t = t.trim();
    let open = t.chars().next()?;
    let close = match open {
        '(' => ')',
        '[' => ']',
        '{' => '}',
        _ => return None,
    };
    t.strip_prefix(open)?.strip_suffix(close)
}

/// `($($item:item)*)` (or with a leading `#![$meta:meta]`): the item
/// fragment's name and the meta's.
fn item_matcher(left: &str) -> Option<(String, Option<String>)> {
    let squashed: String = strip_delims(left)?
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let (meta, rest) = match squashed.strip_prefix("#![$") {
        Some(r) => {
            let (name, rest) = r.split_once(":meta]")?;
            (Some(name.to_string()), rest.to_string())
        }
        None => (None, squashed),
    };
    let inner = rest.strip_prefix("$($")?.strip_suffix(":item)*")?;
    let ident = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_');
    (ident(inner) && meta.as_deref().is_none_or(ident)).then(|| (inner.to_string(), meta))
}

/// `$( #[a] #[b] $item )*`: the attributes' texts.
fn pass_through(right: &str, item: &str) -> Option<Vec<String>> {
    let inner = right.trim().strip_prefix("$(")?.trim_end();
    let inner = inner.strip_suffix('*')?.trim_end().strip_suffix(')')?;
    let mut rest = inner.trim();
    let mut attrs = Vec::new();
    loop {
        if let Some(r) = rest.strip_prefix("#[") {
            let end = balanced_end(r, '[', ']')?;
            attrs.push(super::squash(&r[..end]));
            rest = r[end + 1..].trim_start();
            continue;
        }
        let var = rest.strip_prefix('$')?.trim();
        return (var == item).then_some(attrs);
    }
}

/// The index of the `close` that ends a group whose `open` came just
/// before `s` (strings skipped).
fn balanced_end(s: &str, open: char, close: char) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_str = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if in_str {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            c if c == open => depth += 1,
            c if c == close => {
                if depth == 0 {
                    return Some(i);
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    None
}

/// A transcriber made of `impl` blocks only (attributes and `$( … )*`
/// repetitions around them allowed): the inherent impls' self types.
fn impls_only(text: &str, types: &mut Vec<String>, from_call: &mut bool) -> Option<()> {
    let mut rest = text.trim_start();
    let mut any = false;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("#[") {
            let end = balanced_end(r, '[', ']')?;
            rest = r[end + 1..].trim_start();
            continue;
        }
        if let Some(r) = rest.strip_prefix("$(") {
            let end = balanced_end(r, '(', ')')?;
            impls_only(&r[..end], types, from_call)?;
            any = true;
            // A separator, then the repetition's operator.
            let after = r[end + 1..].trim_start();
            let op = after.find(['*', '+', '?'])?;
            if after[..op].trim().len() > 1 {
                return None;
            }
            rest = after[op + 1..].trim_start();
            continue;
        }
        let r = rest.strip_prefix("unsafe").map(str::trim_start).unwrap_or(rest);
        let r = r.strip_prefix("impl")?;
        if r.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
            return None;
        }
        let open = r.find('{')?;
        let header = r[..open].trim();
        let body_end = balanced_end(&r[open + 1..], '{', '}')?;
        rest = r[open + 1 + body_end + 1..].trim_start();
        any = true;
        if header.split_whitespace().any(|w| w == "for") {
            continue;
        }
        // `impl<T> Foo<T>`: past the generics.
        let head = match header.strip_prefix('<') {
            Some(h) => &h[balanced_end(h, '<', '>')? + 1..],
            None => header,
        };
        let head = head.trim_start();
        if head.starts_with('$') {
            *from_call = true;
            continue;
        }
        let path = head.split(['<', ' ', '\n', '\t']).next().unwrap_or("");
        let name = path.rsplit("::").next().unwrap_or(path);
        if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return None;
        }
        types.push(name.to_string());
    }
    any.then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pass_through_arms() {
        let shape = rule_shape(
            "($($item:item)*)",
            "{ $( #[cfg(feature = \"rt\")] #[cfg_attr(docsrs, doc(cfg(feature = \"rt\")))] $item )* }",
        );
        assert_eq!(
            shape,
            Some(MacroShape::PassThrough {
                attrs: vec![
                    "cfg(feature = \"rt\")".to_string(),
                    "cfg_attr(docsrs, doc(cfg(feature = \"rt\")))".to_string()
                ],
                meta: None
            })
        );
        let shape = rule_shape(
            "(\n #![$meta:meta]\n $($item:item)*\n)",
            "{ $( #[cfg($meta)] $item )* }",
        );
        assert_eq!(
            shape,
            Some(MacroShape::PassThrough {
                attrs: vec!["cfg($meta)".to_string()],
                meta: Some("meta".to_string())
            })
        );
        assert_eq!(
            rule_shape("($($item:item)*)", "{ $( $item )* }"),
            Some(MacroShape::PassThrough {
                attrs: vec![],
                meta: None
            })
        );
        // Other fragments, other transcribers: not a pass-through.
        assert_eq!(rule_shape("($($t:tt)*)", "{ $($t)* }"), None);
        assert_eq!(
            rule_shape("($($item:item)*)", "{ $( $item )* pub fn extra() {} }"),
            None
        );
        assert_eq!(rule_shape("($name:ident)", "{ pub fn $name() {} }"), None);
    }

    #[test]
    fn impl_only_arms() {
        assert_eq!(
            rule_shape(
                "($($t:ty),*)",
                "{ $( impl Wrapper<$t> { pub fn get(&self) -> $t { self.0 } } )* }"
            ),
            Some(MacroShape::Impls {
                types: vec!["Wrapper".to_string()],
                from_call: false
            })
        );
        assert_eq!(
            rule_shape(
                "($t:ident)",
                "{ impl<T> $t<T> { fn f() {} } impl Display for $t { } }"
            ),
            Some(MacroShape::Impls {
                types: vec![],
                from_call: true
            })
        );
        assert_eq!(
            rule_shape("($t:ident)", "{ impl $t {} pub struct Extra; }"),
            None
        );
    }

    #[test]
    fn idents_are_the_capitalised_words() {
        assert_eq!(idents_of("(Foo, u8, Bar<Baz>, Foo)"), ["Bar", "Baz", "Foo"]);
    }
}
