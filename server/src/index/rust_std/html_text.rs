//! Plain text out of fragments of rustdoc's HTML: tags stripped, entities unescaped, whitespace
//! squashed; a signature made to read as Grounded writes one (`fn insert(&mut self, k: K, v: V)
//! -> Option<V>`), a docblock cut to its first sentence.

/// The text of an HTML fragment on one line: attributes (`<div class="code-attribute">`),
/// rustdoc's "notable traits" marker (`ⓘ`) and other tags removed, entities unescaped,
/// whitespace runs made one space. A block tag (`<div>`, `<br>`, `<p>`) separates words, so
/// that `-&gt; Self<div class="where">where` reads `-> Self where`.
pub(crate) fn html_text(html: &str) -> String {
    let html = without_elements(html, "<div class=\"code-attribute\">", "</div>");
    let html = without_elements(&html, "<a href=\"#\" class=\"tooltip\"", "</a>");
    let mut raw = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(lt) = rest.find('<') {
        raw.push_str(&rest[..lt]);
        rest = &rest[lt..];
        let Some(gt) = rest.find('>') else {
            // A stray `<`: not a tag.
            raw.push_str(rest);
            rest = "";
            break;
        };
        let name = rest[1..gt]
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        if matches!(
            name,
            "div" | "br" | "p" | "li" | "h1" | "h2" | "h3" | "h4" | "h5"
        ) {
            raw.push(' ');
        }
        rest = &rest[gt + 1..];
    }
    raw.push_str(rest);
    squash(&unescape(&raw))
}

