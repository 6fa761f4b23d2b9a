//! JSON-RPC framing on stdin (`Content-Length: N\r\n\r\n{json}`), checked
//! before the protocol library sees it.
//!
//! tower-lsp-server reads its input through a tokio-util `FramedRead`, which
//! ends for good at the first frame its codec rejects — a body that is not
//! JSON, or JSON that is not a JSON-RPC message (`{}`, `[]`, `1`, a batch, a
//! wrong `jsonrpc`, an object `id`, a numeric `method`) — and the server
//! ends with it. So every frame is read here first: one that the library
//! would take ([`check_message`] parses it with the library's own message
//! types) is passed on, re-encoded; anything else is dropped with a reason
//! for the log. After a bad `Content-Length` (missing, not a number, over
//! [`MAX_BODY`], shorter or longer than the body) the reader skips to the
//! next `Content-Length` header and goes on from there. Memory stays bounded
//! by the largest accepted body: a body over the limit is skipped as it
//! streams by, never buffered whole.

use serde::Deserialize;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tower_lsp_server::jsonrpc;

/// Largest message accepted (a whole-document change of a very large file fits).
pub const MAX_BODY: usize = 256 * 1024 * 1024;
/// A longer header line means the input is out of step.
const MAX_HEADER_LINE: usize = 8 * 1024;
/// More header lines in one frame mean the input is out of step.
const MAX_HEADERS: usize = 32;
/// Matched without regard to case, as HTTP header names are.
const CONTENT_LENGTH: &[u8] = b"content-length";
/// Bytes read from the input at a time.
const CHUNK: usize = 64 * 1024;

/// What the reader found next.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    /// A frame's body, `Content-Length` bytes long (not yet checked as a
    /// message: see [`check_message`]).
    Body(Vec<u8>),
    /// Input that was no frame, skipped; why, for the log.
    Dropped(String),
}

/// Frames from `input`, in step again after any garbage.
pub struct FrameReader<R> {
    input: R,
    buf: Vec<u8>,
    /// `buf[..start]` is consumed.
    start: usize,
    /// The input is out of step: skip to the next `Content-Length`.
    resync: bool,
}

impl<R: AsyncRead + Unpin> FrameReader<R> {
    pub fn new(input: R) -> FrameReader<R> {
        FrameReader {
            input,
            buf: Vec::new(),
            start: 0,
            resync: false,
        }
    }

    /// The next frame; `None` at end of input (a partial frame there is
    /// dropped) or when the input fails.
    pub async fn next(&mut self) -> Option<Frame> {
        if std::mem::take(&mut self.resync) && !self.skip_to_header().await {
            return None;
        }
        match self.headers().await? {
            Ok(len) if len > MAX_BODY => {
                self.resync = true;
                Some(Frame::Dropped(format!(
                    "a body of {len} bytes is over the limit of {MAX_BODY}; skipped to the next header"
                )))
            }
            Ok(len) => self.body(len).await,
            Err(why) => {
                self.resync = true;
                Some(Frame::Dropped(format!("{why}; skipped to the next header")))
            }
        }
    }

    fn pending(&self) -> &[u8] {
        &self.buf[self.start..]
    }

    /// Read more input; false at its end (or on an error).
    async fn fill(&mut self) -> bool {
        if self.start > 0 && self.start >= self.buf.len() / 2 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        let len = self.buf.len();
        self.buf.resize(len + CHUNK, 0);
        let read = self.input.read(&mut self.buf[len..]).await;
        let n = read.unwrap_or(0);
        self.buf.truncate(len + n);
        n > 0
    }

    /// Consume input up to the next `Content-Length` (not at the very
    /// position where the input went out of step); false at end of input.
    async fn skip_to_header(&mut self) -> bool {
        if self.start < self.buf.len() {
            self.start += 1;
        }
        loop {
            let pending = self.pending();
            if let Some(i) = find_ignoring_case(pending, CONTENT_LENGTH) {
                self.start += i;
                return true;
            }
            // Keep what may be the start of the name, split across reads.
            self.start += pending.len().saturating_sub(CONTENT_LENGTH.len() - 1);
            if !self.fill().await {
                return false;
            }
        }
    }

