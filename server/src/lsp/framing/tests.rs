use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::ReadBuf;

use super::*;

/// Input handed out `step` bytes per read, as a pipe may.
struct Trickle {
    data: Vec<u8>,
    at: usize,
    step: usize,
}

impl AsyncRead for Trickle {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let n = self
            .step
            .min(buf.remaining())
            .min(self.data.len() - self.at);
        let at = self.at;
        buf.put_slice(&self.data[at..at + n]);
        self.at += n;
        Poll::Ready(Ok(()))
    }
}

fn frame(body: &str) -> String {
    format!("Content-Length: {}\r\n\r\n{body}", body.len())
}

const SHUTDOWN: &str = r#"{"jsonrpc":"2.0","id":7,"method":"shutdown"}"#;

/// Every frame of `input`, read in steps of 1, 7 and 64 KiB bytes (all must
/// agree).
fn frames(input: &[u8]) -> Vec<Frame> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut each = [1, 7, CHUNK].map(|step| {
        runtime.block_on(async {
            let mut reader = FrameReader::new(Trickle {
                data: input.to_vec(),
                at: 0,
                step,
            });
            let mut out = Vec::new();
            while let Some(f) = reader.next().await {
                out.push(f);
            }
            out
        })
    });
    assert_eq!(each[0], each[1]);
    assert_eq!(each[0], each[2]);
    std::mem::take(&mut each[0])
}

/// After `bad`, the frame that follows is read whole.
fn recovers(bad: &str) -> Vec<Frame> {
    let input = format!("{bad}{}", frame(SHUTDOWN));
    let got = frames(input.as_bytes());
    assert_eq!(
        got.last(),
        Some(&Frame::Body(SHUTDOWN.as_bytes().to_vec())),
        "after {bad:?}: {got:?}"
    );
    assert!(
        got[..got.len() - 1]
            .iter()
            .all(|f| matches!(f, Frame::Dropped(_)) || check_message_of(f).is_err()),
        "after {bad:?}: {got:?}"
    );
    got
}

fn check_message_of(f: &Frame) -> Result<Checked, String> {
    match f {
        Frame::Body(b) => check_message(b),
        Frame::Dropped(why) => Err(why.clone()),
    }
}

fn dropped(f: &Frame) -> &str {
    match f {
        Frame::Dropped(why) => why,
        Frame::Body(b) => panic!("a body: {}", String::from_utf8_lossy(b)),
    }
}

#[test]
fn good_frames_are_read_whole() {
    let input = format!(
        "{}\r\n{}Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: 2\r\n\r\n{{}}",
        frame(SHUTDOWN),
        frame("[1, \"]}\\\"\"]")
    );
    assert_eq!(
        frames(input.as_bytes()),
        [
            Frame::Body(SHUTDOWN.as_bytes().to_vec()),
            Frame::Body(b"[1, \"]}\\\"\"]".to_vec()),
            Frame::Body(b"{}".to_vec()),
        ]
    );
    // Cut short at the end of input: nothing.
    assert_eq!(frames(b"Content-Length: 10\r\n\r\n{\"a\""), []);
    assert_eq!(frames(b"Content-Len"), []);
}

#[test]
fn a_content_length_too_short_is_dropped_and_the_next_frame_read() {
    let body = SHUTDOWN.replace('7', "1");
    let got = recovers(&format!("Content-Length: 10\r\n\r\n{body}"));
    // The first ten bytes, then the rest up to the next header.
    assert_eq!(got[0], Frame::Body(body.as_bytes()[..10].to_vec()));
    assert!(dropped(&got[1]).starts_with("not a header: "), "{got:?}");
    assert_eq!(got.len(), 3);
}

#[test]
fn a_content_length_too_long_ends_at_the_next_header() {
    let body = SHUTDOWN.replace('7', "1");
    let got = recovers(&format!("Content-Length: 200\r\n\r\n{body}\r\n"));
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(
        dropped(&got[0]),
        format!(
            "Content-Length 200 runs past the end of its message ({} bytes)",
            body.len() + 2
        )
    );
    // A scalar body, then the next frame at once.
    let got = recovers("Content-Length: 50\r\n\r\n1");
    assert_eq!(got.len(), 2, "{got:?}");
    // Garbage in place of a body.
    let got = recovers("Content-Length: 500\r\n\r\n}garbage");
    assert_eq!(dropped(&got[0]), "not JSON (byte 1 of the body)");
}

