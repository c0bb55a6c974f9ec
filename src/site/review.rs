//! When an article is due for review: its `review_by` date, else `[review] max_age_days`
//! after its last update. `kiln check` reports the overdue ones (`stale`); the theme may
//! show them with a notice.

use super::{PageId, Site};

/// Why an article is overdue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overdue {
    /// Its `review_by` day has passed.
    ReviewBy(String),
    /// It was last updated on `since`, more than `days` ago (due on `due`).
    MaxAge {
        /// Its last update.
        since: String,
        /// `max_age_days`.
        days: u32,
        /// The day it became due.
        due: String,
    },
}

impl Overdue {
    /// The day the article became due.
    pub fn due(&self) -> &str {
        match self {
            Overdue::ReviewBy(d) => d,
            Overdue::MaxAge { due, .. } => due,
        }
    }
}

/// Whether article `id` is past its review date on `today` (`YYYY-MM-DD`).
pub fn overdue(site: &Site, id: PageId, today: &str) -> Option<Overdue> {
    let page = &site.pages[id];
    let meta = &page.source.meta;
    let day = |d: &str| d.get(..10).unwrap_or(d).to_string();
    if let Some(by) = &meta.review_by {
        return (today > by.get(..10).unwrap_or(by)).then(|| Overdue::ReviewBy(day(by)));
    }
    let days = site.config.review.max_age_days?;
    let since = page.updated.as_deref().or(meta.date.as_deref())?;
    let due = crate::base::date::add_days(since, i64::from(days))?;
    (today > due.as_str()).then(|| Overdue::MaxAge { since: day(since), days, due })
}
