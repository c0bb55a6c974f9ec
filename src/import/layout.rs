//! Where everything goes: each section a folder (`<category>/<folder>/…`, slugs of their
//! names), each article `<slug>.md` in its section's folder and its files in `<slug>/`,
//! translations at the same path under `<locale>/`. Siblings are ranked in the source's
//! order (position, then the order of the export), and the rank is the `weight` written.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::model::{Kb, Section};
use crate::base::slug::slugify;

/// The places of every section and article, content-relative, `/`-separated.
#[derive(Debug, Default)]
pub struct Layout {
    /// Section key → its folder (`getting-started/account-setup`).
    pub dirs: HashMap<String, String>,
    /// Section key → its rank among its siblings (1-based).
    pub section_rank: HashMap<String, usize>,
    /// Article id → its file without `.md` (`getting-started/account-setup/create-your-account`).
    pub articles: HashMap<u64, String>,
    /// Article id → its rank in its section (1-based).
    pub article_rank: HashMap<u64, usize>,
    /// Section key → whether it or a section above it is internal.
    pub internal: HashMap<String, bool>,
}

/// Folder used for articles whose section is not in the export.
pub const UNSORTED: &str = "unsorted";

impl Layout {
    /// Whether only agents see the article (itself, or a folder it is in).
    pub fn is_internal(&self, a: &super::model::Article) -> bool {
        a.internal || self.internal.get(&a.section).copied().unwrap_or(false)
    }
}

/// Place the knowledge base. `previous` maps an article id to the file an earlier import
/// wrote it to (without `.md`): an article keeps its file, so its URL, while it stays in
/// the same folder, even if its title changed at the source.
pub fn place(kb: &Kb, previous: &HashMap<u64, String>) -> Layout {
    let by_key: HashMap<&str, &Section> = kb.sections.iter().map(|s| (s.key.as_str(), s)).collect();
    let mut children: BTreeMap<Option<&str>, Vec<(usize, &Section)>> = BTreeMap::new();
    for (n, s) in kb.sections.iter().enumerate() {
        // A section whose parent is not in the export is placed as a category.
        let parent = s.parent.as_deref().filter(|p| by_key.contains_key(p) && *p != s.key);
        children.entry(parent).or_default().push((n, s));
    }
    let mut reserved: HashSet<String> = kb.locales.iter().cloned().collect();
    reserved.extend(kb.default_locale.clone());
    reserved.insert(UNSORTED.to_string());
    let mut walk = Walk { children, used: HashMap::new(), reserved, layout: Layout::default() };
    walk.sections(None, "", false, 0);
    let (mut layout, mut used) = (walk.layout, walk.used);
    let mut by_section: BTreeMap<&str, Vec<(usize, &super::model::Article)>> = BTreeMap::new();
    for (n, a) in kb.articles.iter().enumerate() {
        by_section.entry(a.section.as_str()).or_default().push((n, a));
    }
    for (section, mut articles) in by_section {
        articles.sort_by_key(|(n, a)| (a.position.unwrap_or(i64::MAX), *n));
        let dir = layout.dirs.get(section).cloned().unwrap_or_else(|| UNSORTED.to_string());
        let taken = used.entry(dir.clone()).or_default();
        for (rank, (_, a)) in articles.iter().enumerate() {
            let kept = previous
                .get(&a.id)
                .and_then(|p| p.rsplit_once('/'))
                .filter(|(d, _)| *d == dir)
                .map(|(_, f)| f.to_string());
            let stem = kept.filter(|f| !taken.contains(f)).unwrap_or_else(|| {
                let base = Some(slugify(&a.title))
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| format!("article-{}", a.id));
                unique(&base, taken)
            });
            taken.insert(stem.clone());
            layout.articles.insert(a.id, format!("{dir}/{stem}"));
            layout.article_rank.insert(a.id, rank + 1);
        }
    }
    layout
}

/// What placing the sections fills in as it walks the tree.
struct Walk<'k> {
    children: BTreeMap<Option<&'k str>, Vec<(usize, &'k Section)>>,
    used: HashMap<String, HashSet<String>>,
    /// Names a category's folder may not take: the languages' folders.
    reserved: HashSet<String>,
    layout: Layout,
}

impl Walk<'_> {
    fn sections(&mut self, parent: Option<&str>, parent_dir: &str, parent_internal: bool, depth: usize) {
        let Some(list) = self.children.get(&parent) else { return };
        if depth > 32 {
            return;
        }
        let mut list = list.clone();
        list.sort_by_key(|(n, s)| (s.position.unwrap_or(i64::MAX), *n));
        for (rank, (_, s)) in list.iter().enumerate() {
            if self.layout.dirs.contains_key(&s.key) {
                continue;
            }
            let taken = self.used.entry(parent_dir.to_string()).or_default();
            let base = Some(slugify(&s.name))
                .filter(|x| !x.is_empty())
                .unwrap_or_else(|| format!("section-{}", s.id));
            let base =
                if parent.is_none() && self.reserved.contains(&base) { format!("{base}-kb") } else { base };
            let slug = unique(&base, taken);
            taken.insert(slug.clone());
            let dir = if parent_dir.is_empty() { slug } else { format!("{parent_dir}/{slug}") };
            let internal = parent_internal || s.internal;
            self.layout.dirs.insert(s.key.clone(), dir.clone());
            self.layout.section_rank.insert(s.key.clone(), rank + 1);
            self.layout.internal.insert(s.key.clone(), internal);
            self.sections(Some(&s.key), &dir, internal, depth + 1);
        }
    }
}

/// `base`, or `base-2`, `base-3` … whichever is free.
fn unique(base: &str, taken: &HashSet<String>) -> String {
    if !taken.contains(base) {
        return base.to_string();
    }
    (2..).map(|n| format!("{base}-{n}")).find(|s| !taken.contains(s)).expect("a free name")
}

/// The relative link from a file in folder `from_dir` to `to` (both content-relative).
pub fn relative(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let common = from.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let mut out = "../".repeat(from.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn relative_links() {
        assert_eq!(super::relative("a/b", "a/c/x.md"), "../c/x.md");
        assert_eq!(super::relative("a/b", "a/b/x.md"), "x.md");
        assert_eq!(super::relative("fr/a/b", "a/b/f/x.png"), "../../../a/b/f/x.png");
    }
}
