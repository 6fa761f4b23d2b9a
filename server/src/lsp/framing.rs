//! JSON-RPC framing on stdin (`Content-Length: N\r\n\r\n{json}`), checked
//! before the protocol library sees it.

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader, Stdin};

/// Largest message accepted (a whole-document change of a very large file fits).
const MAX_BODY: usize = 256 * 1024 * 1024;

/// The next frame's body; `Err` for a frame to drop (with why); `None` at
/// end of input.
pub async fn read_frame(input: &mut BufReader<Stdin>) -> Option<Result<Vec<u8>, String>> {
    let mut len: Option<usize> = None;
    let mut saw_header = false;
    loop {
        let mut line = String::new();
        match input.read_line(&mut line).await {
            Ok(0) => return None,
            Ok(_) => {}
            Err(e) => return Some(Err(format!("unreadable header: {e}"))),
        }
        let trimmed = line.trim_end_matches(['\r', '\n']);
        if trimmed.is_empty() {
            if saw_header {
                break;
            }
            continue;
        }
        saw_header = true;
        if let Some((name, value)) = trimmed.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                len = value.trim().parse().ok();
            }
        }
    }
    let Some(len) = len.filter(|l| *l <= MAX_BODY) else {
        return Some(Err("missing or invalid Content-Length".to_string()));
    };
    let mut body = vec![0; len];
    if input.read_exact(&mut body).await.is_err() {
        return None;
    }
    match serde_json::from_slice::<serde_json::Value>(&body) {
        Ok(_) => Some(Ok(body)),
        Err(e) => Some(Err(format!("not JSON ({e})"))),
    }
}

pub async fn write_frame<W: AsyncWrite + Unpin>(out: &mut W, body: &[u8]) -> std::io::Result<()> {
    out.write_all(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes())
        .await?;
    out.write_all(body).await?;
    out.flush().await
}
