//! `grounded lsp`: the Language Server Protocol shell (tower-lsp-server).
//!
//! Edits are applied to the document synchronously at the top of each
//! handler (handlers run concurrently; nothing awaits before the edit), then
//! the document is handed to one analysis task that debounces, analyzes on a
//! blocking thread against a snapshot, and publishes only if the document is
//! still at the analyzed version. All analysis lives in [`crate::session`].

pub mod diagnostics;
pub mod documents;
mod framing;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use dashmap::DashMap;
use serde_json::Value;
use tokio::sync::{mpsc, OnceCell};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use crate::analysis::{Code, Severity};
use crate::session::{Session, SessionOptions};
use crate::syntax::facts::FileFacts;
use documents::{Document, EditError, Encoding};

const DEFAULT_DEBOUNCE_MS: u64 = 50;

struct OpenDocument {
    doc: Document,
    path: Option<PathBuf>,
    /// The facts of the last analyzed version, for other documents' analyses.
    facts: Option<(i32, Arc<FileFacts>)>,
    /// The parse tree of the last analyzed version (reused incrementally).
    tree: Option<(i32, tree_sitter::Tree)>,
}

struct State {
    docs: DashMap<Uri, OpenDocument>,
    encoding: OnceLock<Encoding>,
    session: OnceCell<Arc<Session>>,
    root: Mutex<Option<PathBuf>>,
    python: Mutex<Option<PathBuf>>,
    trusted: std::sync::atomic::AtomicBool,
    /// The client can register file watchers dynamically.
    dynamic_watchers: std::sync::atomic::AtomicBool,
    debounce_ms: AtomicU64,
    /// Per-code severity from the client's settings (`None`: off); wins over
    /// the workspace configuration.
    severity: Mutex<HashMap<Code, Option<Severity>>>,
    tx: mpsc::UnboundedSender<Uri>,
    rx: Mutex<Option<mpsc::UnboundedReceiver<Uri>>>,
}

pub struct Backend {
    client: Client,
    state: Arc<State>,
}

impl Backend {
    fn new(client: Client) -> Backend {
        let (tx, rx) = mpsc::unbounded_channel();
        Backend {
            client,
            state: Arc::new(State {
                docs: DashMap::new(),
                encoding: OnceLock::new(),
                session: OnceCell::new(),
                root: Mutex::new(None),
                python: Mutex::new(None),
                trusted: std::sync::atomic::AtomicBool::new(true),
                dynamic_watchers: std::sync::atomic::AtomicBool::new(false),
                debounce_ms: AtomicU64::new(DEFAULT_DEBOUNCE_MS),
                severity: Mutex::new(HashMap::new()),
                tx,
                rx: Mutex::new(None),
            }),
        }
        .with_receiver(rx)
    }

    fn with_receiver(self, rx: mpsc::UnboundedReceiver<Uri>) -> Backend {
        if let Ok(mut slot) = self.state.rx.lock() {
            *slot = Some(rx);
        }
        self
    }

    fn encoding(&self) -> Encoding {
        *self.state.encoding.get().unwrap_or(&Encoding::Utf16)
    }

    /// Analyze `uri` and every other open document (they may import it).
    fn schedule_all(&self, uri: &Uri) {
        let _ = self.state.tx.send(uri.clone());
        for entry in self.state.docs.iter() {
            if entry.key() != uri {
                let _ = self.state.tx.send(entry.key().clone());
            }
        }
    }
}

