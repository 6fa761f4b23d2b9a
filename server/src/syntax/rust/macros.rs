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
    pub(super) fn item_macro_call(&mut self, n: Node, module: ModuleId, cfgs: &[String]) -> bool {
        let name = rfield!(n, "macro")
            .map(|m| self.text(m).to_string())
            .unwrap_or_default();
        let body = named_children(n)
            .into_iter()
            .find(|c| c.kind() == "token_tree");
        if is_thread_local(&name) {
            // `$(#[$attr])* $vis static $name: $t = $init;`, repeated.
            let Some(body) = body else {
                return false;
            };
            for (name, public, at) in self.statics_of(body) {
                let item = static_item(name, public, at, self.via_for(module));
                if let Some(m) = self.facts.modules.get_mut(module as usize) {
                    m.items.push(item);
                }
            }
            return true;
        }
        let inner = body.and_then(|b| self.body_tree(b));
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
            cfgs: cfgs.to_vec(),
            body: body.and_then(|b| {
                let end = b.end_byte().checked_sub(1)?;
                Some(((b.start_byte() + 1) as u32, end as u32))
            }),
            statics: body
                .map(|b| {
                    self.statics_of(b)
                        .into_iter()
                        .map(|(n, p, at)| static_item(n, p, at, None))
                        .collect()
                })
                .unwrap_or_default(),
        };
        if let Some(tree) = &inner {
            let root = tree.root_node();
            call.inner_meta = named_children(root)
                .into_iter()
                .find(|c| c.kind() == "inner_attribute_item")
                .and_then(|a| {
                    named_children(a)
                        .into_iter()
                        .find(|c| c.kind() == "attribute")
                })
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

    /// The statics a `thread_local!` body declares: `static NAME:` at its
    /// top level, public when `pub` alone comes before.
    fn statics_of(&self, body: Node) -> Vec<(String, bool, crate::syntax::facts::Span)> {
        let mut cursor = body.walk();
        let tokens: Vec<Node> = body
            .children(&mut cursor)
            .filter(|c| !c.kind().ends_with("comment"))
            .collect();
        let mut out = Vec::new();
        for (i, t) in tokens.iter().enumerate() {
            if self.text(*t) != "static" || t.is_named() {
                continue;
            }
            let Some(name) = tokens.get(i + 1).filter(|n| n.kind() == "identifier") else {
                continue;
            };
            let public = i > 0 && self.text(tokens[i - 1]) == "pub";
            out.push((self.text(*name).to_string(), public, super::span(*name)));
        }
        out
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
        if root.has_error()
            || !nesting::too_deep(&tree, nesting::MAX_DEPTH, super::is_body).is_empty()
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
        let name = rfield!(def, "name").map(|n| self.text(n)).unwrap_or("");
        let mut shapes = Vec::new();
        for rule in rules {
            let left = self.text(rfield!(rule, "left")?);
            let right = self.text(rfield!(rule, "right")?);
            shapes.push(rule_shape(name, left, right)?);
        }
        let first = shapes[0].clone();
        match first {
            MacroShape::PassThrough { .. } | MacroShape::ThreadLocal => {
                shapes.iter().all(|s| *s == first).then_some(first)
            }
            MacroShape::Impls { .. } => {
                let mut types = Vec::new();
                let mut from_call = false;
                for s in shapes {
                    let MacroShape::Impls {
                        types: t,
                        from_call: f,
                    } = s
                    else {
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

/// A static a macro declares (`thread_local!`).
fn static_item(
    name: String,
    public: bool,
    span: crate::syntax::facts::Span,
    via: Option<u32>,
) -> RItem {
    RItem {
        name,
        kind: RItemKind::Static,
        public,
        restricted: false,
        proc_macro: None,
        macro_trait_impls: Vec::new(),
        cfg: false,
        macro_export: false,
        test_only: false,
        macro_inherent_impls: false,
        macro_shape: None,
        cfgs: Vec::new(),
        cfg_attrs: Vec::new(),
        via,
        macro_use: false,
        derives: Vec::new(),
        attr_macros: Vec::new(),
        module: None,
        members: Vec::new(),
        extern_crate: None,
        signature: None,
        ret: None,
        aliased: None,
        doc: None,
        span,
    }
}

/// A transcriber that hands its tokens to `thread_local!`:
/// `::std::thread_local! { $($tts)+ }`.
fn forwards_to_thread_local(left: &str, right: &str) -> bool {
    let squash = |t: &str| -> String { t.chars().filter(|c| !c.is_whitespace()).collect() };
    let left = squash(strip_delims(left).unwrap_or(""));
    let Some(var) = left
        .strip_prefix("$($")
        .and_then(|r| r.strip_suffix(":tt)*").or_else(|| r.strip_suffix(":tt)+")))
    else {
        return false;
    };
    let right = squash(strip_delims(right).unwrap_or(""));
    let Some((path, args)) = right.split_once('!') else {
        return false;
    };
    let args = args.strip_suffix(';').unwrap_or(args);
    is_thread_local(path)
        && strip_delims(args)
            .is_some_and(|a| a == format!("$(${var})*") || a == format!("$(${var})+"))
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

/// The shape of one arm, `left => right`, of macro `name`.
fn rule_shape(name: &str, left: &str, right: &str) -> Option<MacroShape> {
    if forwards_to_thread_local(left, right) {
        return Some(MacroShape::ThreadLocal);
    }
    if let Some((item, meta)) = item_matcher(left) {
        let (attrs, forward) = pass_through(strip_delims(right)?, &item)?;
        return Some(MacroShape::PassThrough {
            attrs,
            meta,
            forward,
        });
    }
    let mut types = Vec::new();
    let mut from_call = false;
    impls_only(name, strip_delims(right)?, &mut types, &mut from_call)?;
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
    // `$($item:item)*`, or one `$item:item`.
    let inner = match rest.strip_prefix("$($") {
        Some(r) => r.strip_suffix(":item)*")?,
        None => rest.strip_prefix('$')?.strip_suffix(":item")?,
    };
    let ident = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_');
    (ident(inner) && meta.as_deref().is_none_or(ident)).then(|| (inner.to_string(), meta))
}

/// `$( #[a] #[b] $item )*` (or `#[a] $item` for one item): the
/// attributes' texts (doc comments skipped); or `#[a] other! { $($item)* }`:
/// the attributes and the macro the items go on to.
fn pass_through(right: &str, item: &str) -> Option<(Vec<String>, Option<String>)> {
    let right = right.trim();
    if !right.starts_with("$(") {
        if let Some(found) = forward_to(right, item) {
            return Some(found);
        }
    }
    let inner = match right.strip_prefix("$(") {
        Some(r) => r
            .trim_end()
            .strip_suffix('*')?
            .trim_end()
            .strip_suffix(')')?,
        None => right,
    };
    let mut rest = inner.trim();
    let mut attrs = Vec::new();
    loop {
        if rest.starts_with("//") {
            rest = rest.split_once('\n').map_or("", |(_, r)| r).trim_start();
            continue;
        }
        if let Some(r) = rest.strip_prefix("/*") {
            rest = r.split_once("*/")?.1.trim_start();
            continue;
        }
        if let Some(r) = rest.strip_prefix("#[") {
            let end = balanced_end(r, '[', ']')?;
            attrs.push(super::squash(&r[..end]));
            rest = r[end + 1..].trim_start();
            continue;
        }
        let var = rest.strip_prefix('$')?.trim();
        return (var == item).then_some((attrs, None));
    }
}

/// `#[a] other! { $($item)* }`.
fn forward_to(right: &str, item: &str) -> Option<(Vec<String>, Option<String>)> {
    let mut rest = right.trim();
    let mut attrs = Vec::new();
    while let Some(r) = rest.strip_prefix("#[") {
        let end = balanced_end(r, '[', ']')?;
        attrs.push(super::squash(&r[..end]));
        rest = r[end + 1..].trim_start();
    }
    let (name, args) = rest.split_once('!')?;
    let name = name.trim();
    if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return None;
    }
    let args: String = args.chars().filter(|c| !c.is_whitespace()).collect();
    let args = args.strip_suffix(';').unwrap_or(&args);
    (strip_delims(args)? == format!("$(${item})*")).then(|| (attrs, Some(name.to_string())))
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

/// A transcriber made of `impl` blocks only (attributes, doc comments,
/// `$( … )*` repetitions and calls of macro `name` itself around them
/// allowed; nothing at all too): the inherent impls' self types.
fn impls_only(name: &str, text: &str, types: &mut Vec<String>, from_call: &mut bool) -> Option<()> {
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        if rest.starts_with("//") {
            rest = rest.split_once('\n').map_or("", |(_, r)| r).trim_start();
            continue;
        }
        // `name!(…);`: the macro again.
        if let Some(r) = rest
            .strip_prefix(name)
            .filter(|_| !name.is_empty())
            .and_then(|r| r.trim_start().strip_prefix('!'))
        {
            let r = r.trim_start();
            let (open, close) = match r.chars().next()? {
                '(' => ('(', ')'),
                '[' => ('[', ']'),
                '{' => ('{', '}'),
                _ => return None,
            };
            let end = balanced_end(&r[1..], open, close)?;
            rest = r[1 + end + 1..].trim_start();
            rest = rest.strip_prefix(';').unwrap_or(rest).trim_start();
            continue;
        }
        if let Some(r) = rest.strip_prefix("#[") {
            let end = balanced_end(r, '[', ']')?;
            rest = r[end + 1..].trim_start();
            continue;
        }
        if let Some(r) = rest.strip_prefix("$(") {
            let end = balanced_end(r, '(', ')')?;
            impls_only(name, &r[..end], types, from_call)?;
            // A separator, then the repetition's operator.
            let after = r[end + 1..].trim_start();
            let op = after.find(['*', '+', '?'])?;
            if after[..op].trim().len() > 1 {
                return None;
            }
            rest = after[op + 1..].trim_start();
            continue;
        }
        let r = rest
            .strip_prefix("unsafe")
            .map(str::trim_start)
            .unwrap_or(rest);
        let r = r.strip_prefix("impl")?;
        if r.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
            return None;
        }
        let open = r.find('{')?;
        let header = r[..open].trim();
        let body_end = balanced_end(&r[open + 1..], '{', '}')?;
        rest = r[open + 1 + body_end + 1..].trim_start();
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
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pass_through_arms() {
        let shape = rule_shape(
            "m",
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
                meta: None,
                forward: None
            })
        );
        let shape = rule_shape(
            "m",
            "(\n #![$meta:meta]\n $($item:item)*\n)",
            "{ $( #[cfg($meta)] $item )* }",
        );
        assert_eq!(
            shape,
            Some(MacroShape::PassThrough {
                attrs: vec!["cfg($meta)".to_string()],
                meta: Some("meta".to_string()),
                forward: None
            })
        );
        assert_eq!(
            rule_shape("m", "($($item:item)*)", "{ $( $item )* }"),
            Some(MacroShape::PassThrough {
                attrs: vec![],
                meta: None,
                forward: None
            })
        );
        // One item, doc comments and `#[macro_export]` around it (tokio's `doc!`).
        assert_eq!(
            rule_shape(
                "doc",
                "($join:item)",
                "{\n /// Waits.\n ///\n #[macro_export]\n #[cfg_attr(docsrs, doc(cfg(feature = \"macros\")))]\n $join\n }"
            ),
            Some(MacroShape::PassThrough {
                attrs: vec![
                    "macro_export".to_string(),
                    "cfg_attr(docsrs, doc(cfg(feature = \"macros\")))".to_string()
                ],
                meta: None,
                forward: None
            })
        );
        // tokio's `cfg_signal_internal_and_unix!`: on to another pass-through.
        assert_eq!(
            rule_shape(
                "m",
                "($($item:item)*)",
                "{ #[cfg(unix)] cfg_signal_internal! { $($item)* } }"
            ),
            Some(MacroShape::PassThrough {
                attrs: vec!["cfg(unix)".to_string()],
                meta: None,
                forward: Some("cfg_signal_internal".to_string())
            })
        );
        // Other fragments, other transcribers: not a pass-through.
        assert_eq!(rule_shape("m", "($($t:tt)*)", "{ $($t)* }"), None);
        assert_eq!(
            rule_shape("m", "($($item:item)*)", "{ $( $item )* pub fn extra() {} }"),
            None
        );
        assert_eq!(
            rule_shape("m", "($name:ident)", "{ pub fn $name() {} }"),
            None
        );
    }

    #[test]
    fn impl_only_arms() {
        assert_eq!(
            rule_shape(
                "m",
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
                "m",
                "($t:ident)",
                "{ impl<T> $t<T> { fn f() {} } impl Display for $t { } }"
            ),
            Some(MacroShape::Impls {
                types: vec![],
                from_call: true
            })
        );
        assert_eq!(
            rule_shape("m", "($t:ident)", "{ impl $t {} pub struct Extra; }"),
            None
        );
        // rand's `uniform_float_impl!` and `impl_fill_each!`.
        assert_eq!(
            rule_shape(
                "m",
                "($($meta:meta)?, $ty:ty)",
                "{ $(#[cfg($meta)])? impl UniformFloat<$ty> { fn f() {} } }"
            ),
            Some(MacroShape::Impls {
                types: vec!["UniformFloat".to_string()],
                from_call: false
            })
        );
        assert_eq!(
            rule_shape("m", "($t:ty, $($tt:ty,)*)", "{ m!($t); m!($($tt,)*); }"),
            Some(MacroShape::Impls {
                types: vec![],
                from_call: false
            })
        );
        assert_eq!(
            rule_shape("m", "()", "{}"),
            Some(MacroShape::Impls {
                types: vec![],
                from_call: false
            })
        );
    }

    #[test]
    fn thread_local_forwarding() {
        assert_eq!(
            rule_shape("m", "($($tts:tt)+)", "{ ::std::thread_local!{ $($tts)+ } }"),
            Some(MacroShape::ThreadLocal)
        );
        assert_eq!(
            rule_shape("m", "($($tts:tt)+)", "{ other!{ $($tts)+ } }"),
            None
        );
    }

    #[test]
    fn idents_are_the_capitalised_words() {
        assert_eq!(idents_of("(Foo, u8, Bar<Baz>, Foo)"), ["Bar", "Baz", "Foo"]);
    }
}
