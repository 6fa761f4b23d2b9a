//! The custom request `grounded/context` `{textDocument, position?, budget?,
//! task?}` → `{text, items, omitted, tokens}`: the API context of a document
//! as the editor holds it (the open text; the file on disk when it is not
//! open). Without `budget`, the `context.budget` setting applies. The context itself is computed by [`crate::context`].

use std::path::PathBuf;

use serde::Deserialize;
use serde_json::{json, Value};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{Position, TextDocumentIdentifier};

use super::{publish, Backend};
use crate::session::ContextQuery;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContextParams {
    pub text_document: TextDocumentIdentifier,
    pub position: Option<Position>,
    pub budget: Option<usize>,
    pub task: Option<String>,
}

impl Backend {
    pub(crate) async fn api_context(&self, params: ContextParams) -> Result<Value> {
        let uri = params.text_document.uri;
        let open = self
            .state
            .docs
            .get(&uri)
            .map(|d| (d.doc.rope.to_string(), d.path.clone(), d.root.clone()));
        let (text, path, root) = match open {
            Some((text, Some(path), root)) => (text, path, root),
            Some((_, None, _)) => return Err(invalid(format!("{}: not a file", uri.as_str()))),
            None => {
                let path: PathBuf = uri
                    .to_file_path()
                    .map(|p| p.into_owned())
                    .ok_or_else(|| invalid(format!("{}: not a file", uri.as_str())))?;
                let text = crate::regular_file::read_to_string(&path)
                    .map_err(|e| invalid(format!("{}: {e}", path.display())))?;
                let root = self.state.folders.root_for(&path);
                (text, path, root)
            }
        };
        if params.budget == Some(0) {
            return Err(invalid("budget must be a positive number of tokens".into()));
        }
        let session = self
            .state
            .folders
            .session(&root, &self.state.settings().session)
            .await;
        let others = publish::open_facts(&self.state, &root, &uri);
        let query = ContextQuery {
            line: params.position.map(|p| p.line as usize),
            task: params.task,
            budget: params
                .budget
                .unwrap_or(self.state.settings().context_budget),
        };
        let built =
            tokio::task::spawn_blocking(move || session.context(&path, &text, &others, &query))
                .await
                .map_err(|e| Error::invalid_params(format!("context failed: {e}")))?;
        let context = built.map_err(invalid)?;
        Ok(json!({
            "text": context.text,
            "items": context.items,
            "also": context.also,
            "omitted": context.omitted,
            "tokens": context.tokens,
        }))
    }
}

fn invalid(message: String) -> Error {
    Error::invalid_params(message)
}
