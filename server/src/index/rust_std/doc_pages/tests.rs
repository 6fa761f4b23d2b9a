//! Pages in the shape rustdoc writes them (cut down from the toolchain's own).

use super::*;

/// A type's page: inherent methods (one with a where clause and a stability note), a trait
/// impl whose items repeat under `-1` suffixes, a Deref section, a blanket impl.
const HASH_MAP: &str = r##"<html><body><h1>Struct <span class="struct">HashMap</span>&nbsp;<button id="copy-path">Copy</button></h1>
<pre class="rust item-decl"><code>pub struct HashMap&lt;K, V, S = <a class="struct" href="../../hash/struct.RandomState.html" title="struct std::hash::RandomState">RandomState</a>&gt; { <span class="comment">/* private fields */</span> }</code></pre><details class="toggle top-doc" open><summary class="hideme"><span>Expand description</span></summary><div class="docblock"><p>A <a href="../index.html#use-a-hashmap-when" title="mod std::collections">hash map</a> implemented with quadratic probing and SIMD lookup.</p>
<p>By default, more.</p></div></details>
<h2 id="implementations" class="section-header">Implementations<a href="#implementations" class="anchor">§</a></h2><div id="implementations-list"><details class="toggle implementors-toggle" open><summary><section id="impl-HashMap%3CK,+V%3E" class="impl"><h3 class="code-header">impl&lt;K, V&gt; <a class="struct" href="struct.HashMap.html" title="struct std::collections::HashMap">HashMap</a>&lt;K, V&gt;</h3></section></summary><div class="impl-items">
<details class="toggle method-toggle" open><summary><section id="method.new" class="method"><span class="rightside"><span class="since" title="Stable since Rust version 1.0.0">1.0.0</span> · <a class="src" href="x">Source</a></span><h4 class="code-header">pub fn <a href="#method.new" class="fn">new</a>() -&gt; <a class="struct" href="struct.HashMap.html" title="struct std::collections::HashMap">HashMap</a>&lt;K, V, <a class="struct" title="struct std::hash::RandomState">RandomState</a>&gt;</h4></section></summary><div class="docblock"><p>Creates an empty <code>HashMap</code>.</p>
<h5 id="examples"><a class="doc-anchor" href="#examples">§</a>Examples</h5></div></details>
<details class="toggle method-toggle" open><summary><section id="method.insert" class="method"><h4 class="code-header">pub fn <a href="#method.insert" class="fn">insert</a>(&amp;mut self, k: K, v: V) -&gt; <a class="enum" href="../../option/enum.Option.html" title="enum std::option::Option">Option</a>&lt;V&gt;</h4></section></summary><div class="docblock"><p>Inserts a key-value pair into the map.</p>
<p>If the map did not have this key present, <a href="x"><code>None</code></a> is returned.</p></div></details>
<section id="method.undocumented" class="method"><h4 class="code-header">pub const unsafe fn <a href="#method.undocumented" class="fn">undocumented</a>&lt;'a&gt;(&amp;'a self) -&gt; &amp;'a [u8]</h4></section>
<details class="toggle method-toggle" open><summary><section id="method.from_fn" class="method"><h4 class="code-header">pub fn <a href="#method.from_fn" class="fn">from_fn</a>&lt;F&gt;(length: usize, f: F) -&gt; Self<div class="where">where
    F: <a class="trait" title="trait core::ops::function::FnMut">FnMut</a>(usize) -&gt; T,</div></h4></section><span class="item-info"><div class="stab unstable"><span class="emoji">🔬</span><span>This is a nightly-only experimental API.</span></div></span></summary><div class="docblock"><p>Creates a <code>Vec&lt;T&gt;</code> where each element is produced by calling <code>f</code>.</p></div></details>
