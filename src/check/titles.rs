//! Articles in one folder with the same title: readers cannot tell them apart in the
//! sidebar, the folder's listing or search results.

use std::collections::HashMap;

use crate::content::TitleSource;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::site::Site;

/// Warn about every article whose title (case and spacing aside) another article of its
/// folder already has, at the line the title comes from.
pub fn duplicate_titles(site: &Site, diags: &Diagnostics) {
    for s in &site.sections {
        let mut seen: HashMap<u64, usize> = HashMap::with_capacity(s.pages.len());
        for &id in s.pages.iter().chain(&s.unlisted) {
            let src = &site.pages[id].source;
            let key = title_key(&src.title);
            // Equal hashes of different titles are told apart by comparing the words.
            match seen.get(&key).filter(|&&first| same_title(&site.pages[first].source.title, &src.title)) {
                None => {
                    seen.entry(key).or_insert(id);
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

/// The words of a title, lower-cased: what readers compare.
fn words(title: &str) -> impl Iterator<Item = char> + '_ {
    title
        .split_whitespace()
        .enumerate()
        .flat_map(|(i, w)| (i > 0).then_some(' ').into_iter().chain(w.chars()))
        .flat_map(char::to_lowercase)
}

/// A hash of [`words`] (thousands of titles, no string built for each).
fn title_key(title: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    words(title).for_each(|c| c.hash(&mut h));
    h.finish()
}

fn same_title(a: &str, b: &str) -> bool {
    words(a).eq(words(b))
}

/// Where an article's title is written: its `title` key, its first `# ` heading, or
/// the top of the file for a title made from the file name.
fn title_position(site: &Site, id: usize) -> (usize, Option<usize>) {
    let src = &site.pages[id].source;
    let at = match src.title_source {
        TitleSource::FrontMatter => src.positions.key("title"),
        TitleSource::Heading => src.positions.heading().map(|line| (line, 1)),
        TitleSource::FileName => None,
    };
    match at {
        Some((line, col)) => (line, Some(col)),
        None => (1, None),
    }
}
