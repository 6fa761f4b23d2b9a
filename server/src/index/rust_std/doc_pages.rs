//! Signatures and doc lines of std items, read from rustdoc's HTML pages (the rust-docs
//! component ships them beside the search index, which has neither).
//!
//! An item's own page (`std/fs/fn.read_to_string.html`) has its declaration in
//! `<pre class="rust item-decl"><code>…</code></pre>` and its docs in the first
//! `<div class="docblock">` after it. A type's or trait's page has each member in its own
//! header: `<section id="method.insert" class="method">…<h4 class="code-header">pub fn
//! insert(…)</h4></section>` followed by its docblock; ids are `method.`, `tymethod.` (a trait's
//! required fns), `associatedconstant.`, `associatedtype.`, `variant.`, and for fields
//! `<span id="structfield.NAME">…<code>NAME: T</code></span>`. A name shown twice (an item of
//! several trait impls) gets a `-1`, `-2`… suffix; the impl it belongs to is the
//! `<section id="impl-…" class="impl">` header before it.
//!
//! Pages are parsed when first asked for and kept (only what is read from them, not the HTML)
//! for the life of the index. A missing page, or one in another shape, gives nothing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::html_text::{first_doc_line, html_text, qualify_links, signature_text};
use super::platform;
use super::StdItemKind;

/// What one page says of its item and its members.
#[derive(Debug, Default)]
pub struct PageInfo {
    /// The item's declaration as one line, without `pub` and attributes.
    pub decl: Option<String>,
    /// The same with every name the page links written as its full path
    /// (`-> core::result::Result<std::string::String, std::io::Error>`).
    pub decl_qualified: Option<String>,
    /// The first sentence of the item's docs.
    pub doc: Option<String>,
    /// Marked "nightly-only experimental API" (`#[unstable]`): not callable on stable.
    pub unstable: bool,
    /// Marked available on other platforms only ("Available on Windows only").
    pub elsewhere: bool,
    members: HashMap<String, Vec<PageMember>>,
    /// The header of every impl the page shows (`impl<T> ToString for T
    /// where T: Display + ?Sized`), inherent, trait, auto-trait and blanket
    /// ones alike, as text.
    pub impls: Vec<String>,
}

/// A member's header and doc line, with the impl it is shown under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageMember {
    pub signature: Option<String>,
    /// The signature with every name the page links written as its full path.
    pub qualified: Option<String>,
    pub doc: Option<String>,
    /// For a fn: whether it takes `self` (a method) or not (an associated fn).
    pub has_self: Option<bool>,
    /// Marked "nightly-only experimental API" (`#[unstable]`): not callable on stable.
    pub unstable: bool,
    /// Marked available on other platforms only ("Available on Windows only").
    pub elsewhere: bool,
    /// The trait of the impl it is listed under (its last name: `Clone`); None for an inherent
    /// item or a trait's own item.
    impl_trait: Option<String>,
}

impl PageInfo {
    /// The member `name` as the page shows it: for `from_trait` (a trait's path) the item of
    /// that trait's impl, else the inherent item; None when the page has no such entry.
    pub fn member(&self, name: &str, from_trait: Option<&str>) -> Option<&PageMember> {
        let entries = self.members.get(name)?;
        match from_trait {
            None => entries.iter().find(|e| e.impl_trait.is_none()),
            Some(t) => {
                let short = t.rsplit("::").next().unwrap_or(t);
                entries
                    .iter()
                    .find(|e| e.impl_trait.as_deref() == Some(short))
            }
        }
    }
}

