//! The analysis state of a long-running shell (the language server): one
//! environment discovered once, parsed files kept in memory across edits, and
//! a fresh [`Index`] per analysis so every edit — in an open document or on
//! disk — is seen. Speaks in paths, byte offsets and findings; no protocol.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::analysis::{self, eval::SharedCache, Finding, Severity};
use crate::check;
use crate::config::Config;
use crate::index::facts_cache::FactsCache;
use crate::index::python_env::{PythonEnv, StdlibDump};
use crate::index::{FactsMemory, Index, IndexOptions};
use crate::syntax::facts::FileFacts;

pub struct SessionOptions {
    pub python: Option<PathBuf>,
    /// false: never execute an interpreter (an untrusted workspace).
    pub trusted: bool,
    pub cache_dir: Option<PathBuf>,
}

pub struct Session {
    root: PathBuf,
    config: Config,
    env: Option<Arc<PythonEnv>>,
    dump: Option<Arc<StdlibDump>>,
    /// One-line notes about the environment and configuration, for the log.
    pub notes: Vec<String>,
    memory: Arc<FactsMemory>,
    facts_cache: FactsCache,
}

impl Session {
    /// Discover the environment and read the configuration of `root`.
    /// Blocking: probes the interpreter (cached on disk after the first time).
    pub fn open(root: &Path, opts: &SessionOptions) -> Session {
        let mut notes = Vec::new();
        let config = match Config::load(root, None) {
            Ok(c) => c,
            Err(e) => {
                notes.push(e);
                Config::default()
            }
        };
        let check_opts = check::CheckOptions {
            paths: vec![root.to_path_buf()],
            python: opts.python.clone(),
            config: None,
            trusted: opts.trusted,
            cache_dir: opts.cache_dir.clone(),
            one_shot: false,
        };
        let (env, dump) = match check::discover_env(&check_opts, &config, root) {
            Ok((env, dump, env_notes)) => {
                notes.extend(env_notes);
                (Some(Arc::new(env)), dump.map(Arc::new))
            }
            Err(note) => {
                notes.push(note);
                (None, None)
            }
        };
        Session {
            root: root.to_path_buf(),
            config,
            env,
            dump,
            notes,
            memory: Arc::new(FactsMemory::default()),
            facts_cache: FactsCache::new(opts.cache_dir.as_deref()),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Findings for `path` whose current content parsed to `facts`; `open`
    /// holds the facts of the other open documents (they win over disk).
    pub fn analyze(
        &self,
        path: &Path,
        facts: Arc<FileFacts>,
        open: &HashMap<PathBuf, Arc<FileFacts>>,
    ) -> Vec<(Finding, Severity)> {
        let mut preparsed = open.clone();
        preparsed.insert(path.to_path_buf(), facts.clone());
        let roots = check::import_roots(&self.root, preparsed.keys().map(PathBuf::as_path));
        let index = Index::new(
            self.env.clone(),
            self.dump.clone(),
            IndexOptions {
                workspace_roots: roots,
                preparsed,
                open_modules: self.config.open_modules.clone(),
                facts_cache: self.facts_cache.clone(),
                memory: Some(self.memory.clone()),
            },
        );
        let shared = SharedCache::default();
        let module = index.module_for_file(path, facts);
        analysis::check_file(&index, &shared, module)
            .into_iter()
            .filter_map(|f| {
                let severity = self.config.severity_of(f.code)?;
                Some((f, severity))
            })
            .collect()
    }
}
