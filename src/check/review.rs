//! Articles overdue for review (`review_by`, or `[review] max_age_days` after their last
//! update), reported by `kiln check` with the code `stale`.

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::site::Site;
use crate::site::review::{Overdue, overdue};

/// Warn about every article of `site` past its review date on `today`.
pub fn stale(site: &Site, today: &str, diags: &Diagnostics) {
    for (id, page) in site.pages.iter().enumerate() {
        let Some(why) = overdue(site, id, today) else { continue };
        let positions = &page.source.positions;
        let (message, key) = match &why {
            Overdue::ReviewBy(by) => (format!("due for review since {by} (review_by)"), "review_by"),
            Overdue::MaxAge { since, days, due } => (
                format!(
                    "due for review since {due}: last updated {since}, more than {days} days ago ([review] max_age_days)"
                ),
                "updated",
            ),
        };
        let line = positions.key(key).map_or(1, |(line, _)| line);
        diags.push(Diagnostic::warning(&page.source.file, message).at(line, Some(1)).code(Code::Stale));
    }
}
