//! `grounded lsp`: the Language Server Protocol shell (tower-lsp-server).
//!
//! Edits are applied to the document synchronously at the top of each
//! handler (handlers run concurrently; nothing awaits before the edit), then
//! the document is handed to one analysis task ([`publish`]) that debounces,
//! analyzes on a blocking thread against a snapshot, and publishes only if
//! the document is still at the analyzed version. Each workspace folder is
//! served by its own session ([`folders`]); all analysis lives in
//! [`crate::session`].

mod catch_panic;
mod context;
pub mod diagnostics;
pub mod documents;
mod folders;
pub mod framing;
mod gpu;
mod indexing;
mod kept_tree;
pub mod log;
mod publish;
mod settings;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use dashmap::DashMap;
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use crate::syntax::facts::FileFacts;
use documents::{Document, EditError, Encoding};
use folders::Folders;
use publish::Urgency;
use settings::Settings;

struct OpenDocument {
    doc: Document,
    path: Option<PathBuf>,
    /// The root of the session that serves it.
    root: PathBuf,
    /// The facts of the last analyzed version, for other documents' analyses.
    facts: Option<(i32, Arc<FileFacts>)>,
    /// The parse tree of the last analyzed version (reused incrementally).
    tree: Option<kept_tree::KeptTree>,
    /// The document's newest version, shared with its analysis in flight,
    /// which stops as soon as it is no longer the version analyzed
    /// ([`CLOSED`] once the document is closed).
    latest: Arc<AtomicI32>,
}

/// [`OpenDocument::latest`] of a closed document.
const CLOSED: i32 = i32::MIN;

pub(crate) struct State {
    docs: DashMap<Uri, OpenDocument>,
    encoding: OnceLock<Encoding>,
    folders: Folders,
    settings: RwLock<Settings>,
    /// The client can register file watchers dynamically.
    dynamic_watchers: AtomicBool,
    /// `initialized` arrived (settings changes from then on reopen sessions).
    initialized: AtomicBool,
    watched: Mutex<indexing::Watched>,
    /// `shutdown` was answered (an `exit` then ends with status 0).
    shut_down: AtomicBool,
    tx: mpsc::UnboundedSender<(Uri, Urgency)>,
    rx: Mutex<Option<mpsc::UnboundedReceiver<(Uri, Urgency)>>>,
    gpu: gpu::GpuFeed,
}

impl State {
    fn settings(&self) -> Settings {
        // A poisoned lock still holds the settings (an untrusted server
        // must not fall back to the trusting defaults).
        self.settings
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn schedule(&self, uri: &Uri, urgency: Urgency) {
        let _ = self.tx.send((uri.clone(), urgency));
    }

    /// Analyze every open document now (something on disk or in the
    /// settings changed).
    fn schedule_all(&self) {
        for entry in self.docs.iter() {
            self.schedule(entry.key(), Urgency::Now);
        }
    }

    /// Analyze `uri` now, and the other open documents (they may import it)
    /// once the edits pause.
    fn schedule_edited(&self, uri: &Uri) {
        self.schedule(uri, Urgency::Now);
        for entry in self.docs.iter() {
            if entry.key() != uri {
                self.schedule(entry.key(), Urgency::Idle);
            }
        }
    }

    /// Re-analyze the open documents served from `root`.
    fn schedule_served_by(&self, root: &Path) {
        for entry in self.docs.iter() {
            if entry.root == root {
                self.schedule(entry.key(), Urgency::Now);
            }
        }
    }

    /// Route every open document to the session that serves it now (after
    /// the folders changed) and re-analyze those that moved.
    fn reroute(&self) {
        for mut entry in self.docs.iter_mut() {
            let Some(path) = entry.path.clone() else {
                continue;
            };
            let root = self.folders.root_for(&path);
            if root != entry.root {
                entry.root = root;
                entry.facts = None;
                let _ = self.tx.send((entry.key().clone(), Urgency::Now));
            }
        }
    }
}

pub struct Backend {
    client: Client,
    state: Arc<State>,
}

impl Backend {
    /// `untrusted`: every folder is untrusted whatever the client's settings.
    fn new(client: Client, untrusted: bool) -> Backend {
        let (tx, rx) = mpsc::unbounded_channel();
        log::connect(client.clone());
        Backend {
            client,
            state: Arc::new(State {
                docs: DashMap::new(),
                encoding: OnceLock::new(),
                folders: Folders::default(),
                settings: RwLock::new(Settings::new(untrusted)),
                dynamic_watchers: AtomicBool::new(false),
                initialized: AtomicBool::new(false),
                watched: Mutex::new(Default::default()),
                shut_down: AtomicBool::new(false),
                tx,
                rx: Mutex::new(Some(rx)),
                gpu: gpu::GpuFeed::default(),
            }),
        }
    }

