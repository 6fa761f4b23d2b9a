//! The language server's frame reader on any input: never panics, always
//! reaches the end of the input, and never returns more body bytes than
//! it was given; every body it returns is checked without a panic.
#![no_main]

use grounded::lsp::framing::{check_message, Frame, FrameReader};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    futures::executor::block_on(async {
        let mut reader = FrameReader::new(data);
        let mut body_bytes = 0;
        while let Some(frame) = reader.next().await {
            if let Frame::Body(body) = frame {
                body_bytes += body.len();
                let _ = check_message(&body);
            }
        }
        assert!(body_bytes <= data.len());
    });
});
