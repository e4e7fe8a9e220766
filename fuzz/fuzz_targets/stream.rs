//! The widget's UI-message-stream reducer on arbitrary response bytes, split into arbitrary chunks: it must never
//! panic, and must end up in the same state however the bytes were split.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quincer_widget::stream::StreamReducer;

fuzz_target!(|data: &[u8]| {
    let Some((&split, bytes)) = data.split_first() else { return };
    let mut whole = StreamReducer::new();
    let whole_updates = whole.push_bytes(bytes);
    let mut chunked = StreamReducer::new();
    let mut chunked_updates = Vec::new();
    for chunk in bytes.chunks(usize::from(split) + 1) {
        chunked_updates.extend(chunked.push_bytes(chunk));
    }
    assert_eq!(format!("{whole_updates:?}"), format!("{chunked_updates:?}"), "updates depend on the split");
    assert_eq!((whole.done, &whole.error), (chunked.done, &chunked.error));
});