    fn encoding(&self) -> Encoding {
        *self.state.encoding.get().unwrap_or(&Encoding::Utf16)
    }

    fn index_folder(&self, root: PathBuf) {
        tokio::spawn(indexing::index_folder(
            self.client.clone(),
            self.state.clone(),
            root,
        ));
    }

    /// `grounded/reindex`: reopen every session (configuration, environment)
    /// and index the folders again. Answers at once; progress follows.
    async fn reindex(&self) -> Result<serde_json::Value> {
        log::info("re-indexing on request");
        self.state.folders.reset_all();
        let folders = self.state.folders.list();
        for folder in &folders {
            self.index_folder(folder.clone());
        }
        self.state.schedule_all();
        Ok(serde_json::json!({ "folders": folders.len() }))
    }

    /// `grounded/status`: the server's version and, per session, its root,
    /// Python environment and notes (for status bars and health checks).
    async fn status(&self) -> Result<serde_json::Value> {
        let sessions: Vec<serde_json::Value> = self
            .state
            .folders
            .live()
            .iter()
            .map(|s| s.status())
            .collect();
        Ok(serde_json::json!({
            "version": env!("CARGO_PKG_VERSION"),
            "folders": self.state.folders.list(),
            "sessions": sessions,
            "open_documents": self.state.docs.len(),
        }))
    }

    /// Apply a settings update; sessions are reopened (and their folders
    /// re-indexed) when the interpreter or trust changed.
    fn apply_settings(&self, update: &serde_json::Value) {
        let (before, after) = {
            let mut slot = self
                .state
                .settings
                .write()
                .unwrap_or_else(|p| p.into_inner());
            let before = slot.clone();
            *slot = before.updated(update);
            (before, slot.clone())
        };
        if before.session != after.session && self.state.initialized.load(Ordering::Relaxed) {
            log::info("the interpreter or trust changed: reopening the workspace");
            self.state.folders.reset_all();
            for folder in self.state.folders.list() {
                self.index_folder(folder);
            }
        }
        if before.gpu != after.gpu && self.state.initialized.load(Ordering::Relaxed) {
            self.state.gpu.apply(&self.client, &after.gpu);
        }
        if !before.same_analysis(&after) {
            self.state.schedule_all();
        }
    }
}

/// Run the server on stdin/stdout until `exit` or the end of input: the
/// exit status, 1 for an `exit` without a `shutdown` before it (as the
/// specification says), else 0. `untrusted` (the command line's
/// `--untrusted`, `GROUNDED_UNTRUSTED`): every folder is untrusted, whatever
/// the client's `trusted` setting says.
pub async fn run_stdio(untrusted: bool) -> i32 {
    // tower-lsp-server's reader stops for good at the first frame it cannot
    // read; frames are checked here first (see `framing`), and one it would
    // reject is logged and dropped instead of ending the session.
    let (server_in, mut feed) = tokio::io::duplex(1 << 16);
    let exit_seen = Arc::new(AtomicBool::new(false));
    let exiting = exit_seen.clone();
    tokio::spawn(async move {
        let mut frames = framing::FrameReader::new(tokio::io::stdin());
        while let Some(frame) = frames.next().await {
            let body = match frame {
                framing::Frame::Body(body) => body,
                framing::Frame::Dropped(why) => {
                    log::warn(format!("dropped malformed input: {why}"));
                    continue;
                }
            };
            match framing::check_message(&body) {
                Ok(checked) => {
                    if checked == framing::Checked::Exit {
                        exiting.store(true, Ordering::SeqCst);
                    }
                    let body = gpu::fill_missing_params(body);
                    if framing::write_frame(&mut feed, &body).await.is_err() {
                        break;
                    }
                }
                Err(why) => log::warn(format!("dropped a message: {why}")),
            }
        }
    });
    let stdout = tokio::io::stdout();
    let (service, socket) = LspService::build(move |client| Backend::new(client, untrusted))
        .custom_method("grounded/reindex", Backend::reindex)
        .custom_method("grounded/status", Backend::status)
        .custom_method("grounded/context", Backend::api_context)
        .custom_method(gpu::METHOD, Backend::gpu_status)
        .finish();
    let state = service.inner().state.clone();
    Server::new(server_in, stdout, socket)
        .serve(catch_panic::CatchPanic::new(service))
        .await;
    let shut_down = state.shut_down.load(Ordering::SeqCst);
    if exit_seen.load(Ordering::SeqCst) && !shut_down {
        log::warn("`exit` without `shutdown` first: exit status 1");
        1
    } else {
        0
    }
}

fn negotiate_encoding(params: &InitializeParams) -> Encoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    match offered {
        Some(list) if list.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
        _ => Encoding::Utf16,
    }
}