    /// The length of one line, its line break included; `Err` when it is
    /// too long; `None` at end of input.
    async fn line(&mut self) -> Option<Result<usize, ()>> {
        let mut searched = 0;
        loop {
            let pending = self.pending();
            if let Some(i) = pending[searched..].iter().position(|&b| b == b'\n') {
                let n = searched + i + 1;
                return Some(if n > MAX_HEADER_LINE { Err(()) } else { Ok(n) });
            }
            if pending.len() > MAX_HEADER_LINE {
                return Some(Err(()));
            }
            searched = pending.len();
            if !self.fill().await {
                return None;
            }
        }
    }

    /// The header block up to its blank line: the body's length, or why
    /// the input is out of step.
    async fn headers(&mut self) -> Option<Result<usize, String>> {
        let mut length: Option<Result<usize, String>> = None;
        let mut count = 0;
        loop {
            let Ok(n) = self.line().await? else {
                return Some(Err(format!(
                    "a header line longer than {MAX_HEADER_LINE} bytes"
                )));
            };
            let line = &self.pending()[..n];
            let text = line.strip_suffix(b"\n").unwrap_or(line);
            let text = text.strip_suffix(b"\r").unwrap_or(text);
            if text.is_empty() {
                self.start += n;
                if count == 0 {
                    // Blank lines between frames are harmless.
                    continue;
                }
                return Some(length.unwrap_or_else(|| Err("no Content-Length header".into())));
            }
            let Some((name, value)) = header(text) else {
                // Not consumed: the next header may start within this line
                // (after a body shorter than its Content-Length said).
                return Some(Err(format!("not a header: {}", excerpt(text))));
            };
            count += 1;
            if count > MAX_HEADERS {
                return Some(Err(format!("more than {MAX_HEADERS} header lines")));
            }
            if name.eq_ignore_ascii_case(CONTENT_LENGTH) {
                let parsed = std::str::from_utf8(value)
                    .ok()
                    .and_then(|v| v.parse::<usize>().ok())
                    .ok_or_else(|| format!("Content-Length {} is not a length", excerpt(value)));
                length = match (length, parsed) {
                    (Some(Ok(a)), Ok(b)) if a != b => {
                        Some(Err(format!("two Content-Length headers ({a} and {b})")))
                    }
                    (Some(Err(e)), _) | (_, Err(e)) => Some(Err(e)),
                    (_, Ok(b)) => Some(Ok(b)),
                };
            }
            self.start += n;
        }
    }

    /// A body of `len` bytes. A body that cannot be one JSON value ends
    /// early: where a complete value is followed by more than whitespace
    /// (the next frame's header, after a Content-Length that was too
    /// long), or at a byte no JSON value can hold there.
    async fn body(&mut self, len: usize) -> Option<Frame> {
        let mut scan = JsonExtent::default();
        let mut scanned = 0;
        loop {
            let available = self.pending().len().min(len);
            if let Some(at) = scan.feed(&self.pending()[scanned..available]) {
                let at = scanned + at;
                self.start += at;
                return Some(Frame::Dropped(if scan.complete() {
                    format!("Content-Length {len} runs past the end of its message ({at} bytes)")
                } else {
                    format!("not JSON (byte {} of the body)", at + 1)
                }));
            }
            scanned = available;
            if available == len {
                let body = self.pending()[..len].to_vec();
                self.start += len;
                return Some(Frame::Body(body));
            }
            if !self.fill().await {
                return None;
            }
        }
    }
}

/// `Name: value` with `Name` an HTTP token; the value trimmed. A name that
/// only ends in `Content-Length` is none: the header starts within it.
fn header(line: &[u8]) -> Option<(&[u8], &[u8])> {
    let colon = line.iter().position(|&b| b == b':')?;
    let (name, value) = (&line[..colon], &line[colon + 1..]);
    let token = |b: &u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(b);
    if name.is_empty() || !name.iter().all(token) {
        return None;
    }
    if !name.eq_ignore_ascii_case(CONTENT_LENGTH)
        && find_ignoring_case(name, CONTENT_LENGTH).is_some()
    {
        return None;
    }
    Some((name, value.trim_ascii()))
}

fn find_ignoring_case(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// At most 40 characters of `bytes`, for a log line.
fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(40)]);
    let more = if bytes.len() > 40 { "…" } else { "" };
    format!("{:?}{more}", text.as_ref())
}

