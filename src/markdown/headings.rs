//! Heading ids (slugified, unique within a page, `{#custom}` honoured) and the table of
//! contents.

use std::collections::HashSet;

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
}

impl IdAllocator {
    /// Reserve an explicit `{#id}` as written (it wins over generated ones).
    pub fn reserve(&mut self, id: &str) {
        self.used.insert(id.to_string());
    }

    /// A unique id for heading text.
    pub fn allocate(&mut self, text: &str) -> String {
        let mut base = crate::content::slug::slugify(text);
        if base.is_empty() {
            base = "section".into();
        }
        if self.used.insert(base.clone()) {
            return base;
        }
        (1..)
            .map(|n| format!("{base}-{n}"))
            .find(|c| self.used.insert(c.clone()))
            .expect("an unused suffix always exists")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
