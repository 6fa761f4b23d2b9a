//! The one analysis task: debounce the documents scheduled for analysis,
//! analyze each on a blocking thread against a snapshot, and publish only if
//! the document is still at the analyzed version.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::Client;

use super::documents::Encoding;
use super::{diagnostics, log, State};
use crate::syntax::facts::FileFacts;

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
    // Snapshot the document; no guard lives across an await.
    let (rope, version, path, root, old_tree) = match state.docs.get(&uri) {
        Some(open) => {
            // The last tree, brought up to this version by the edits since.
            let old_tree = open.tree.as_ref().and_then(|(tree_version, tree)| {
                let mut tree = tree.clone();
                for (v, edit) in &open.doc.edits {
                    if v <= tree_version {
                        continue;
                    }
                    tree.edit(edit.as_ref()?);
                }
                Some(tree)
            });
            (
                open.doc.rope.clone(),
                open.doc.version,
                open.path.clone(),
                open.root.clone(),
                old_tree,
            )
        }
        None => return,
    };
    let Some(path) = path else { return };
    let settings = state.settings();
    let session = state.folders.session(&root, &settings.session).await;
    let others = open_facts(state, &root, &uri);
    let text = rope.to_string();
    let started = Instant::now();
    let is_rust = path.extension().is_some_and(|e| e == "rs");
    if !is_rust && !path.extension().is_some_and(|e| e == "py" || e == "pyi") {
        return;
    }
    let analyzed = tokio::task::spawn_blocking(move || {
        if is_rust {
            // Rust documents are re-parsed whole; their facts are not shared.
            let facts = Arc::new(crate::syntax::rust::parse(&text));
            let cut = facts.nesting_cut;
            let findings = session.analyze_rust(&path, facts);
            return (None, None, findings, cut);
        }
        let (facts, tree) = crate::syntax::python::parse_incremental(&text, old_tree.as_ref());
        let facts = Arc::new(facts);
        let cut = facts.nesting_cut;
        let findings = session.analyze(&path, facts.clone(), &others);
        (Some(facts), tree, findings, cut)
    })
    .await;
    let (facts, tree, findings, cut) = match analyzed {
        Ok(r) => r,
        Err(e) => {
            log::error(format!("analysis of {} failed: {e}", uri.as_str()));
            return;
        }
    };
    if log::enabled(log::Level::Debug) {
        log::debug(format!(
            "analyzed {} v{version} in {:.1} ms: {} findings",
            uri.as_str(),
            started.elapsed().as_secs_f64() * 1000.0,
            findings.len()
        ));
    }
    let enc = *state.encoding.get().unwrap_or(&Encoding::Utf16);
    let mut diags: Vec<Diagnostic> = findings
        .iter()
        .filter_map(|(f, sev)| {
            let sev = match settings.severity.get(&f.code) {
                Some(o) => (*o)?,
                None => *sev,
            };
            Some(diagnostics::to_diagnostic(&rope, f, sev, enc))
        })
        .collect();
    if let Some(cut) = cut {
        diags.push(diagnostics::nesting_note(&rope, &cut, enc));
    }
    // Never publish over a newer version.
    let current = match state.docs.get_mut(&uri) {
        Some(mut open) if open.doc.version == version => {
            open.facts = facts.map(|f| (version, f));
            open.tree = tree.map(|t| (version, t));
            open.doc.edits.retain(|(v, _)| *v > version);
            true
        }
        _ => false,
    };
    if current {
        client.publish_diagnostics(uri, diags, Some(version)).await;
    }
}