/// Run the server on stdin/stdout until `exit`.
pub async fn run_stdio() {
    // tower-lsp-server's reader stops for good at the first body that is not
    // JSON; frames are checked here first, and a malformed one is logged and
    // dropped instead of ending the session.
    let (server_in, mut feed) = tokio::io::duplex(1 << 16);
    tokio::spawn(async move {
        let mut stdin = tokio::io::BufReader::new(tokio::io::stdin());
        while let Some(frame) = framing::read_frame(&mut stdin).await {
            match frame {
                Ok(body) => {
                    if framing::write_frame(&mut feed, &body).await.is_err() {
                        break;
                    }
                }
                Err(reason) => eprintln!("grounded: dropped a malformed message: {reason}"),
            }
        }
    });
    let stdout = tokio::io::stdout();
    let (service, socket) = LspService::new(Backend::new);
    Server::new(server_in, stdout, socket).serve(service).await;
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

fn root_of(params: &InitializeParams) -> Option<PathBuf> {
    if let Some(folder) = params.workspace_folders.as_ref().and_then(|f| f.first()) {
        return folder.uri.to_file_path().map(|p| p.into_owned());
    }
    #[allow(deprecated)]
    params
        .root_uri
        .as_ref()
        .and_then(|u| u.to_file_path().map(|p| p.into_owned()))
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let enc = negotiate_encoding(&params);
        let _ = self.state.encoding.set(enc);
        if let Ok(mut root) = self.state.root.lock() {
            *root = root_of(&params);
        }
        if let Some(opts) = &params.initialization_options {
            self.apply_options(opts);
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
            tokio::spawn(analysis_loop(self.client.clone(), self.state.clone(), rx));
        }
        // Client requests are never awaited inside a handler.
        tokio::spawn(index_in_background(self.client.clone(), self.state.clone()));
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let path = doc.uri.to_file_path().map(|p| p.into_owned());
        if let Ok(mut root) = self.state.root.lock() {
            if root.is_none() {
                *root = path.as_deref().map(crate::check::workspace_root);
            }
        }
        self.state.docs.insert(
            doc.uri.clone(),
            OpenDocument {
                doc: Document::new(&doc.text, doc.version),
                path,
                facts: None,
                tree: None,
            },
        );
        self.schedule_all(&doc.uri);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let enc = self.encoding();
        let uri = params.text_document.uri;
        // Applied before any await: edits land in arrival order.
        let applied = match self.state.docs.get_mut(&uri) {
            Some(mut open) => {
                open.doc
                    .apply(params.text_document.version, &params.content_changes, enc)
            }
            None => return,
        };
        match applied {
            Ok(()) => self.schedule_all(&uri),
            Err(EditError::StaleVersion { have, got }) => {
                self.client
                    .log_message(
                        MessageType::WARNING,
                        format!(
                            "ignored change to {} version {got}: already at {have}",
                            uri.as_str()
                        ),
                    )
                    .await;
            }
        }
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        self.schedule_all(&params.text_document.uri);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.state.docs.remove(&uri);
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        // Files changed on disk (a workspace file, a package installed into
        // the environment): refresh them, then re-analyze the open documents.
        let paths: Vec<PathBuf> = params
            .changes
            .iter()
            .filter_map(|c| c.uri.to_file_path().map(|p| p.into_owned()))
            .collect();
        if let Some(session) = self.state.session.get().cloned() {
            let _ = tokio::task::spawn_blocking(move || {
                for p in &paths {
                    session.file_changed(p);
                }
            })
            .await;
        }
        for entry in self.state.docs.iter() {
            let _ = self.state.tx.send(entry.key().clone());
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        self.apply_options(&params.settings);
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let at = params.text_document_position_params;
        let (rope, path) = match self.state.docs.get(&at.text_document.uri) {
            Some(open) => (open.doc.rope.clone(), open.path.clone()),
            None => return Ok(None),
        };
        let Some(path) = path else { return Ok(None) };
        let Some(session) = self.state.session.get().cloned() else {
            return Ok(None);
        };
        let enc = self.encoding();
        let char_idx = documents::position_to_char(&rope, at.position, enc);
        let byte = rope.char_to_byte(char_idx) as u32;
        let others = open_facts(&self.state, &at.text_document.uri);
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

impl Backend {
    /// `initializationOptions` / `didChangeConfiguration` settings: `python`,
    /// `trusted`, `debounce` (ms). Unknown keys are ignored.
    fn apply_options(&self, opts: &Value) {
        let opts = opts.get("grounded").unwrap_or(opts);
        if let Some(py) = opts.get("python").and_then(Value::as_str) {
            if let Ok(mut slot) = self.state.python.lock() {
                *slot = Some(PathBuf::from(py));
            }
        }
        if let Some(trusted) = opts.get("trusted").and_then(Value::as_bool) {
            self.state.trusted.store(trusted, Ordering::Relaxed);
        }
        if let Some(ms) = opts.get("debounce").and_then(Value::as_u64) {
            self.state
                .debounce_ms
                .store(ms.min(10_000), Ordering::Relaxed);
        }
        if let Some(map) = opts.get("severity").and_then(Value::as_object) {
            let mut parsed = HashMap::new();
            for (code, level) in map {
                let severity = match level.as_str().unwrap_or("") {
                    "error" => Some(Severity::Error),
                    "warning" => Some(Severity::Warning),
                    "info" | "information" => Some(Severity::Info),
                    "off" => None,
                    _ => continue,
                };
                if let Some(code) = Code::parse(code) {
                    parsed.insert(code, severity);
                }
            }
            if let Ok(mut slot) = self.state.severity.lock() {
                *slot = parsed;
            }
            // Re-publish the open documents with the new severities.
            for entry in self.state.docs.iter() {
                let _ = self.state.tx.send(entry.key().clone());
            }
        }
    }
}

/// Index the workspace with work-done progress, register file watchers, then
/// re-analyze the open documents against the full index.
async fn index_in_background(client: Client, state: Arc<State>) {
    let Some(session) = session(&client, &state).await else {
        return;
    };
    let token = ProgressToken::String("grounded/indexing".to_string());
    let progress = match client.create_work_done_progress(token.clone()).await {
        Ok(()) => Some(
            client
                .progress(token, "Grounded: indexing")
                .with_percentage(0)
                .begin()
                .await,
        ),
        Err(_) => None,
    };
    let (tx, mut rx) = mpsc::unbounded_channel::<(usize, usize)>();
    let indexing = {
        let session = session.clone();
        tokio::task::spawn_blocking(move || {
            session.index_workspace(&move |done, total| {
                let _ = tx.send((done, total));
            })
        })
    };
    while let Some((done, total)) = rx.recv().await {
        if let Some(p) = &progress {
            let pct = (done * 100).checked_div(total).unwrap_or(100) as u32;
            p.report_with_message(format!("{done}/{total} files"), pct)
                .await;
        }
    }
    let indexed = indexing.await.unwrap_or(0);
    if let Some(p) = progress {
        p.finish_with_message(format!("{indexed} files")).await;
    }
    client
        .log_message(
            MessageType::INFO,
            format!("grounded: indexed {indexed} files"),
        )
        .await;
    if state.dynamic_watchers.load(Ordering::Relaxed) {
        register_watchers(&client, &session).await;
    }
    for entry in state.docs.iter() {
        let _ = state.tx.send(entry.key().clone());
    }
}

async fn register_watchers(client: &Client, session: &Session) {
    let mut globs: Vec<String> = [
        "**/*.py",
        "**/*.pyi",
        "**/pyproject.toml",
        "**/setup.cfg",
        "**/requirements*.txt",
        "**/Cargo.toml",
        "**/Cargo.lock",
    ]
    .iter()
    .map(|g| g.to_string())
    .collect();
    for site in session.site_packages() {
        globs.push(format!("{}/**", site.display()));
    }
    let watchers: Vec<FileSystemWatcher> = globs
        .into_iter()
        .map(|g| FileSystemWatcher {
            glob_pattern: GlobPattern::String(g),
            kind: None,
        })
        .collect();
    let options = DidChangeWatchedFilesRegistrationOptions { watchers };
    let registration = Registration {
        id: "grounded/watched-files".to_string(),
        method: "workspace/didChangeWatchedFiles".to_string(),
        register_options: serde_json::to_value(options).ok(),
    };
    if let Err(e) = client.register_capability(vec![registration]).await {
        client
            .log_message(
                MessageType::WARNING,
                format!("grounded: could not register file watchers: {e}"),
            )
            .await;
    }
}

/// The one analysis task: debounce, then analyze each pending document.
async fn analysis_loop(client: Client, state: Arc<State>, mut rx: mpsc::UnboundedReceiver<Uri>) {
    while let Some(first) = rx.recv().await {
        let mut pending: HashSet<Uri> = HashSet::from([first]);
        let debounce = state.debounce_ms.load(Ordering::Relaxed);
        if debounce > 0 {
            tokio::time::sleep(Duration::from_millis(debounce)).await;
        }
        while let Ok(uri) = rx.try_recv() {
            pending.insert(uri);
        }
        let Some(session) = session(&client, &state).await else {
            continue;
        };
        for uri in pending {
            analyze_and_publish(&client, &state, &session, uri).await;
        }
    }
}

async fn session(client: &Client, state: &Arc<State>) -> Option<Arc<Session>> {
    let state2 = state.clone();
    let session = state
        .session
        .get_or_init(|| async move {
            let root = state2
                .root
                .lock()
                .ok()
                .and_then(|r| r.clone())
                .unwrap_or_else(|| std::env::current_dir().unwrap_or_default());
            let opts = SessionOptions {
                python: state2.python.lock().ok().and_then(|p| p.clone()),
                trusted: state2.trusted.load(Ordering::Relaxed),
                cache_dir: crate::index::python_env::default_cache_dir(),
            };
            let opened = tokio::task::spawn_blocking(move || Session::open(&root, &opts)).await;
            match opened {
                Ok(s) => Arc::new(s),
                Err(e) => {
                    eprintln!("grounded: session failed to start: {e}");
                    Arc::new(Session::open(
                        &std::env::temp_dir(),
                        &SessionOptions {
                            python: None,
                            trusted: false,
                            cache_dir: None,
                        },
                    ))
                }
            }
        })
        .await
        .clone();
    static LOGGED: OnceLock<()> = OnceLock::new();
    if LOGGED.set(()).is_ok() {
        for note in &session.notes {
            client
                .log_message(MessageType::INFO, format!("grounded: {note}"))
                .await;
        }
    }
    Some(session)
}

/// The last analyzed facts of every open document but `except`.
fn open_facts(state: &State, except: &Uri) -> HashMap<PathBuf, Arc<FileFacts>> {
    state
        .docs
        .iter()
        .filter(|e| e.key() != except)
        .filter_map(|e| Some((e.path.clone()?, e.facts.as_ref()?.1.clone())))
        .collect()
}

async fn analyze_and_publish(
    client: &Client,
    state: &Arc<State>,
    session: &Arc<Session>,
    uri: Uri,
) {
    // Snapshot the document and the other open documents' facts; no guard
    // lives across an await.
    let (rope, version, path, old_tree) = match state.docs.get(&uri) {
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
                old_tree,
            )
        }
        None => return,
    };
    let Some(path) = path else { return };
    let others = open_facts(state, &uri);
    let session = session.clone();
    let text = rope.to_string();
    let analyzed = tokio::task::spawn_blocking(move || {
        let (facts, tree) = crate::syntax::python::parse_incremental(&text, old_tree.as_ref());
        let facts = Arc::new(facts);
        let findings = session.analyze(&path, facts.clone(), &others);
        (facts, tree, findings)
    })
    .await;
    let (facts, tree, findings) = match analyzed {
        Ok(r) => r,
        Err(e) => {
            client
                .log_message(
                    MessageType::ERROR,
                    format!("grounded: analysis of {} failed: {e}", uri.as_str()),
                )
                .await;
            return;
        }
    };
    let enc = *state.encoding.get().unwrap_or(&Encoding::Utf16);
    let overrides = state.severity.lock().map(|m| m.clone()).unwrap_or_default();
    let diags: Vec<Diagnostic> = findings
        .iter()
        .filter_map(|(f, sev)| {
            let sev = match overrides.get(&f.code) {
                Some(o) => (*o)?,
                None => *sev,
            };
            Some(diagnostics::to_diagnostic(&rope, f, sev, enc))
        })
        .collect();
    // Never publish over a newer version.
    let current = match state.docs.get_mut(&uri) {
        Some(mut open) if open.doc.version == version => {
            open.facts = Some((version, facts));
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
