//! Template filters Kiln adds to Tera.

use std::collections::HashMap;

use tera::{Tera, Value};

/// Register Kiln's filters.
pub fn register(tera: &mut Tera) {
    tera.register_filter("human_date", human_date);
    tera.register_filter("fill", fill);
    tera.register_filter("count", count);
    tera.register_filter("link_in", link_in);
}

/// `2024-05-31` (or an RFC 3339 timestamp) → "31 May 2024"; with `fmt` and `months` (a
/// language's `t.date` and `t.months`), in that language's words. Anything else passes
/// through.
fn human_date(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let Some(s) = value.as_str() else {
        return Ok(value.clone());
    };
    let months: Option<Vec<&str>> =
        args.get("months").and_then(Value::as_array).map(|m| m.iter().filter_map(Value::as_str).collect());
    match (args.get("fmt").and_then(Value::as_str), months) {
        (Some(fmt), Some(months)) if months.len() == 12 => Ok(Value::String(format_date_in(s, fmt, &months))),
        _ => Ok(Value::String(format_date(s))),
    }
}

/// A theme string with its `{name}` placeholders filled from the filter's arguments:
/// `{{ t.min_read | fill(n=page.reading_minutes) }}`.
fn fill(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let Some(s) = value.as_str() else {
        return Ok(value.clone());
    };
    Ok(Value::String(fill_in(s, args)))
}

fn fill_in(s: &str, args: &HashMap<String, Value>) -> String {
    let mut out = s.to_string();
    for (name, v) in args {
        let text = match v {
            Value::String(t) => t.clone(),
            other => other.to_string(),
        };
        out = out.replace(&format!("{{{name}}}"), &text);
    }
    out
}

/// A counted phrase in the form the language uses for `n`:
/// `{{ t.articles | count(n=c.count, lang=site.language) }}` → "3 articles".
fn count(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let n = args.get("n").and_then(Value::as_u64).unwrap_or(0);
    let lang = args.get("lang").and_then(Value::as_str).unwrap_or("en");
    let form = match value {
        Value::Object(forms) => forms
            .get(super::strings::plural_category(lang, n))
            .or_else(|| forms.get("other"))
            .and_then(Value::as_str)
            .unwrap_or(""),
        Value::String(s) => s,
        _ => "",
    };
    let args: HashMap<String, Value> =
        args.iter().filter(|(k, _)| *k != "lang").map(|(k, v)| (k.clone(), v.clone())).collect();
    Ok(Value::String(fill_in(form, &args)))
}

/// A theme string holding a `{home}`-style placeholder made a link, as HTML (the string
/// and the link text escaped): `{{ t.search_needs_js | link_in(key="home", url=…,
/// text=t.home_page) | safe }}`.
fn link_in(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let esc = crate::base::html::escape;
    let s = value.as_str().unwrap_or("");
    let arg = |k: &str| args.get(k).and_then(Value::as_str).unwrap_or("");
    let holder = format!("{{{}}}", arg("key"));
    let link = format!("<a href=\"{}\">{}</a>", esc(arg("url")), esc(arg("text")));
    let html = match s.split_once(&holder) {
        Some((before, after)) => format!("{}{link}{}", esc(before), esc(after)),
        None => esc(s),
    };
    Ok(Value::String(html))
}

/// A `YYYY-MM-DD…` date in a language's format (`{d}`, `{m}`, `{month}`, `{y}`).
fn format_date_in(s: &str, fmt: &str, months: &[&str]) -> String {
    let parse = || -> Option<String> {
        let y = s.get(0..4)?;
        let m: usize = s.get(5..7)?.parse().ok()?;
        let d: u32 = s.get(8..10)?.parse().ok()?;
        let month = months.get(m.checked_sub(1)?)?;
        Some(
            fmt.replace("{d}", &d.to_string())
                .replace("{m}", &m.to_string())
                .replace("{month}", month)
                .replace("{y}", y),
        )
    };
    parse().unwrap_or_else(|| s.to_string())
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