impl PageInfo {
    /// Every entry the page shows for `name` (one per impl that has it).
    pub fn entries(&self, name: &str) -> &[PageMember] {
        self.members.get(name).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// The parsed pages under an HTML directory, cached by file.
#[derive(Debug)]
pub(crate) struct DocPages {
    html_dir: PathBuf,
    parsed: Mutex<HashMap<PathBuf, Option<Arc<PageInfo>>>>,
}

impl DocPages {
    pub(crate) fn new(html_dir: &Path) -> DocPages {
        DocPages {
            html_dir: html_dir.to_path_buf(),
            parsed: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn html_dir(&self) -> &Path {
        &self.html_dir
    }

    /// The page at `rel` (relative to the HTML directory), parsed once; None when it cannot be
    /// read or has no item declaration (a redirect, another shape).
    pub(crate) fn page(&self, rel: &Path) -> Option<Arc<PageInfo>> {
        if let Some(hit) = self.lock().get(rel) {
            return hit.clone();
        }
        // Parsed outside the lock: two threads may both parse a page; both get the same answer.
        let info = crate::regular_file::read_to_string(&self.html_dir.join(rel))
            .ok()
            .and_then(|html| parse_page(&html))
            .map(Arc::new);
        self.lock().insert(rel.to_path_buf(), info.clone());
        info
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Option<Arc<PageInfo>>>> {
        // A panic elsewhere while holding the lock leaves a usable map.
        self.parsed.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The page files that may show the item at `path` (relative to the HTML directory), best
/// first: one per kind, under the path as given and under its canonical path. A primitive
/// (`str`) is shown on `std/primitive.str.html` (with alloc's and std's methods) and
/// `core/primitive.str.html`.
pub(crate) fn page_files(
    path: &str,
    canonical: Option<&str>,
    kinds: &[StdItemKind],
) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    for kind in kinds {
        let mut paths = vec![path];
        paths.extend(canonical.filter(|c| *c != path));
        for p in paths {
            let segments: Vec<&str> = p.split("::").collect();
            if segments
                .iter()
                .any(|s| s.is_empty() || s.contains(['/', '\\', '.']))
            {
                continue;
            }
            let files = match (kind, segments.as_slice()) {
                (StdItemKind::Primitive, [name]) | (StdItemKind::Primitive, [_, name]) => {
                    vec![
                        PathBuf::from(format!("std/primitive.{name}.html")),
                        PathBuf::from(format!("core/primitive.{name}.html")),
                    ]
                }
                (StdItemKind::Module, _) => {
                    let mut f: PathBuf = segments.iter().collect();
                    f.push("index.html");
                    vec![f]
                }
                (_, [module @ .., name]) if !module.is_empty() => {
                    let Some(prefix) = file_prefix(*kind) else {
                        continue;
                    };
                    let mut f: PathBuf = module.iter().collect();
                    f.push(format!("{prefix}.{name}.html"));
                    vec![f]
                }
                _ => Vec::new(),
            };
            for f in files {
                if !out.contains(&f) {
                    out.push(f);
                }
            }
        }
    }
    out
}

/// The file name prefix rustdoc gives an item of that kind (`fn.read_to_string.html`).
fn file_prefix(kind: StdItemKind) -> Option<&'static str> {
    Some(match kind {
        StdItemKind::Struct => "struct",
        StdItemKind::Enum => "enum",
        StdItemKind::Union => "union",
        StdItemKind::Trait => "trait",
        StdItemKind::TraitAlias => "traitalias",
        StdItemKind::Fn => "fn",
        StdItemKind::TypeAlias => "type",
        StdItemKind::Const => "constant",
        StdItemKind::Static => "static",
        StdItemKind::Macro => "macro",
        StdItemKind::Derive => "derive",
        StdItemKind::Attr => "attr",
        StdItemKind::Primitive => "primitive",
        _ => return None,
    })
}

/// What a page says; None when it has neither a declaration nor a main heading (a redirect).
/// Module pages have no declaration: their docs follow the heading.
pub(crate) fn parse_page(html: &str) -> Option<PageInfo> {
    const DECL: &str = "<pre class=\"rust item-decl\"><code>";
    let (decl, decl_qualified, after) = match html.find(DECL) {
        Some(at) => {
            let body = &html[at + DECL.len()..];
            let end = body.find("</code></pre>")?;
            (
                signature_text(&body[..end]),
                signature_text(&qualify_links(&body[..end])),
                at + DECL.len() + end,
            )
        }
        // A module page: no declaration, the docs follow the main heading.
        None => (None, None, html.find("</h1>")?),
    };
    let doc = docblock_after(html, after).and_then(first_doc_line);
    Some(PageInfo {
        decl,
        decl_qualified,
        doc,
        unstable: item_info(html, after).contains("class=\"stab unstable\""),
        elsewhere: elsewhere(item_info(html, after)),
        members: members(html),
        impls: impl_headers(html),
    })
}

/// The start of the docblock that belongs to the header ending at `from` (up to its first
/// `</div>`): the first one before the next element with an id (the next member's header, a
/// section heading).
fn docblock_after(html: &str, from: usize) -> Option<&str> {
    let rest = html.get(from..)?;
    let region = &rest[..rest.find(" id=\"").unwrap_or(rest.len())];
    let at = region
        .find("class=\"docblock\"")
        .or_else(|| region.find("class='docblock'"))?;
    let open_end = region[at..].find('>')? + at + 1;
    // Only its start is read (the first paragraph ends before any `</div>`): bounding it here
    // keeps the searches for where that paragraph ends from running over the rest of the page.
    let body = &rest[open_end..];
    Some(&body[..body.find("</div>").unwrap_or(body.len())])
}

/// What follows the header ending at `from` up to its docblock or the next element with an
/// id: its item-info, where rustdoc marks a nightly-only API (`<div class="stab unstable">`)
/// and one of some platforms only (`<div class="stab portability">`). A later member's marks
/// never count.
fn item_info(html: &str, from: usize) -> &str {
    let Some(rest) = html.get(from..) else {
        return "";
    };
    let mut end = rest.find(" id=\"").unwrap_or(rest.len());
    if let Some(doc) = rest[..end].find("class=\"docblock\"") {
        end = doc;
    }
    &rest[..end]
}

/// Whether an item-info says "Available on … only" of platforms this one is surely not
/// (`Windows only` on Linux); false when it says nothing of the kind or what it says cannot
/// be told here (a crate feature, an unknown cfg).
fn elsewhere(info: &str) -> bool {
    let Some(at) = info.find("class=\"stab portability\"") else {
        return false;
    };
    let text = html_text(&info[at..info[at..].find("</div>").map_or(info.len(), |e| at + e)]);
    let Some(cond) = text
        .split_once("Available on ")
        .and_then(|(_, rest)| rest.split_once(" only"))
        .map(|(c, _)| c)
    else {
        return false;
    };
    platform::holds(cond) == Some(false)
}

/// Every member header on the page, by name, in page order. Members in "Methods from
/// Deref<Target = …>" belong to another type and are left out.
fn members(html: &str) -> HashMap<String, Vec<PageMember>> {
    let mut out: HashMap<String, Vec<PageMember>> = HashMap::new();
    let mut in_deref = false;
    let mut impl_trait: Option<String> = None;
    // The marks of the impl a member is listed under (`impl AsHandle for
    // File`, "Available on Windows only") hold for its items too.
    let mut impl_unstable = false;
    let mut impl_elsewhere = false;
    for (tag, id, pos) in elements_with_id(html) {
        match tag {
            "h2" => {
                in_deref = id.starts_with("deref-methods");
                impl_trait = None;
                impl_unstable = false;
                impl_elsewhere = false;
            }
            "section" if id.starts_with("impl-") => {
                impl_trait = section_header(html, pos).and_then(|h| trait_of_impl(&html_text(h)));
                let section = &html[pos..html[pos..].find("</section>").map_or(pos, |e| pos + e)];
                impl_unstable = section.contains("class=\"stab unstable\"");
                impl_elsewhere = elsewhere(section);
            }
            "section" | "span" if !in_deref => {
                let Some((prefix, name)) = member_id(id) else {
                    continue;
                };
                let header = if prefix == "structfield" {
                    field_header(html, pos)
                } else {
                    section_header(html, pos)
                };
                let Some(header) = header else { continue };
                let end = html[pos..]
                    .find(if tag == "span" {
                        "</span>"
                    } else {
                        "</section>"
                    })
                    .map_or(pos, |e| pos + e);
                let signature = signature_text(header);
                let qualified = signature_text(&qualify_links(header));
                let has_self = signature.as_deref().and_then(takes_self);
                let doc = docblock_after(html, end).and_then(first_doc_line);
                out.entry(name.to_string()).or_default().push(PageMember {
                    signature,
                    qualified,
                    doc,
                    has_self,
                    unstable: impl_unstable
                        || item_info(html, end).contains("class=\"stab unstable\""),
                    elsewhere: impl_elsewhere || elsewhere(item_info(html, end)),
                    impl_trait: impl_trait.clone(),
                });
            }
            _ => {}
        }
    }
    out
}

/// The header text of every `<section id="impl-…">` on the page (those under "Methods from
/// Deref" are the target's, and left out).
fn impl_headers(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_deref = false;
    for (tag, id, pos) in elements_with_id(html) {
        match tag {
            "h2" => in_deref = id.starts_with("deref-methods"),
            "section" if id.starts_with("impl-") && !in_deref => {
                if let Some(h) = section_header(html, pos) {
                    out.push(html_text(h));
                }
            }
            _ => {}
        }
    }
    out
}

/// Every element of the page that has an `id`, in order: its tag, the id,
/// and the byte offset just past the id's value.
fn elements_with_id(html: &str) -> impl Iterator<Item = (&str, &str, usize)> {
    let mut pos = 0;
    std::iter::from_fn(move || loop {
        let found = html[pos..].find(" id=\"")?;
        let id_start = pos + found + 5;
        let id_len = html[id_start..].find('"')?;
        let id = &html[id_start..id_start + id_len];
        pos = id_start + id_len;
        let Some(tag_start) = html[..id_start].rfind('<') else {
            continue;
        };
        let tag = html[tag_start + 1..]
            .split(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("");
        return Some((tag, id, pos));
    })
}

/// `method.insert`, `tymethod.read-1`, `variant.Some` → (kind, name); None for other ids.
fn member_id(id: &str) -> Option<(&str, &str)> {
    let (prefix, rest) = id.split_once('.')?;
    if !matches!(
        prefix,
        "method" | "tymethod" | "associatedconstant" | "associatedtype" | "variant" | "structfield"
    ) {
        return None;
    }
    // Rust names have no `-`: what follows one is rustdoc's counter.
    let name = rest.split('-').next().unwrap_or(rest);
    let ok = !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    ok.then_some((prefix, name))
}

/// The code header of the section whose id ends at `pos`: what is inside
/// `<h4 class="code-header">` (or `h3`) before the section ends.
fn section_header(html: &str, pos: usize) -> Option<&str> {
    let rest = &html[pos..];
    let end = rest.find("</section>")?;
    let section = &rest[..end];
    let open = section.find("class=\"code-header\">")? + "class=\"code-header\">".len();
    let body = &section[open..];
    let close = body.rfind("</h")?;
    Some(&body[..close])
}

/// The `<code>` of a struct field's header span.
fn field_header(html: &str, pos: usize) -> Option<&str> {
    let rest = &html[pos..];
    let end = rest.find("</span>")?;
    let span = &rest[..end];
    let open = span.find("<code>")? + "<code>".len();
    let close = span[open..].find("</code>")? + open;
    Some(&span[open..close])
}

/// The trait of an impl header as text: `impl<T: Clone> Clone for Vec<T>` → `Clone`;
/// `unsafe impl<T> Send for X` → `Send`; an inherent `impl<T> Vec<T>` → None.
fn trait_of_impl(header: &str) -> Option<String> {
    let s = header.trim();
    let s = s.strip_prefix("unsafe ").unwrap_or(s);
    let s = s.strip_prefix("impl")?;
    let s = skip_generics(s).trim_start();
    let s = s.strip_prefix("const ").unwrap_or(s);
    let s = s.strip_prefix('!').unwrap_or(s);
    let for_at = top_level_find(s, " for ")?;
    let path = &s[..for_at];
    let path = path.split('<').next().unwrap_or(path);
    let name = path.rsplit("::").next().unwrap_or(path).trim();
    let ok = !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    ok.then(|| name.to_string())
}

/// `s` after a leading `<…>` (balanced), or `s` itself.
fn skip_generics(s: &str) -> &str {
    if !s.starts_with('<') {
        return s;
    }
    let mut depth = 0;
    for (i, c) in s.char_indices() {
        match c {
            '<' => depth += 1,
            '>' if !s[..i].ends_with('-') => {
                depth -= 1;
                if depth == 0 {
                    return &s[i + 1..];
                }
            }
            _ => {}
        }
    }
    s
}

/// The first `needle` in `s` outside `<…>`, `(…)` and `[…]`.
fn top_level_find(s: &str, needle: &str) -> Option<usize> {
    let mut depth = 0i32;
    for (i, c) in s.char_indices() {
        if depth == 0 && s[i..].starts_with(needle) {
            return Some(i);
        }
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' if s[..i].ends_with('-') => {}
            '>' | ')' | ']' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Whether a fn signature's first parameter is a `self` receiver (`self`, `&self`, `&mut
/// self`, `&'a self`, `mut self`, `self: Box<Self>`); None when `signature` is no fn.
pub(crate) fn takes_self(signature: &str) -> Option<bool> {
    let at = if signature.starts_with("fn ") {
        0
    } else {
        signature.find(" fn ")? + 1
    };
    let after_name = &signature[at + 3..];
    let name_end = after_name
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(after_name.len());
    let rest = skip_generics(&after_name[name_end..]);
    let params = rest.strip_prefix('(')?;
    let first_end = top_level_find(params, ",")
        .or_else(|| top_level_find(params, ")"))
        .unwrap_or(params.len());
    let first = params[..first_end].trim();
    let first = first.strip_prefix('&').unwrap_or(first).trim_start();
    // A lifetime: `&'a self`.
    let first = match first.strip_prefix('\'') {
        Some(l) => l.split_once(' ').map_or("", |(_, r)| r),
        None => first,
    };
    let first = first.strip_prefix("mut ").unwrap_or(first).trim_start();
    Some(first == "self" || first.starts_with("self:") || first.starts_with("self :"))
}

#[cfg(test)]
mod tests;
