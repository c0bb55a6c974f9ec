//! Front matter: splitting the block off a file and parsing it (YAML or TOML) must never
//! panic, and an error must point inside the file.
#![no_main]
use kiln::content::frontmatter::{parse, split};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(s) = split(text) else { return };
    if let Some((format, fm)) = s.matter {
        if let Err(e) = parse(format, fm, s.matter_line) {
            assert!(e.line >= 1 && e.line <= text.lines().count() + 1, "error line {} outside the file", e.line);
        }
    }
});