</div></details></div>
<h2 id="deref-methods-%5BT%5D" class="section-header">Methods from Deref&lt;Target = [T]&gt;</h2><div id="deref-methods-%5BT%5D-1"><section id="method.len-1" class="method"><h4 class="code-header">pub const fn <a href="#method.len-1" class="fn">len</a>(&amp;self) -&gt; usize</h4></section></div>
<h2 id="trait-implementations" class="section-header">Trait Implementations</h2><div id="trait-implementations-list">
<details class="toggle implementors-toggle" open><summary><section id="impl-Clone-for-HashMap%3CK,+V,+S%3E" class="impl"><h3 class="code-header">impl&lt;K: <a class="trait" title="trait core::clone::Clone">Clone</a>, V: Clone, S: Clone&gt; <a class="trait" href="../../clone/trait.Clone.html" title="trait core::clone::Clone">Clone</a> for <a class="struct" title="struct std::collections::HashMap">HashMap</a>&lt;K, V, S&gt;</h3></section></summary><div class="impl-items"><details class="toggle method-toggle" open><summary><section id="method.clone" class="method trait-impl"><h4 class="code-header">fn <a href="../../clone/trait.Clone.html#tymethod.clone" class="fn">clone</a>(&amp;self) -&gt; Self</h4></section></summary><div class='docblock'>Returns a duplicate of the value. <a href="../../clone/trait.Clone.html#tymethod.clone">Read more</a></div></details></div></details>
<details class="toggle implementors-toggle" open><summary><section id="impl-Extend%3C(K,+V)%3E-for-HashMap%3CK,+V,+S%3E" class="impl"><h3 class="code-header">impl&lt;K, V, S&gt; <a class="trait" title="trait core::iter::traits::collect::Extend">Extend</a>&lt;(K, V)&gt; for HashMap&lt;K, V, S&gt;</h3></section></summary><div class="impl-items"><details class="toggle method-toggle" open><summary><section id="method.extend" class="method trait-impl"><h4 class="code-header">fn <a class="fn">extend</a>&lt;T: IntoIterator&lt;Item = (K, V)&gt;&gt;(&amp;mut self, iter: T)</h4></section></summary><div class='docblock'>Extends a collection with the contents of an iterator. <a href="x">Read more</a></div></details></div></details>
<details class="toggle implementors-toggle" open><summary><section id="impl-Index%3C%26Q%3E-for-HashMap%3CK,+V,+S%3E" class="impl"><h3 class="code-header">impl&lt;K, Q: ?Sized, V, S&gt; Index&lt;&amp;Q&gt; for HashMap&lt;K, V, S&gt;</h3></section></summary><div class="impl-items"><details class="toggle" open><summary><section id="associatedtype.Output" class="associatedtype trait-impl"><h4 class="code-header">type <a class="associatedtype">Output</a> = V</h4></section></summary><div class='docblock'>The returned type after indexing.</div></details></div></details>
<section id="impl-Send-for-HashMap" class="impl"><h3 class="code-header">unsafe impl&lt;K: Send&gt; Send for HashMap&lt;K&gt;</h3></section>
</div>
<h2 id="blanket-implementations" class="section-header">Blanket Implementations</h2><div id="blanket-implementations-list">
<details class="toggle implementors-toggle"><summary><section id="impl-From%3CT%3E-for-T" class="impl"><h3 class="code-header">impl&lt;T&gt; <a class="trait" title="trait core::convert::From">From</a>&lt;T&gt; for T</h3></section></summary><div class="impl-items"><details class="toggle method-toggle" open><summary><section id="method.from-1" class="method trait-impl"><h4 class="code-header">fn <a class="fn">from</a>(t: T) -&gt; T</h4></section></summary><div class="docblock"><p>Returns the argument unchanged.</p></div></details></div></details>
<details class="toggle implementors-toggle"><summary><section id="impl-Extend%3C(%26K,+%26V)%3E-for-HashMap%3CK,+V,+S%3E" class="impl"><h3 class="code-header">impl&lt;'a, K: Copy, V: Copy, S&gt; Extend&lt;(&amp;'a K, &amp;'a V)&gt; for HashMap&lt;K, V, S&gt;</h3></section></summary><div class="impl-items"><section id="method.extend-1" class="method trait-impl"><h4 class="code-header">fn <a class="fn">extend</a>&lt;T: IntoIterator&lt;Item = (&amp;'a K, &amp;'a V)&gt;&gt;(&amp;mut self, iter: T)</h4></section></div></details>
</div></body></html>"##;

