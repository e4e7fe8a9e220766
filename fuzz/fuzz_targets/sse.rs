//! The widget's SSE parser on arbitrary bytes, split into arbitrary network chunks: it must never panic, and the
//! events must not depend on where the chunks were split.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quincer_widget::sse::SseParser;

fuzz_target!(|data: &[u8]| {
    let Some((&split, bytes)) = data.split_first() else { return };
    let whole = SseParser::new().push(bytes);
    // The first byte chooses the chunk size (1..=256): every split point gets exercised across inputs.
    let mut parser = SseParser::new();
    let mut chunked = Vec::new();
    for chunk in bytes.chunks(usize::from(split) + 1) {
        chunked.extend(parser.push(chunk));
    }
    assert_eq!(whole, chunked, "events depend on how the stream was split");
});
