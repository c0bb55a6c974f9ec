//! Heading ids (slugified, unique within a page, `{#custom}` honoured) and the table of
//! contents.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

/// One entry of a page's table of contents (h2 and h3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    /// 2 or 3.
    pub level: u8,
    /// Anchor id.
    pub id: String,
    /// Plain-text heading.
    pub title: String,
}

/// Hands out unique ids within one page: `solution`, `solution-1`, `solution-2`.
#[derive(Debug, Default)]
pub struct IdAllocator {
    used: HashSet<String>,
    /// The next suffix to try for each base id, so a page of 100,000 identical headings
    /// costs linear time rather than counting up from 1 for each.
    next: HashMap<String, usize>,
}

impl IdAllocator {
    /// Reserve an explicit `{#id}` as written (it wins over generated ones).
    pub fn reserve(&mut self, id: &str) {
        self.used.insert(id.to_string());
    }

    /// A unique id for heading text.
    pub fn allocate(&mut self, text: &str) -> String {
        let mut base = heading_id(text);
        if base.is_empty() {
            base = "section".into();
        }
        if self.used.insert(base.clone()) {
            return base;
        }
        let n = self.next.entry(base.clone()).or_insert(1);
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// The id GitHub gives a heading (github-slugger), which docfx, Docusaurus and most
/// Markdown tools follow, so links written for them (`#resolve-freebusy-errors` for
/// "Resolve free/busy errors") keep working: lower case, punctuation and symbols dropped,
/// each space a hyphen, letters of every script kept. Hyphens left at either end are
/// trimmed, as VitePress does (`` `<Content />` `` → `content`).
pub fn heading_id(text: &str) -> String {
    let id: String = text
        .trim()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .flat_map(char::to_lowercase)
        .collect();
    id.trim_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_github() {
        assert_eq!(heading_id("Resolve free/busy errors"), "resolve-freebusy-errors");
        assert_eq!(heading_id("Method 1: WSL2 (recommended)"), "method-1-wsl2-recommended");
        assert_eq!(heading_id("A & B"), "a--b");
        assert_eq!(heading_id("Sécurité du réseau"), "sécurité-du-réseau");
        assert_eq!(heading_id("snake_case and `code`"), "snake_case-and-code");
        assert_eq!(heading_id("<Content />"), "content");
    }

    #[test]
    fn ids_are_unique() {
        let mut a = IdAllocator::default();
        assert_eq!(a.allocate("Solution"), "solution");
        assert_eq!(a.allocate("Solution"), "solution-1");
        a.reserve("faq");
        assert_eq!(a.allocate("FAQ"), "faq-1");
        assert_eq!(a.allocate("???"), "section");
    }
}