#[test]
fn a_type_page() {
    let page = parse_page(HASH_MAP).expect("parsed");
    assert_eq!(
        page.decl.as_deref(),
        Some("struct HashMap<K, V, S = RandomState> { /* private fields */ }")
    );
    assert_eq!(
        page.doc.as_deref(),
        Some("A hash map implemented with quadratic probing and SIMD lookup.")
    );
    let insert = page.member("insert", None).expect("insert");
    assert_eq!(
        insert.signature.as_deref(),
        Some("fn insert(&mut self, k: K, v: V) -> Option<V>")
    );
    assert_eq!(
        insert.doc.as_deref(),
        Some("Inserts a key-value pair into the map.")
    );
    assert_eq!(insert.has_self, Some(true));
    let new = page.member("new", None).expect("new");
    assert_eq!(
        new.signature.as_deref(),
        Some("fn new() -> HashMap<K, V, RandomState>")
    );
    assert_eq!(new.doc.as_deref(), Some("Creates an empty HashMap."));
    assert_eq!(new.has_self, Some(false));
    // No docblock of its own: not the next member's.
    let undocumented = page.member("undocumented", None).expect("undocumented");
    assert_eq!(
        undocumented.signature.as_deref(),
        Some("const unsafe fn undocumented<'a>(&'a self) -> &'a [u8]")
    );
    assert_eq!(undocumented.doc, None);
    assert_eq!(undocumented.has_self, Some(true));
    let from_fn = page.member("from_fn", None).expect("from_fn");
    assert_eq!(
        from_fn.signature.as_deref(),
        Some("fn from_fn<F>(length: usize, f: F) -> Self where F: FnMut(usize) -> T")
    );
    assert_eq!(
        from_fn.doc.as_deref(),
        Some("Creates a Vec<T> where each element is produced by calling f.")
    );
    // Methods from Deref belong to the target type.
    assert_eq!(page.member("len", None), None);
    // Trait impl items, by the impl's trait; the `-1` suffix is dropped.
    let clone = page
        .member("clone", Some("core::clone::Clone"))
        .expect("clone");
    assert_eq!(clone.signature.as_deref(), Some("fn clone(&self) -> Self"));
    assert_eq!(
        clone.doc.as_deref(),
        Some("Returns a duplicate of the value.")
    );
    assert_eq!(page.member("clone", None), None, "not inherent");
    let extend = page
        .member("extend", Some("core::iter::Extend"))
        .expect("extend");
    assert_eq!(
        extend.signature.as_deref(),
        Some("fn extend<T: IntoIterator<Item = (K, V)>>(&mut self, iter: T)")
    );
    let from = page
        .member("from", Some("core::convert::From"))
        .expect("from");
    assert_eq!(from.signature.as_deref(), Some("fn from(t: T) -> T"));
    assert_eq!(from.has_self, Some(false));
    let output = page
        .member("Output", Some("core::ops::Index"))
        .expect("Output");
    assert_eq!(output.signature.as_deref(), Some("type Output = V"));
    assert_eq!(output.has_self, None);
    assert_eq!(page.member("nothing", None), None);
}