#[test]
fn a_missing_or_unreadable_content_length_skips_to_the_next_header() {
    for (bad, why) in [
        (
            format!("Content-Type: x\r\n\r\n{SHUTDOWN}"),
            "no Content-Length header",
        ),
        (
            format!("Content-Length: ten\r\n\r\n{SHUTDOWN}"),
            "Content-Length \"ten\" is not a length",
        ),
        (
            format!("Content-Length: -5\r\n\r\n{SHUTDOWN}"),
            "Content-Length \"-5\" is not a length",
        ),
        (
            format!("Content-Length: 3\r\nContent-Length: 4\r\n\r\n{SHUTDOWN}"),
            "two Content-Length headers (3 and 4)",
        ),
        (
            "{\"jsonrpc\"}\r\n".to_string(),
            "not a header: \"{\\\"jsonrpc\\\"}\"",
        ),
        // Garbage run into the next header.
        ("abc".to_string(), "not a header: \"abcContent-Length: 44\""),
    ] {
        let got = recovers(&bad);
        assert_eq!(
            dropped(&got[0]),
            format!("{why}; skipped to the next header"),
            "{bad:?}"
        );
    }
}

#[test]
fn a_body_over_the_limit_is_skipped_without_being_kept() {
    let got = recovers(&format!(
        "Content-Length: {}\r\n\r\n{SHUTDOWN}",
        MAX_BODY + 1
    ));
    assert!(dropped(&got[0]).contains("over the limit"), "{got:?}");
    // A long run of bytes without any header: skipped as it streams by.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut input = b"Content-Length: 999999999999\r\n\r\n".to_vec();
    input.resize(input.len() + 4 * CHUNK + 5, b'x');
    input.extend_from_slice(frame(SHUTDOWN).as_bytes());
    runtime.block_on(async {
        let mut reader = FrameReader::new(Trickle {
            data: input,
            at: 0,
            step: CHUNK,
        });
        assert!(matches!(reader.next().await, Some(Frame::Dropped(_))));
        assert_eq!(
            reader.next().await,
            Some(Frame::Body(SHUTDOWN.as_bytes().to_vec()))
        );
        assert!(
            reader.buf.capacity() <= 4 * CHUNK,
            "{}",
            reader.buf.capacity()
        );
    });
    // Header lines without end.
    let got = recovers(&"y".repeat(3 * MAX_HEADER_LINE));
    assert!(dropped(&got[0]).contains("header line longer"), "{got:?}");
}

#[test]
fn only_json_rpc_messages_pass() {
    for ok in [
        SHUTDOWN,
        r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
        r#"{"jsonrpc":"2.0","id":"a","result":null}"#,
        r#"{"jsonrpc":"2.0","id":3,"error":{"code":-32601,"message":"no"}}"#,
        r#" {"id":1,"method":"x","jsonrpc":"2.0","extra":[]} "#,
    ] {
        assert_eq!(check_message(ok.as_bytes()), Ok(Checked::Other), "{ok}");
    }
    assert_eq!(
        check_message(br#"{"jsonrpc":"2.0","method":"exit"}"#),
        Ok(Checked::Exit)
    );
    for bad in [
        "{}",
        "[]",
        "1",
        "null",
        "",
        r#"[{"jsonrpc":"2.0","id":1,"method":"shutdown"}]"#,
        r#"["2.0","exit"]"#,
        r#"{"jsonrpc":"1.0","id":1,"method":"shutdown"}"#,
        r#"{"jsonrpc":2,"id":1,"method":"shutdown"}"#,
        r#"{"jsonrpc":"2.0","id":{},"method":"shutdown"}"#,
        r#"{"jsonrpc":"2.0","id":1.5,"method":"shutdown"}"#,
        r#"{"jsonrpc":"2.0","id":1,"method":5}"#,
        r#"{"jsonrpc":"2.0","id":1,"method":"a","id":2}"#,
        "{not json",
    ] {
        assert!(check_message(bad.as_bytes()).is_err(), "{bad}");
    }
    assert!(check_message(b"{\"jsonrpc\":\"2.0\",\"method\":\"\xff\"}").is_err());
    let deep = format!(
        r#"{{"jsonrpc":"2.0","method":"x","params":{}{}}}"#,
        "[".repeat(200),
        "]".repeat(200)
    );
    assert!(check_message(deep.as_bytes()).is_err());
}
