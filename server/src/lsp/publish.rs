//! The one analysis task: debounce the documents scheduled for analysis,
//! analyze each on a blocking thread against a snapshot, and publish only if
//! the document is still at the analyzed version.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::Client;

use super::analysis_thread;
use super::documents::Encoding;
use super::kept_tree::KeptTree;
use super::{diagnostics, log, State};
use crate::analysis::{Finding, Severity};
use crate::session::Session;
use crate::syntax::facts::FileFacts;
use crate::syntax::nesting::NestingCut;
use crate::syntax::python::Chunks;

/// How long the edits must pause before the other open documents (which
/// may import the edited one) are re-analyzed. While typing, only the edited
/// document is; its dependents catch up once the typing stops.
const IDLE_DELAY: Duration = Duration::from_millis(250);

/// How soon a scheduled document is analyzed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    /// After the debounce: the document that was edited, opened or saved,
    /// and everything after a change on disk or in the settings.
    Now,
    /// Once the edits pause: documents that may depend on an edited one.
    Idle,
}

/// Documents waiting for analysis, each once, in scheduling order.
#[derive(Default)]
struct Queue {
    now: Vec<Uri>,
    idle: Vec<Uri>,
}

impl Queue {
    fn push(&mut self, (uri, urgency): (Uri, Urgency)) {
        match urgency {
            Urgency::Now => {
                self.idle.retain(|u| u != &uri);
                if !self.now.contains(&uri) {
                    self.now.push(uri);
                }
            }
            Urgency::Idle => {
                if !self.now.contains(&uri) && !self.idle.contains(&uri) {
                    self.idle.push(uri);
                }
            }
        }
    }
}

pub async fn analysis_loop(
    client: Client,
    state: Arc<State>,
    mut rx: mpsc::UnboundedReceiver<(Uri, Urgency)>,
) {
    let mut queue = Queue::default();
    loop {
        if queue.now.is_empty() {
            let next = if queue.idle.is_empty() {
                rx.recv().await
            } else {
                match tokio::time::timeout(IDLE_DELAY, rx.recv()).await {
                    Ok(next) => next,
                    Err(_) => {
                        // The edits paused: catch up, yielding to new work.
                        while !queue.idle.is_empty() && queue.now.is_empty() {
                            let uri = queue.idle.remove(0);
                            analyze_and_publish(&client, &state, uri).await;
                            while let Ok(m) = rx.try_recv() {
                                queue.push(m);
                            }
                        }
                        continue;
                    }
                }
            };
            let Some(m) = next else { return };
            queue.push(m);
        }
        let debounce = state.settings().debounce_ms;
        if debounce > 0 {
            tokio::time::sleep(Duration::from_millis(debounce)).await;
        }
        while let Ok(m) = rx.try_recv() {
            queue.push(m);
        }
        for uri in std::mem::take(&mut queue.now) {
            analyze_and_publish(&client, &state, uri).await;
        }
    }
}

/// Documents of at least this many bytes give their analysis's transient
/// memory back to the system as soon as it ends.
const RETURN_MEMORY_FROM: usize = 256 << 10;

/// What one analysis produced: the facts (Python's, shared with the other
/// documents' analyses), the tree, the findings, and where a statement
/// nested too deeply was left out.
struct Analyzed {
    facts: Option<Arc<FileFacts>>,
    tree: Option<tree_sitter::Tree>,
    chunks: Option<Chunks>,
    findings: Vec<Finding>,
    /// The severity of each finding.
    severities: Vec<Severity>,
    cut: Option<NestingCut>,
}

