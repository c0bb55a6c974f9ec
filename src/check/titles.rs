//! Articles in one folder with the same title: readers cannot tell them apart in the
//! sidebar, the folder's listing or search results.

use std::collections::HashMap;

use crate::content::TitleSource;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, line_col};
use crate::site::Site;

/// Warn about every article whose title (case and spacing aside) another article of its
/// folder already has, at the line the title comes from.
pub fn duplicate_titles(site: &Site, diags: &Diagnostics) {
    for s in &site.sections {
        let mut seen: HashMap<String, usize> = HashMap::new();
        for &id in &s.pages {
            let src = &site.pages[id].source;
            let key = src.title.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
            match seen.get(&key) {
                None => {
                    seen.insert(key, id);
                }
                Some(&first) => {
                    let other = &site.pages[first].source;
                    let (line, col) = title_position(site, id);
                    diags.push(
                        Diagnostic::warning(
                            &src.file,
                            format!(
                                "title {:?} is also the title of {} in the same folder; \
                                 readers cannot tell them apart in navigation and search",
                                src.title,
                                other.file.display()
                            ),
                        )
                        .at(line, col)
                        .code(Code::DuplicateTitle),
                    );
                }
            }
        }
    }
}

/// Where an article's title is written: its `title` key, its first `# ` heading, or
/// the top of the file for a title made from the file name.
fn title_position(site: &Site, id: usize) -> (usize, Option<usize>) {
    let src = &site.pages[id].source;
    let text = std::fs::read_to_string(site.content_dir.join(&src.rel_path)).unwrap_or_default();
    let at = match src.title_source {
        TitleSource::FrontMatter => find_line_start(&text, |l| {
            l.strip_prefix("title").is_some_and(|r| r.trim_start().starts_with([':', '=']))
        }),
        TitleSource::Heading => find_line_start(&text, |l| l.starts_with("# ")),
        TitleSource::FileName => None,
    };
    match at {
        Some(at) => {
            let (line, col) = line_col(&text, at);
            (line, Some(col))
        }
        None => (1, None),
    }
}

fn find_line_start(text: &str, want: impl Fn(&str) -> bool) -> Option<usize> {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if want(line.trim_start()) {
            return Some(at + (line.len() - line.trim_start().len()));
        }
        at += line.len();
    }
    None
}
