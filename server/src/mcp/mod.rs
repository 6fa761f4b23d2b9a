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
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    InitializeResult, ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};
use tokio::io::{AsyncRead, ReadBuf};
use tokio::sync::Notify;

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

/// How long answers still being worked on may take once the input has
/// ended; then the server leaves without them.
const EOF_GRACE: Duration = Duration::from_secs(3);

/// Serve MCP on stdin/stdout until the client closes the connection: at end
/// of input the server ends, within [`EOF_GRACE`] even while a tool call is
/// still running (a tool's work runs on a blocking thread, which is left
/// behind). `trusted: false`: nothing the projects under the roots name is
/// run (see [`crate::trust`]); `python` is the user's own and runs either way.
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
        let ended = Arc::new(Notify::new());
        let stdin = EofWatch {
            inner: tokio::io::stdin(),
            ended: ended.clone(),
        };
        let server = GroundedMcp { workspace }
            .serve((stdin, tokio::io::stdout()))
            .await
            .map_err(|e| format!("MCP handshake failed: {e}"))?;
        tokio::select! {
            stopped = server.waiting() => {
                stopped.map_err(|e| format!("MCP server stopped: {e}"))?;
            }
            () = async {
                ended.notified().await;
                tokio::time::sleep(EOF_GRACE).await;
            } => {
                eprintln!("grounded: note: input ended; leaving a tool call unanswered");
            }
        }
        Ok::<(), String>(())
    })?;
    // The stdin reader may still block on the pipe: leave without waiting.
    use std::io::Write;
    let _ = std::io::stdout().flush();
    std::process::exit(0);
}

/// The input, telling `ended` when it reaches its end.
struct EofWatch<R> {
    inner: R,
    ended: Arc<Notify>,
}

impl<R: AsyncRead + Unpin> AsyncRead for EofWatch<R> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(())))
            && buf.filled().len() == before
            && buf.remaining() > 0
        {
            self.ended.notify_one();
        }
        polled
    }
}