/// Analyze `text`, the content of `path`, re-parsing `old` (the previous
/// tree, edited to `text`); `None` once `stale` says a newer version
/// superseded it (asked between the phases, and while parsing).
fn analyze(
    session: &Session,
    path: &Path,
    text: &str,
    old: Option<(tree_sitter::Tree, Option<Chunks>)>,
    others: &HashMap<PathBuf, Arc<FileFacts>>,
    is_rust: bool,
    stale: &dyn Fn() -> bool,
) -> Option<Analyzed> {
    if is_rust {
        // Rust documents' facts are not shared with other analyses.
        let old = old.map(|(tree, _)| tree);
        let (facts, tree) = crate::syntax::rust::parse_cancellable(text, old.as_ref(), stale)?;
        drop(old);
        if stale() {
            return None;
        }
        let cut = facts.nesting_cut;
        let (findings, severities) = session
            .analyze_rust(path, Arc::new(facts))
            .into_iter()
            .unzip();
        return (!stale()).then_some(Analyzed {
            facts: None,
            tree,
            chunks: None,
            findings,
            severities,
            cut,
        });
    }
    // The chunks of the previous analysis, with its tree: only what the
    // edits changed is walked again.
    let previous = old
        .as_ref()
        .and_then(|(tree, chunks)| Some((tree, chunks.as_ref()?)));
    // Chunks only for a tree that is kept (a dense document's are dropped
    // with its tree: walked whole, it needs no merge).
    let kept = |tree: &tree_sitter::Tree| KeptTree::worth_keeping(tree, text.len());
    let (facts, tree, chunks) =
        crate::syntax::python::parse_with_chunks(text, previous, stale, &kept)?;
    drop(old);
    if stale() {
        return None;
    }
    let facts = Arc::new(facts);
    let cut = facts.nesting_cut;
    let findings = session.analyze_in_place(path, facts.clone(), others);
    let severities = findings
        .iter()
        .map(|f| session.severity_of(f.code).unwrap_or(Severity::Error))
        .collect();
    (!stale()).then_some(Analyzed {
        facts: Some(facts),
        tree,
        chunks,
        findings,
        severities,
        cut,
    })
}

