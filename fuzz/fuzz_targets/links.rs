//! Link resolution: a resolved content path never climbs out of the content folder, and
//! URL resolution never panics.
#![no_main]
use kiln::base::percent::decode as percent_decode;
use kiln::markdown::links::{html_attrs, resolve};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (page, href) = text.split_once('\n').unwrap_or(("guide/page.md", text));
    // Page paths come from the walker: plain names joined by `/`.
    if page.is_empty() || page.split('/').any(|s| !kiln::base::text::is_safe_name(s)) {
        return;
    }
    if let Some(link) = resolve(page, href) {
        assert!(!link.path.split('/').any(|s| s == ".." || s == "."), "{:?} keeps a dot segment", link.path);
        assert!(!link.path.starts_with('/'), "{:?} is absolute", link.path);
    }
    let _ = percent_decode(href);
    let _ = html_attrs(text);
    let _ = kiln::check::links::resolve_url(page, href);
});