/// `html` with each link whose `title` names an item (`<a class="struct" href="…"
/// title="struct std::time::Instant">Instant</a>`) replaced by that item's full path
/// (`std::time::Instant`): what a name in a signature stands for, without guessing from the
/// module it is shown in. Links whose text is not the title's last name are kept as they are.
pub(crate) fn qualify_links(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<a ") {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let replaced = (|| {
            let open_end = rest.find('>')?;
            let open = &rest[..open_end];
            let title_at = open.find("title=\"")? + "title=\"".len();
            let title = &open[title_at..title_at + open[title_at..].find('"')?];
            let (_, path) = title.split_once(' ')?;
            let close = rest[open_end..].find("</a>")? + open_end;
            let text = &rest[open_end + 1..close];
            let ok = path.contains("::")
                && path.rsplit("::").next() == Some(text)
                && path
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == ':');
            ok.then(|| (path.to_string(), close + "</a>".len()))
        })();
        match replaced {
            Some((path, end)) => {
                out.push_str(&path);
                rest = &rest[end..];
            }
            None => {
                out.push_str("<a ");
                rest = &rest[3..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `html` without each element that starts with `open` and ends at the next `close`.
fn without_elements(html: &str, open: &str, close: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(open) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match rest.find(close) {
            Some(end) => rest = &rest[end + close.len()..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// HTML character references: the named ones rustdoc writes and numeric ones; anything else
/// is kept as written.
pub(crate) fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest
            .get(1..rest.len().min(12))
            .and_then(|r| r.find(';').map(|semi| (&r[..semi], semi)))
            .and_then(|(name, semi)| entity(name).map(|c| (c, semi)));
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &rest[semi + 2..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        _ => return None,
    })
}

/// Whitespace runs made one space, trimmed.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A declaration as rustdoc shows it (`pub const unsafe fn f<T>(\n    a: T,\n) -> T`) as
/// Grounded writes signatures: one line, visibility dropped, no space inside brackets, no
/// trailing comma or `;`. Empty text gives None.
pub(crate) fn signature_text(html: &str) -> Option<String> {
    let text = html_text(html);
    let mut s = text.as_str();
    if let Some(rest) = s.strip_prefix("pub") {
        // `pub`, `pub(crate)`, `pub(in path)`.
        if let Some(after) = rest.strip_prefix('(') {
            s = after.split_once(')').map_or(s, |(_, r)| r);
        } else if rest.starts_with(' ') {
            s = rest;
        }
    }
    let mut s = s
        .trim()
        .replace("( ", "(")
        .replace(" )", ")")
        .replace(",)", ")")
        .replace("[ ", "[")
        .replace(" ]", "]");
    while s.ends_with([',', ';', ' ']) {
        s.pop();
    }
    (!s.is_empty()).then_some(s)
}

/// A type's or trait's declaration cut before its body: `struct HashMap<K, V, S = RandomState>
/// { /* private fields */ }` → `struct HashMap<K, V, S = RandomState>`; `trait BufRead: Read {`
/// → `trait BufRead: Read`. Cuts at the first `{`, `(`, `;` or ` where ` outside `<…>`.
pub(crate) fn head_of_declaration(signature: &str) -> String {
    let mut depth = 0i32;
    let mut end = signature.len();
    for (i, c) in signature.char_indices() {
        match c {
            '<' => depth += 1,
            // `->` is no closing bracket.
            '>' if !signature[..i].ends_with('-') => depth -= 1,
            '{' | '(' | ';' if depth <= 0 => {
                end = i;
                break;
            }
            ' ' if depth <= 0 && signature[i..].starts_with(" where ") => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    signature[..end].trim_end().to_string()
}

/// The doc line of a docblock: its first paragraph as text, then the same
/// first-sentence rule as every other doc line ([`first_doc_line`] of
/// `syntax::doc_line`). None when the block does not start with prose (an
/// example, a heading).
pub(crate) fn first_doc_line(docblock: &str) -> Option<String> {
    let body = docblock.trim_start();
    let body = body.strip_prefix("<p>").unwrap_or(body);
    // The first paragraph ends where a block does.
    let end = [
        "</p>",
        "<p>",
        "</div>",
        "<div",
        "<h",
        "<pre",
        "<ul",
        "<ol",
        "<table",
        "<blockquote",
    ]
    .iter()
    .filter_map(|t| body.find(t))
    .min()
    .unwrap_or(body.len());
    let mut text = html_text(&body[..end]);
    // Trait-impl items repeat the trait's doc with a link to it.
    if let Some(t) = text.strip_suffix("Read more") {
        text = t.trim_end().to_string();
    }
    crate::syntax::doc_line::first_doc_line(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_of_fragments() {
        assert_eq!(
            html_text("pub fn <a href=\"#method.insert\" class=\"fn\">insert</a>(&amp;mut self, k: K) -&gt; <a class=\"enum\" title=\"enum std::option::Option\">Option</a>&lt;V&gt;"),
            "pub fn insert(&mut self, k: K) -> Option<V>"
        );
        assert_eq!(
            html_text("<div class=\"code-attribute\">#[non_exhaustive]</div>pub struct Sink;"),
            "pub struct Sink;"
        );
        assert_eq!(
            html_text("fn bytes(self) -&gt; Bytes&lt;Self&gt; <a href=\"#\" class=\"tooltip\" data-notable-ty=\"Bytes&lt;Self&gt;\">ⓘ</a><div class=\"where\">where\n    Self: Sized,</div>"),
            "fn bytes(self) -> Bytes<Self> where Self: Sized,"
        );
        assert_eq!(
            unescape("&quot;a&#39;&#x41;&unknown; & &amp;"),
            "\"a'A&unknown; & &"
        );
        assert_eq!(unescape("&#99999999999;&"), "&#99999999999;&");
        assert_eq!(html_text("a < b <i"), "a < b <i");
    }

    #[test]
    fn linked_names_qualified() {
        let html = "pub fn <a href=\"#method.now\" class=\"fn\">now</a>() -&gt; <a class=\"struct\" href=\"struct.Instant.html\" title=\"struct std::time::Instant\">Instant</a>";
        assert_eq!(
            signature_text(&qualify_links(html)).as_deref(),
            Some("fn now() -> std::time::Instant")
        );
        let html = "fn f() -&gt; <a class=\"enum\" title=\"enum core::option::Option\">Option</a>&lt;&amp;<a class=\"primitive\" href=\"x\">str</a>&gt;";
        assert_eq!(
            signature_text(&qualify_links(html)).as_deref(),
            Some("fn f() -> core::option::Option<&str>")
        );
    }

    #[test]
    fn signatures_read_as_written() {
        assert_eq!(
            signature_text(
                "pub const unsafe fn f&lt;T&gt;(\n    a: T,\n    b: &amp;[u8],\n) -&gt; T"
            )
            .as_deref(),
            Some("const unsafe fn f<T>(a: T, b: &[u8]) -> T")
        );
        assert_eq!(
            signature_text("pub(crate) fn g()").as_deref(),
            Some("fn g()")
        );
        assert_eq!(
            signature_text("pub fn from_fn&lt;F&gt;(n: usize, f: F) -&gt; Self<div class=\"where\">where\n    F: FnMut(usize) -&gt; T,</div>").as_deref(),
            Some("fn from_fn<F>(n: usize, f: F) -> Self where F: FnMut(usize) -> T")
        );
        assert_eq!(signature_text("publish()").as_deref(), Some("publish()"));
        assert_eq!(signature_text("  "), None);
        assert_eq!(
            head_of_declaration("struct HashMap<K, V, S = RandomState, A: Allocator = Global> { /* private fields */ }"),
            "struct HashMap<K, V, S = RandomState, A: Allocator = Global>"
        );
        assert_eq!(
            head_of_declaration("trait BufRead: Read {"),
            "trait BufRead: Read"
        );
        assert_eq!(
            head_of_declaration("struct ReadDir(/* private fields */)"),
            "struct ReadDir"
        );
        assert_eq!(
            head_of_declaration("struct X<F: Fn() -> u8> where F: Send {"),
            "struct X<F: Fn() -> u8>"
        );
        assert_eq!(head_of_declaration("enum Option<T> {"), "enum Option<T>");
    }

    #[test]
    fn doc_lines() {
        assert_eq!(
            first_doc_line(
                "<p>Inserts a key-value pair into the map.</p>\n<p>If the map did not…</p>"
            )
            .as_deref(),
            Some("Inserts a key-value pair into the map.")
        );
        assert_eq!(
            first_doc_line("Returns a duplicate of the value. <a href=\"../../core/clone/trait.Clone.html#tymethod.clone\">Read more</a>").as_deref(),
            Some("Returns a duplicate of the value.")
        );
        assert_eq!(
            first_doc_line("<p>Pull some bytes from this source into the specified buffer, returning\nhow many bytes were read.</p>").as_deref(),
            Some("Pull some bytes from this source into the specified buffer, returning how many bytes were read.")
        );
        assert_eq!(
            first_doc_line("<p>Uses a <code>Vec&lt;T&gt;</code>, e.g. this one. Then more.</p>")
                .as_deref(),
            Some("Uses a Vec<T>, e.g. this one.")
        );
        assert_eq!(
            first_doc_line("<div class=\"example-wrap\"><pre>x</pre></div>"),
            None
        );
        assert_eq!(first_doc_line(""), None);
        let long = format!("<p>{}</p>", "word ".repeat(60));
        let line = first_doc_line(&long).unwrap();
        assert!(line.ends_with('…') && line.chars().count() <= 160, "{line}");
        assert_eq!(
            first_doc_line("<p>Ünïcödé ½ text</p>").as_deref(),
            Some("Ünïcödé ½ text")
        );
    }
}
