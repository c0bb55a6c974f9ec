//! Template filters Kiln adds to Tera.

use std::collections::HashMap;

use tera::{Tera, Value};

/// Register Kiln's filters.
pub fn register(tera: &mut Tera) {
    tera.register_filter("human_date", human_date);
}

/// `2024-05-31` (or an RFC 3339 timestamp) → "31 May 2024"; anything else passes through.
fn human_date(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let Some(s) = value.as_str() else {
        return Ok(value.clone());
    };
    Ok(Value::String(format_date(s)))
}

/// Format a `YYYY-MM-DD…` date for people.
pub fn format_date(s: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parse = || -> Option<String> {
        let y = s.get(0..4)?;
        let m: usize = s.get(5..7)?.parse().ok()?;
        let d: u32 = s.get(8..10)?.parse().ok()?;
        Some(format!("{d} {} {y}", MONTHS.get(m.checked_sub(1)?)?))
    };
    parse().unwrap_or_else(|| s.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_for_people() {
        assert_eq!(super::format_date("2024-05-31"), "31 May 2024");
        assert_eq!(super::format_date("2024-01-02T10:00:00Z"), "2 January 2024");
        assert_eq!(super::format_date("soon"), "soon");
    }
}
