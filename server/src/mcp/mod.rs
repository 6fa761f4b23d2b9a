//! `grounded mcp`: the Model Context Protocol shell (rmcp) over stdio, for
//! AI assistants. Four read-only tools — `api_context`, `check_code`,
//! `lookup`, `members` — each answered on a blocking thread by the same core
//! the CLI and the language server use. Files are read at every call (facts
//! are reused only while a file's size and mtime are unchanged), so an edit
//! on disk shows in the next answer.

mod answers;
mod tools;
mod workspace;

use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::Arc;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    InitializeResult, ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};

use workspace::Workspace;

#[derive(Clone)]
struct GroundedMcp {
    workspace: Arc<Workspace>,
}

impl ServerHandler for GroundedMcp {
    fn get_info(&self) -> ServerConfig {
        InitializeResult::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("grounded", env!("CARGO_PKG_VERSION")))
            .with_instructions(tools::INSTRUCTIONS)
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(tools::all()))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let name = request.name.to_string();
        if !tools::NAMES.contains(&name.as_str()) {
            return Err(ErrorData::invalid_params(
                format!(
                    "unknown tool `{name}` (the tools are {})",
                    tools::NAMES.join(", ")
                ),
                None,
            ));
        }
        let args = request.arguments.unwrap_or_default();
        let workspace = self.workspace.clone();
        let answered = tokio::task::spawn_blocking(move || {
            std::panic::catch_unwind(AssertUnwindSafe(|| answers::call(&workspace, &name, &args)))
        })
        .await;
        let result = match answered {
            Ok(Ok(Ok(answer))) => {
                let mut r = CallToolResult::success(vec![ContentBlock::text(answer.text)]);
                r.structured_content = Some(answer.json);
                r
            }
            Ok(Ok(Err(message))) => CallToolResult::error(vec![ContentBlock::text(message)]),
            Ok(Err(_)) | Err(_) => {
                eprintln!("grounded: error: a tool call failed unexpectedly");
                CallToolResult::error(vec![ContentBlock::text(
                    "internal error in grounded while answering; the server goes on",
                )])
            }
        };
        Ok(result.into())
    }
}

/// Serve MCP on stdin/stdout until the client closes the connection.
/// `trusted: false`: nothing the projects under the roots name is run (see
/// [`crate::trust`]); `python` is the user's own and runs either way.
pub fn run_stdio(
    roots: Vec<PathBuf>,
    python: Option<PathBuf>,
    trusted: bool,
) -> Result<(), String> {
    let workspace = Arc::new(Workspace::new(roots, python, trusted)?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_stack_size(crate::stack::ANALYSIS_STACK)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async move {
        let server = GroundedMcp { workspace }
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|e| format!("MCP handshake failed: {e}"))?;
        server
            .waiting()
            .await
            .map_err(|e| format!("MCP server stopped: {e}"))?;
        Ok::<(), String>(())
    })?;
    // The stdin reader may still block on the pipe: leave without waiting.
    use std::io::Write;
    let _ = std::io::stdout().flush();
    std::process::exit(0);
}