/// An enum's variants, a struct's fields, a trait's required and provided methods.
#[test]
fn variants_fields_and_trait_items() {
    let option = r##"<h1>Enum <span>Option</span></h1><pre class="rust item-decl"><code>pub enum Option&lt;T&gt; {
    None,
    Some(T),
}</code></pre><details class="toggle top-doc" open><summary class="hideme"><span>Expand description</span></summary><div class="docblock"><p>The <code>Option</code> type. See <a href="index.html">the module level documentation</a> for more.</p></div></details><h2 id="variants" class="variants section-header">Variants<a href="#variants" class="anchor">§</a></h2><div class="variants"><section id="variant.None" class="variant"><a href="#variant.None" class="anchor">§</a><span class="since rightside" title="Stable since Rust version 1.0.0">1.0.0</span><h3 class="code-header">None</h3></section><div class="docblock"><p>No value.</p>
</div><section id="variant.Some" class="variant"><a href="#variant.Some" class="anchor">§</a><h3 class="code-header">Some(T)</h3></section><div class="docblock"><p>Some value of type <code>T</code>.</p>
</div></div>"##;
    let page = parse_page(option).unwrap();
    assert_eq!(
        page.decl.as_deref(),
        Some("enum Option<T> { None, Some(T), }")
    );
    assert_eq!(page.doc.as_deref(), Some("The Option type."));
    let some = page.member("Some", None).unwrap();
    assert_eq!(some.signature.as_deref(), Some("Some(T)"));
    assert_eq!(some.doc.as_deref(), Some("Some value of type T."));
    assert_eq!(
        page.member("None", None).unwrap().doc.as_deref(),
        Some("No value.")
    );

    let range = r##"<pre class="rust item-decl"><code>pub struct Range&lt;Idx&gt; {
    pub start: Idx,
}</code></pre><h2 id="fields" class="fields section-header">Fields<a href="#fields" class="anchor">§</a></h2><span id="structfield.start" class="structfield section-header"><a href="#structfield.start" class="anchor field">§</a><code>start: Idx</code></span><div class="docblock"><p>The lower bound of the range (inclusive).</p>
</div><span id="structfield.end" class="structfield section-header"><a href="#structfield.end" class="anchor field">§</a><code>end: <a class="struct" title="struct X">X</a>&lt;Idx&gt;</code></span><h2 id="implementations">Implementations</h2>"##;
    let page = parse_page(range).unwrap();
    let start = page.member("start", None).unwrap();
    assert_eq!(start.signature.as_deref(), Some("start: Idx"));
    assert_eq!(
        start.doc.as_deref(),
        Some("The lower bound of the range (inclusive).")
    );
    let end = page.member("end", None).unwrap();
    assert_eq!(end.signature.as_deref(), Some("end: X<Idx>"));
    assert_eq!(end.doc, None);

    let read = r##"<pre class="rust item-decl"><code>pub trait Read {
    // Required method
    fn <a href="#tymethod.read" class="fn">read</a>(&amp;mut self, buf: &amp;mut [u8]) -&gt; Result&lt;usize&gt;;
}</code></pre><h2 id="required-methods" class="section-header">Required Methods</h2><div class="methods"><details class="toggle method-toggle" open><summary><section id="tymethod.read" class="method"><h4 class="code-header">fn <a href="#tymethod.read" class="fn">read</a>(&amp;mut self, buf: &amp;mut [<a class="primitive" href="../primitive.u8.html">u8</a>]) -&gt; <a class="type" title="type std::io::Result">Result</a>&lt;usize&gt;</h4></section></summary><div class="docblock"><p>Pull some bytes from this source into the specified buffer, returning
how many bytes were read.</p></div></details></div><h2 id="provided-methods" class="section-header">Provided Methods</h2><div class="methods"><details class="toggle method-toggle" open><summary><section id="method.bytes" class="method"><h4 class="code-header">fn <a href="#method.bytes" class="fn">bytes</a>(self) -&gt; <a class="struct" title="struct std::io::Bytes">Bytes</a>&lt;Self&gt; <a href="#" class="tooltip" data-notable-ty="Bytes&lt;Self&gt;">ⓘ</a><div class="where">where
    Self: <a class="trait" title="trait std::marker::Sized">Sized</a>,</div></h4></section></summary><div class="docblock"><p>Transforms this <code>Read</code> instance to an <a href="x"><code>Iterator</code></a> over its bytes.</p></div></details></div><h2 id="implementors" class="section-header">Implementors</h2><div id="implementors-list"><section id="impl-Read-for-File" class="impl"><h3 class="code-header">impl Read for File</h3></section></div>"##;
    let page = parse_page(read).unwrap();
    let r = page.member("read", None).unwrap();
    assert_eq!(
        r.signature.as_deref(),
        Some("fn read(&mut self, buf: &mut [u8]) -> Result<usize>")
    );
    assert_eq!(
        r.doc.as_deref(),
        Some("Pull some bytes from this source into the specified buffer, returning how many bytes were read.")
    );
    let bytes = page.member("bytes", None).unwrap();
    assert_eq!(
        bytes.signature.as_deref(),
        Some("fn bytes(self) -> Bytes<Self> where Self: Sized")
    );
    assert_eq!(bytes.has_self, Some(true));
}

