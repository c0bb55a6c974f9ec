//! Tables: GitHub-flavoured Markdown when the table fits one (a header row, no merged
//! cells, only inline content in cells), else the table as HTML with a note saying why.

use ego_tree::NodeRef;
use scraper::Node;

use super::blocks::Converter;
use super::inline::Ctx;

/// A table's rows, read once.
struct Grid<'a> {
    rows: Vec<Vec<NodeRef<'a, Node>>>,
    /// Whether the first row is a header (in `<thead>`, or all `<th>`).
    header: bool,
}

impl Converter<'_> {
    /// The table as Markdown or HTML.
    pub(super) fn table(&mut self, node: NodeRef<'_, Node>) -> String {
        let grid = read(node);
        match why_not_gfm(&grid) {
            None => self.gfm(&grid),
            Some(why) => {
                let mut out = String::new();
                self.note(&mut out, format!("table kept as HTML ({why})"));
                out.push_str(&self.raw(node));
                out
            }
        }
    }

    fn gfm(&mut self, grid: &Grid) -> String {
        let width = grid.rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut lines = Vec::new();
        for (n, row) in grid.rows.iter().enumerate() {
            let mut cells: Vec<String> = row.iter().map(|c| self.cell(*c)).collect();
            cells.resize(width, String::new());
            lines.push(format!("| {} |", cells.join(" | ")));
            if n == 0 {
                let rule: Vec<&str> = (0..width).map(|i| row.get(i).map_or("---", |c| align(*c))).collect();
                lines.push(format!("| {} |", rule.join(" | ")));
            }
        }
        lines.join("\n")
    }

    fn cell(&mut self, cell: NodeRef<'_, Node>) -> String {
        let text = self.inline_children(cell, Ctx::Cell);
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        text.trim_end_matches("<br>").trim_start_matches("<br>").trim().to_string()
    }
}

fn read(table: NodeRef<'_, Node>) -> Grid<'_> {
    let mut rows = Vec::new();
    let mut heads = Vec::new();
    for child in table.children() {
        if element_named(child, &["tr"]) {
            rows.push(child);
            heads.push(false);
        } else if element_named(child, &["thead", "tbody", "tfoot"]) {
            for row in child.children().filter(|r| element_named(*r, &["tr"])) {
                rows.push(row);
                heads.push(element_named(child, &["thead"]));
            }
        }
    }
    let rows: Vec<Vec<_>> =
        rows.iter().map(|r| r.children().filter(|c| element_named(*c, &["td", "th"])).collect()).collect();
    let header = heads.first().copied().unwrap_or(false)
        || rows.first().is_some_and(|r| !r.is_empty() && r.iter().all(|c| element_named(*c, &["th"])));
    Grid { rows, header }
}

fn why_not_gfm(grid: &Grid) -> Option<&'static str> {
    if grid.rows.is_empty() || grid.rows[0].is_empty() {
        return Some("no rows");
    }
    if !grid.header {
        return Some("no header row");
    }
    let cells = || grid.rows.iter().flatten();
    let merged = |c: &NodeRef<'_, Node>| {
        let el = c.value().as_element();
        ["colspan", "rowspan"].iter().any(|a| el.and_then(|e| e.attr(a)).is_some_and(|v| v.trim() != "1"))
    };
    if cells().any(merged) {
        return Some("merged cells");
    }
    if cells().any(|c| has_blocks(*c)) {
        return Some("cells hold lists, code, several paragraphs or tables");
    }
    if grid.rows.iter().skip(1).any(|r| r.len() > grid.rows[0].len()) {
        return Some("rows longer than the header");
    }
    None
}

/// Whether a cell holds what a GFM cell cannot (one paragraph is fine).
fn has_blocks(cell: NodeRef<'_, Node>) -> bool {
    let paragraphs = cell.children().filter(|c| element_named(*c, &["p", "div"])).count();
    paragraphs > 1
        || cell
            .descendants()
            .skip(1)
            .any(|d| d.value().as_element().is_some_and(|e| super::blocks::needs_lines(e.name())))
}

fn align(cell: NodeRef<'_, Node>) -> &'static str {
    let el = cell.value().as_element();
    let style = el.and_then(|e| e.attr("style")).unwrap_or("").replace(' ', "").to_ascii_lowercase();
    let attr = el.and_then(|e| e.attr("align")).unwrap_or("").to_ascii_lowercase();
    if attr == "center" || style.contains("text-align:center") {
        ":---:"
    } else if attr == "right" || style.contains("text-align:right") {
        "---:"
    } else {
        "---"
    }
}

fn element_named(node: NodeRef<'_, Node>, names: &[&str]) -> bool {
    node.value().as_element().is_some_and(|e| names.contains(&e.name()))
}
