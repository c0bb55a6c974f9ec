//! The search tokenizer: no panic, and every token is non-empty text of the input's
//! folded form.
#![no_main]
use kiln::search::tokenize::{fold, tokenize};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for t in tokenize(text) {
        assert!(!t.text.is_empty(), "empty token from {text:?}");
    }
    let _ = fold(text);
});