#[test]
fn fn_and_module_pages() {
    let f = r##"<h1>Function <span class="fn">read_to_string</span></h1><pre class="rust item-decl"><code>pub fn read_to_string&lt;P: <a class="trait" href="../convert/trait.AsRef.html" title="trait std::convert::AsRef">AsRef</a>&lt;<a class="struct" title="struct std::path::Path">Path</a>&gt;&gt;(path: P) -&gt; <a class="type" title="type std::io::Result">Result</a>&lt;<a class="struct" title="struct std::string::String">String</a>&gt;</code></pre><details class="toggle top-doc" open><summary class="hideme"><span>Expand description</span></summary><div class="docblock"><p>Reads the entire contents of a file into a string.</p>
<p>This is a convenience function.</p></div></details>"##;
    let page = parse_page(f).unwrap();
    assert_eq!(
        page.decl.as_deref(),
        Some("fn read_to_string<P: AsRef<Path>>(path: P) -> Result<String>")
    );
    assert_eq!(
        page.doc.as_deref(),
        Some("Reads the entire contents of a file into a string.")
    );
    let attr = r##"<pre class="rust item-decl"><code><div class="code-attribute">#[non_exhaustive]</div>pub struct Sink;</code></pre>"##;
    let page = parse_page(attr).unwrap();
    assert_eq!(page.decl.as_deref(), Some("struct Sink"));
    assert_eq!(page.doc, None);

    let module = r##"<h1>Module <span>collections</span>&nbsp;<button id="copy-path" title="Copy item path to clipboard">Copy item path</button></h1><span class="sub-heading"><a class="src" href="x">Source</a></span></div><details class="toggle top-doc" open><summary class="hideme"><span>Expand description</span></summary><div class="docblock"><p>Collection types.</p><h2 id="when">When</h2></div></details>"##;
    let page = parse_page(module).unwrap();
    assert_eq!(page.decl, None);
    assert_eq!(page.doc.as_deref(), Some("Collection types."));
}

