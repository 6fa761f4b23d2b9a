//! Rust fact extraction on any text: never panics, never overflows the
//! stack.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let text = text.to_string();
    // On an analysis stack, as the binary parses (see grounded::stack).
    grounded::stack::on_analysis_stack(move || {
        let facts = grounded::syntax::rust::parse(&text);
        assert!(!facts.modules.is_empty());
        if let Some(cut) = facts.nesting_cut {
            assert!((cut.start_byte as usize) <= text.len());
        }
    })
    .expect("a thread starts");
});