/// Where one JSON value ends in a byte stream: strings and nesting are
/// followed, nothing else is checked (the parser does that).
#[derive(Default)]
struct JsonExtent {
    state: Extent,
    depth: usize,
    in_string: bool,
    escaped: bool,
}

#[derive(Default, PartialEq, Eq)]
enum Extent {
    #[default]
    Before,
    /// A number, `true`, `false` or `null` at the top.
    Scalar,
    /// Inside a string or an array or object.
    Inside,
    Done,
}

impl JsonExtent {
    /// Feed the next bytes: the offset of the first one that cannot belong
    /// to the value (nor be whitespace after it), if any.
    fn feed(&mut self, bytes: &[u8]) -> Option<usize> {
        for (i, &b) in bytes.iter().enumerate() {
            let space = matches!(b, b' ' | b'\t' | b'\r' | b'\n');
            match self.state {
                Extent::Before if space => {}
                Extent::Before => match b {
                    b'{' | b'[' => {
                        self.state = Extent::Inside;
                        self.depth = 1;
                    }
                    b'"' => {
                        self.state = Extent::Inside;
                        self.in_string = true;
                    }
                    _ if scalar_byte(b) => self.state = Extent::Scalar,
                    _ => return Some(i),
                },
                Extent::Scalar if scalar_byte(b) => {}
                Extent::Scalar if space => self.state = Extent::Done,
                Extent::Scalar => return Some(i),
                Extent::Inside if self.in_string => {
                    if self.escaped {
                        self.escaped = false;
                    } else if b == b'\\' {
                        self.escaped = true;
                    } else if b == b'"' {
                        self.in_string = false;
                        if self.depth == 0 {
                            self.state = Extent::Done;
                        }
                    }
                }
                Extent::Inside => match b {
                    b'"' => self.in_string = true,
                    b'{' | b'[' => self.depth += 1,
                    b'}' | b']' => {
                        self.depth -= 1;
                        if self.depth == 0 {
                            self.state = Extent::Done;
                        }
                    }
                    _ => {}
                },
                Extent::Done if space => {}
                Extent::Done => return Some(i),
            }
        }
        None
    }

    /// A whole value was seen.
    fn complete(&self) -> bool {
        self.state == Extent::Done
    }
}

/// A byte of a number or of `true`, `false`, `null`.
fn scalar_byte(b: u8) -> bool {
    b.is_ascii_digit() || b"+-.eEtrufalsn".contains(&b)
}

/// A message as tower-lsp-server reads one (its own `Message` is private):
/// a response, else a request or notification.
#[derive(Deserialize)]
#[serde(untagged)]
enum Message {
    #[allow(dead_code)]
    Response(jsonrpc::Response),
    Request(jsonrpc::Request),
}

/// What a checked body is.
#[derive(Debug, PartialEq, Eq)]
pub enum Checked {
    /// The `exit` notification.
    Exit,
    /// Any other message.
    Other,
}

/// Whether `body` is one JSON-RPC 2.0 message that tower-lsp-server reads
/// as one (else it would stop reading altogether); why not, if not.
pub fn check_message(body: &[u8]) -> Result<Checked, String> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    match first {
        Some(b'{') => {}
        Some(b'[') => return Err("a JSON array (batches are not part of LSP)".into()),
        Some(_) => return Err("JSON that is not an object".into()),
        None => return Err("an empty body".into()),
    }
    if std::str::from_utf8(body).is_err() {
        return Err("not UTF-8".into());
    }
    match serde_json::from_slice::<Message>(body) {
        Ok(Message::Request(r)) if r.method() == "exit" && r.id().is_none() => Ok(Checked::Exit),
        Ok(_) => Ok(Checked::Other),
        Err(_) => Err(
            match serde_json::from_slice::<serde::de::IgnoredAny>(body) {
                Ok(_) => "not a JSON-RPC 2.0 request, notification or response".to_string(),
                Err(e) => format!("not JSON ({e})"),
            },
        ),
    }
}

pub async fn write_frame<W: AsyncWrite + Unpin>(out: &mut W, body: &[u8]) -> std::io::Result<()> {
    out.write_all(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes())
        .await?;
    out.write_all(body).await?;
    out.flush().await
}

#[cfg(test)]
mod tests;
