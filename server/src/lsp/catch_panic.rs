//! A panic inside one handler must not end the session: the protocol
//! library polls handler futures on the server's own task, so a panic there
//! would unwind through it and take the process down. This service wrapper
//! catches it, answers a request with an internal error, and logs it.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::FutureExt;
use tower_lsp_server::jsonrpc::{Error, Request, Response};
use tower_service::Service;

use super::log;

pub struct CatchPanic<S> {
    inner: S,
}

impl<S> CatchPanic<S> {
    pub fn new(inner: S) -> CatchPanic<S> {
        CatchPanic { inner }
    }
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl<S> Service<Request> for CatchPanic<S>
where
    S: Service<Request, Response = Option<Response>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = Option<Response>;
    type Error = S::Error;
    type Future = BoxFuture<Result<Option<Response>, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let id = request.id().cloned();
        let method = request.method().to_string();
        // Handlers run partly inside `call` (before their first await).
        let called = std::panic::catch_unwind(AssertUnwindSafe(|| self.inner.call(request)));
        let future = match called {
            Ok(f) => f,
            Err(panic) => {
                let answer = answer_panic(&method, id, panic.as_ref());
                return Box::pin(async move { Ok(answer) });
            }
        };
        Box::pin(async move {
            match AssertUnwindSafe(future).catch_unwind().await {
                Ok(result) => result,
                Err(panic) => Ok(answer_panic(&method, id, panic.as_ref())),
            }
        })
    }
}

fn answer_panic(
    method: &str,
    id: Option<tower_lsp_server::jsonrpc::Id>,
    panic: &(dyn std::any::Any + Send),
) -> Option<Response> {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown cause".to_string());
    log::error(format!("internal error in {method}: {what}"));
    let id = id?;
    let mut error = Error::internal_error();
    error.message = format!("grounded: internal error in {method}: {what}").into();
    Some(Response::from_error(id, error))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tower_lsp_server::jsonrpc::Id;
    use tower_lsp_server::ls_types::*;
    use tower_lsp_server::{LanguageServer, LspService};

    struct Panicky;

    impl LanguageServer for Panicky {
        async fn initialize(
            &self,
            _: InitializeParams,
        ) -> tower_lsp_server::jsonrpc::Result<InitializeResult> {
            Ok(InitializeResult::default())
        }
        async fn shutdown(&self) -> tower_lsp_server::jsonrpc::Result<()> {
            Ok(())
        }
        async fn hover(&self, _: HoverParams) -> tower_lsp_server::jsonrpc::Result<Option<Hover>> {
            panic!("boom in hover")
        }
    }

    fn request(id: i64, method: &'static str, params: Option<serde_json::Value>) -> Request {
        let builder = Request::build(method).id(id);
        match params {
            Some(p) => builder.params(p).finish(),
            None => builder.finish(),
        }
    }

    #[tokio::test]
    async fn a_panicking_request_is_answered_with_an_internal_error_and_the_service_goes_on() {
        let (service, _socket) = LspService::new(|_| Panicky);
        let mut service = CatchPanic::new(service);
        let init = service
            .call(request(1, "initialize", Some(json!({"capabilities": {}}))))
            .await
            .unwrap()
            .unwrap();
        assert!(init.is_ok());
        let hover = json!({
            "textDocument": {"uri": "file:///x.py"},
            "position": {"line": 0, "character": 0},
        });
        let answer = service
            .call(request(2, "textDocument/hover", Some(hover)))
            .await
            .unwrap()
            .unwrap();
        let (id, result) = answer.into_parts();
        assert_eq!(id, Id::Number(2));
        let error = result.unwrap_err();
        assert_eq!(
            error.code,
            tower_lsp_server::jsonrpc::ErrorCode::InternalError
        );
        assert!(error.message.contains("boom in hover"), "{}", error.message);
        // The next request is served normally.
        let shutdown = service
            .call(request(3, "shutdown", None))
            .await
            .unwrap()
            .unwrap();
        assert!(shutdown.is_ok());
    }
}