#[test]
fn odd_pages_give_nothing() {
    // A redirect page, a truncated page, garbage: no panic, nothing known.
    assert!(parse_page(
        r##"<meta http-equiv="refresh" content="0;URL=../../std/x/struct.Y.html">"##
    )
    .is_none());
    assert!(parse_page(r##"<pre class="rust item-decl"><code>pub fn f("##).is_none());
    let cut = &HASH_MAP[..HASH_MAP.len() / 2];
    let _ = parse_page(cut);
    for i in (0..HASH_MAP.len()).step_by(97) {
        if HASH_MAP.is_char_boundary(i) {
            let _ = parse_page(&HASH_MAP[..i]);
            let _ = parse_page(&HASH_MAP[i..]);
        }
    }
    let page = parse_page(r##"<h1>x</h1><section id="method." class="method"><h4 class="code-header">fn</h4></section><section id="method.a-b" class="method"></section><span id="structfield.q" class="structfield"></span>"##).unwrap();
    assert_eq!(page.member("", None), None);
    assert_eq!(page.member("a", None), None);
    assert_eq!(page.member("q", None), None);
}

#[test]
fn receivers() {
    for (sig, expected) in [
        ("fn a(self)", Some(true)),
        ("fn a(&self, x: u8)", Some(true)),
        ("fn a(&mut self)", Some(true)),
        ("fn a<'a>(&'a mut self)", Some(true)),
        ("fn a(mut self)", Some(true)),
        ("fn a(self: Box<Self>)", Some(true)),
        ("const unsafe fn a<T: Fn(u8) -> u8>(f: T)", Some(false)),
        ("fn a()", Some(false)),
        ("fn a(selfish: u8)", Some(false)),
        ("type Output = V", None),
        ("Some(T)", None),
    ] {
        assert_eq!(takes_self(sig), expected, "{sig}");
    }
}

#[test]
fn impl_traits() {
    assert_eq!(
        trait_of_impl("impl<K: Clone, V> Clone for HashMap<K, V>").as_deref(),
        Some("Clone")
    );
    assert_eq!(
        trait_of_impl("unsafe impl<T: Send> Send for Vec<T>").as_deref(),
        Some("Send")
    );
    assert_eq!(
        trait_of_impl("impl<T> !Sync for X<T>").as_deref(),
        Some("Sync")
    );
    assert_eq!(
        trait_of_impl("impl<'a, T> core::iter::Extend<&'a T> for Vec<T> where T: Copy").as_deref(),
        Some("Extend")
    );
    assert_eq!(
        trait_of_impl("impl<F: Fn() -> u8> Foo for Bar<F>").as_deref(),
        Some("Foo")
    );
    assert_eq!(trait_of_impl("impl<T> Vec<T>"), None);
    assert_eq!(trait_of_impl("impl<T> [T]"), None);
    assert_eq!(trait_of_impl("nonsense"), None);
}

#[test]
fn page_files_and_the_cache() {
    use StdItemKind as K;
    let files = page_files(
        "std::collections::HashMap",
        Some("std::collections::hash::map::HashMap"),
        &[K::Struct],
    );
    assert_eq!(
        files,
        [
            PathBuf::from("std/collections/struct.HashMap.html"),
            PathBuf::from("std/collections/hash/map/struct.HashMap.html"),
        ]
    );
    assert_eq!(
        page_files("str", None, &[K::Primitive]),
        [
            PathBuf::from("std/primitive.str.html"),
            PathBuf::from("core/primitive.str.html")
        ]
    );
    assert_eq!(
        page_files("std::fs", None, &[K::Module]),
        [PathBuf::from("std/fs/index.html")]
    );
    assert!(page_files("std::../x", None, &[K::Fn]).is_empty());
    assert!(page_files("f", None, &[K::Fn]).is_empty());
    assert!(page_files("std::x::Y", None, &[K::Variant]).is_empty());

    let dir = tempfile::tempdir().unwrap();
    let at = dir.path().join("std").join("collections");
    std::fs::create_dir_all(&at).unwrap();
    std::fs::write(at.join("struct.HashMap.html"), HASH_MAP).unwrap();
    let pages = DocPages::new(dir.path());
    let rel = Path::new("std/collections/struct.HashMap.html");
    let first = pages.page(rel).expect("read");
    // Kept: the file is not read again.
    std::fs::remove_file(at.join("struct.HashMap.html")).unwrap();
    let second = pages.page(rel).expect("cached");
    assert!(Arc::ptr_eq(&first, &second));
    assert!(pages
        .page(Path::new("std/collections/struct.Nope.html"))
        .is_none());
}

/// rustdoc's "nightly-only experimental API" mark: on an item's page after
/// its declaration, on a member after its header; a later member's mark
/// (or a docblock's text) never counts for an earlier one.
#[test]
fn unstable_marks() {
    let page = parse_page(HASH_MAP).unwrap();
    assert!(!page.unstable);
    assert!(page.member("from_fn", None).unwrap().unstable);
    for stable in ["new", "insert", "undocumented"] {
        assert!(!page.member(stable, None).unwrap().unstable, "{stable}");
    }
    let unstable_fn = r##"<pre class="rust item-decl"><code>pub fn set_alloc_error_hook(hook: fn(Layout))</code></pre><span class="item-info"><div class="stab unstable"><span class="emoji">🔬</span><span>This is a nightly-only experimental API.</span></div></span><details class="toggle top-doc" open><summary class="hideme"><span>Expand description</span></summary><div class="docblock"><p>Registers a custom allocation error hook.</p></div></details>"##;
    let page = parse_page(unstable_fn).unwrap();
    assert!(page.unstable);
    assert_eq!(
        page.doc.as_deref(),
        Some("Registers a custom allocation error hook.")
    );
    let windows_only = r##"<pre class="rust item-decl"><code>pub fn share_mode(mode: u32)</code></pre><span class="item-info"><div class="stab portability">Available on <strong>Windows</strong> only.</div></span><div class="docblock"><p>Sets the share mode.</p></div>"##;
    assert_eq!(parse_page(windows_only).unwrap().elsewhere, !cfg!(windows));
    let unix_or_wasi = windows_only.replace(
        "<strong>Windows</strong>",
        "(<strong>Unix</strong> or <strong>WASI</strong>)",
    );
    assert_eq!(parse_page(&unix_or_wasi).unwrap().elsewhere, cfg!(windows));
    let stable_fn = r##"<pre class="rust item-decl"><code>pub fn swap&lt;T&gt;(x: &amp;mut T, y: &amp;mut T)</code></pre><details class="toggle top-doc" open><summary class="hideme"><span>Expand description</span></summary><div class="docblock"><p>Swaps two values; <div class="stab unstable">quoted</div>.</p></div></details>"##;
    assert!(!parse_page(stable_fn).unwrap().unstable);
}