/// Give a large document's transient memory (its findings, the tree it
/// replaced or did not keep) back to the system now: the pool thread that
/// analyzed it may sleep long before it allocates again. The trees are
/// tree-sitter's, allocated by the C library's malloc, the rest mimalloc's.
pub(super) fn return_memory() {
    // SAFETY: no preconditions.
    unsafe { libmimalloc_sys::mi_collect(true) };
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The diagnostics of `findings` (severities overridden by the settings'),
/// at most [`diagnostics::MAX_PER_DOCUMENT`] of them and a note for the rest.
fn to_diagnostics(
    rope: &ropey::Rope,
    findings: &[Finding],
    severities: &[Severity],
    overrides: &HashMap<crate::analysis::Code, Option<Severity>>,
    enc: Encoding,
) -> Vec<Diagnostic> {
    let shown = findings.iter().zip(severities).filter_map(|(f, sev)| {
        let sev = match overrides.get(&f.code) {
            Some(o) => (*o)?,
            None => *sev,
        };
        Some((f, sev))
    });
    // The first findings of the document, and a note for the rest.
    let mut diags = Vec::new();
    let mut count = 0;
    for (f, sev) in shown {
        if count < diagnostics::MAX_PER_DOCUMENT {
            diags.push(diagnostics::to_diagnostic(rope, f, sev, enc));
        }
        count += 1;
    }
    if count > diagnostics::MAX_PER_DOCUMENT {
        diags.push(diagnostics::more_notice(count));
    }
    diags
}

/// Log an analysis dropped for a newer version.
fn dropped(uri: &Uri, version: i32, when: &str) {
    log::debug(format!(
        "dropped the analysis of {} v{version}: a newer version superseded it {when}",
        uri.as_str()
    ));
}

/// The last analyzed facts of the open documents served from `root`, but
/// `except`.
pub fn open_facts(state: &State, root: &PathBuf, except: &Uri) -> HashMap<PathBuf, Arc<FileFacts>> {
    state
        .docs
        .iter()
        .filter(|e| e.key() != except && &e.root == root)
        .filter_map(|e| Some((e.path.clone()?, e.facts.as_ref()?.1.clone())))
        .collect()
}

async fn analyze_and_publish(client: &Client, state: &Arc<State>, uri: Uri) {
    let settings = state.settings();
    // A document over the size limit gets a notice, not an analysis, and
    // keeps no tree or facts.
    let over = state.docs.get_mut(&uri).and_then(|mut open| {
        let size = open.doc.rope.len_bytes();
        if size <= settings.max_document_bytes {
            return None;
        }
        let version = open.doc.version;
        open.tree = None;
        open.facts = None;
        open.doc.edits.clear();
        Some((size, version))
    });
    if let Some((size, version)) = over {
        log::info(format!(
            "{} v{version} is not analyzed: {size} bytes, over maxDocumentSize ({})",
            uri.as_str(),
            settings.max_document_bytes
        ));
        let notice = diagnostics::size_notice(size, settings.max_document_bytes);
        client
            .publish_diagnostics(uri, vec![notice], Some(version))
            .await;
        return;
    }
    // Snapshot the document; no guard lives across an await.
    let (rope, version, path, root, old_tree, latest, replaced) = match state.docs.get_mut(&uri) {
        Some(mut open) => {
            // The last tree, brought up to this version by the edits since.
            let old_tree = open.tree.as_ref().and_then(|t| t.edited(&open.doc.edits));
            // A large document's facts of the version before are dropped
            // now rather than when the new ones replace them: two versions'
            // facts side by side were its peak (a finding on every line of
            // a megabyte: 27 bytes per source byte each). Only the other
            // documents' analyses read them, and those run after this one
            // on the same thread (a hover meanwhile reads the file on disk).
            let replaced = if open.doc.rope.len_bytes() >= RETURN_MEMORY_FROM {
                open.facts.take()
            } else {
                None
            };
            (
                open.doc.rope.clone(),
                open.doc.version,
                open.path.clone(),
                open.root.clone(),
                old_tree,
                open.latest.clone(),
                replaced,
            )
        }
        None => return,
    };
    if replaced.is_some() {
        // Freed on the analysis thread before this analysis starts there.
        analysis_thread::discard(replaced, true);
    }
    let Some(path) = path else { return };
    let is_rust = path.extension().is_some_and(|e| e == "rs");
    if !is_rust && !path.extension().is_some_and(|e| e == "py" || e == "pyi") {
        return;
    }
    // A newer version (or the document's closing) supersedes this analysis:
    // asked before and after each phase, and by tree-sitter as it parses.
    let stale = move || latest.load(Ordering::Relaxed) != version;
    let session = state.folders.session(&root, &settings.session).await;
    if stale() {
        return dropped(&uri, version, "before it started");
    }
    let others = open_facts(state, &root, &uri);
    let text = rope.to_string();
    let started = Instant::now();
    if log::enabled(log::Level::Debug) {
        log::debug(format!(
            "analyzing {} v{version} ({} bytes)",
            uri.as_str(),
            text.len()
        ));
    }
    let large = text.len() >= RETURN_MEMORY_FROM;
    let enc = *state.encoding.get().unwrap_or(&Encoding::Utf16);
    let overrides = settings.severity.clone();
    let analyzed = analysis_thread::run(move || {
        let len = text.len();
        let analyzed =
            analyze(&session, &path, &text, old_tree, &others, is_rust, &stale).map(|a| {
                let count = a.findings.len();
                let mut diags = to_diagnostics(&rope, &a.findings, &a.severities, &overrides, enc);
                drop(a.findings);
                if let Some(cut) = a.cut {
                    diags.push(diagnostics::nesting_note(&rope, &cut, enc));
                }
                let tree = a
                    .tree
                    .and_then(|tree| KeptTree::keep(version, tree, a.chunks, len));
                (a.facts, tree, count, diags)
            });
        if large {
            drop(text);
            drop(others);
            return_memory();
        }
        analyzed
    })
    .await;
    let (facts, tree, count, diags) = match analyzed {
        Ok(Some(r)) => r,
        Ok(None) => return dropped(&uri, version, "superseded while it ran"),
        Err(e) => {
            log::error(format!("analysis of {} failed: {e}", uri.as_str()));
            return;
        }
    };
    if log::enabled(log::Level::Debug) {
        log::debug(format!(
            "analyzed {} v{version} in {:.1} ms: {count} findings",
            uri.as_str(),
            started.elapsed().as_secs_f64() * 1000.0,
        ));
    }
    // Never publish over a newer version.
    let current = match state.docs.get_mut(&uri) {
        Some(mut open) if open.doc.version == version => {
            let facts = std::mem::replace(&mut open.facts, facts.map(|f| (version, f)));
            let tree = std::mem::replace(&mut open.tree, tree);
            open.doc.edits.retain(|(v, _)| *v > version);
            // What the new version replaced is freed where it was made, and
            // its memory given back.
            analysis_thread::discard((facts, tree), large);
            true
        }
        _ => {
            analysis_thread::discard((facts, tree), large);
            false
        }
    };
    if current {
        client.publish_diagnostics(uri, diags, Some(version)).await;
    }
}
