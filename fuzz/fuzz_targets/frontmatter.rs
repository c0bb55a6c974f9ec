//! Front matter: splitting the block off a file and parsing it (YAML or TOML) must never
//! panic, and an error or a value left unread must point inside the file.
#![no_main]
use kiln::config::FrontMatterKeys;
use kiln::content::frontmatter::{parse, split};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(s) = split(text) else { return };
    let lines = text.lines().count() + 1;
    if let Some((format, fm)) = s.matter {
        match parse(format, fm, s.matter_line, &FrontMatterKeys::default()) {
            Err(e) => assert!(e.line >= 1 && e.line <= lines, "error line {} outside the file", e.line),
            Ok(p) => {
                for u in p.unread {
                    assert!(
                        u.line >= 1 && u.line <= lines,
                        "unread value at line {} outside the file",
                        u.line
                    );
                }
            }
        }
    }
});