/// The workspace folders the client opened with (`rootUri` when it sends no
/// folders).
fn folders_of(params: &InitializeParams) -> Vec<PathBuf> {
    if let Some(folders) = &params.workspace_folders {
        return folders
            .iter()
            .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
            .collect();
    }
    #[allow(deprecated)]
    params
        .root_uri
        .as_ref()
        .and_then(|u| u.to_file_path().map(|p| p.into_owned()))
        .into_iter()
        .collect()
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let enc = negotiate_encoding(&params);
        let _ = self.state.encoding.set(enc);
        for folder in folders_of(&params) {
            self.state.folders.add(folder);
        }
        if let Some(opts) = &params.initialization_options {
            self.apply_settings(opts);
        }
        let dynamic = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        self.state
            .dynamic_watchers
            .store(dynamic, Ordering::Relaxed);
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(match enc {
                    Encoding::Utf8 => PositionEncodingKind::UTF8,
                    Encoding::Utf16 => PositionEncodingKind::UTF16,
                }),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                            include_text: Some(false),
                        })),
                        ..Default::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                        ..Default::default()
                    },
                )),
                workspace: Some(WorkspaceServerCapabilities {
                    workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                        supported: Some(true),
                        change_notifications: Some(OneOf::Left(true)),
                    }),
                    file_operations: None,
                }),
                ..Default::default()
            },
            server_info: Some(ServerInfo {
                name: "grounded".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            ..Default::default()
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let rx = self.state.rx.lock().ok().and_then(|mut r| r.take());
        if let Some(rx) = rx {
            tokio::spawn(publish::analysis_loop(
                self.client.clone(),
                self.state.clone(),
                rx,
            ));
        }
        self.state.initialized.store(true, Ordering::Relaxed);
        self.state
            .gpu
            .apply(&self.client, &self.state.settings().gpu);
        // Client requests are never awaited inside a handler.
        for folder in self.state.folders.list() {
            self.index_folder(folder);
        }
    }

    async fn shutdown(&self) -> Result<()> {
        self.state.gpu.stop();
        self.state.shut_down.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let path = doc.uri.to_file_path().map(|p| p.into_owned());
        let root = match &path {
            Some(p) => self.state.folders.root_for(p),
            None => PathBuf::new(),
        };
        let replaced = self.state.docs.insert(
            doc.uri.clone(),
            OpenDocument {
                doc: Document::new(&doc.text, doc.version),
                path,
                root,
                facts: None,
                tree: None,
                latest: Arc::new(AtomicI32::new(doc.version)),
            },
        );
        if let Some(old) = replaced {
            old.latest.store(CLOSED, Ordering::Relaxed);
        }
        self.state.schedule_edited(&doc.uri);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let enc = self.encoding();
        let uri = params.text_document.uri;
        // Applied before any await: edits land in arrival order.
        let applied = match self.state.docs.get_mut(&uri) {
            Some(mut open) => {
                let applied =
                    open.doc
                        .apply(params.text_document.version, &params.content_changes, enc);
                // An analysis of an older version in flight stops.
                open.latest.store(open.doc.version, Ordering::Relaxed);
                applied
            }
            None => {
                log::warn(format!("ignored a change to {}: not open", uri.as_str()));
                return;
            }
        };
        match applied {
            Ok(()) => self.state.schedule_edited(&uri),
            Err(EditError::StaleVersion { have, got }) => log::warn(format!(
                "ignored change to {} version {got}: already at {have}",
                uri.as_str()
            )),
        }
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        self.state.schedule_edited(&params.text_document.uri);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        if let Some((_, closed)) = self.state.docs.remove(&uri) {
            closed.latest.store(CLOSED, Ordering::Relaxed);
        }
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        let paths = |folders: &[WorkspaceFolder]| -> Vec<PathBuf> {
            folders
                .iter()
                .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
                .collect()
        };
        for removed in paths(&params.event.removed) {
            log::info(format!("folder removed: {}", removed.display()));
            self.state.folders.remove(&removed);
        }
        for added in paths(&params.event.added) {
            if self.state.folders.add(added.clone()) {
                log::info(format!("folder added: {}", added.display()));
                self.index_folder(added);
            }
        }
        self.state.reroute();
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        // Files changed on disk (a workspace file, a package installed into
        // the environment): refresh them in every session, then re-analyze
        // the open documents. A changed configuration file reopens the
        // session of its folder.
        let paths: Vec<PathBuf> = params
            .changes
            .iter()
            .filter_map(|c| c.uri.to_file_path().map(|p| p.into_owned()))
            .collect();
        let mut reconfigured = Vec::new();
        for p in &paths {
            let is_config = p
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| indexing::CONFIG_FILES.contains(&n));
            if let (true, Some(dir)) = (is_config, p.parent()) {
                if self.state.folders.is_folder(dir) && !reconfigured.iter().any(|r| r == dir) {
                    reconfigured.push(dir.to_path_buf());
                }
            }
        }
        for root in reconfigured {
            log::info(format!("{} changed its configuration", root.display()));
            self.state.folders.reset(&root);
            self.index_folder(root);
        }
        let sessions = self.state.folders.live();
        let refreshed = tokio::task::spawn_blocking(move || {
            for session in &sessions {
                for p in &paths {
                    session.file_changed(p);
                }
            }
        })
        .await;
        if let Err(e) = refreshed {
            log::error(format!("refreshing changed files failed: {e}"));
        }
        self.state.schedule_all();
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        self.apply_settings(&params.settings);
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let at = params.text_document_position_params;
        let (rope, path, root) = match self.state.docs.get(&at.text_document.uri) {
            Some(open) => (open.doc.rope.clone(), open.path.clone(), open.root.clone()),
            None => return Ok(None),
        };
        let Some(path) = path else { return Ok(None) };
        if !path.extension().is_some_and(|e| e == "py" || e == "pyi") {
            // Hover describes Python names only (for now).
            return Ok(None);
        }
        if rope.len_bytes() > self.state.settings().max_document_bytes {
            // Not analyzed: not parsed for a hover either.
            return Ok(None);
        }
        let session = self
            .state
            .folders
            .session(&root, &self.state.settings().session)
            .await;
        let enc = self.encoding();
        let char_idx = documents::position_to_char(&rope, at.position, enc);
        let byte = rope.char_to_byte(char_idx) as u32;
        let others = publish::open_facts(&self.state, &root, &at.text_document.uri);
        let text = rope.to_string();
        let described = tokio::task::spawn_blocking(move || {
            let facts = Arc::new(crate::syntax::python::parse(&text));
            session.describe(&path, facts, &others, byte)
        })
        .await
        .ok()
        .flatten();
        Ok(described.map(|d| Hover {
            range: Some(documents::byte_range_to_range(
                &rope,
                d.start_byte as usize,
                d.end_byte as usize,
                enc,
            )),
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: diagnostics::hover_markdown(&d),
            }),
        }))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let rope = match self.state.docs.get(&params.text_document.uri) {
            Some(open) => open.doc.rope.clone(),
            None => return Ok(None),
        };
        let actions = diagnostics::code_actions(
            &params.text_document.uri,
            &rope,
            &params.context.diagnostics,
            self.encoding(),
        );
        Ok(Some(actions))
    }
}
