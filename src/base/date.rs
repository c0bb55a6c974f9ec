//! Dates as other tools write them, read into the ISO 8601 form Kiln keeps
//! (`YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SS` with `Z` or `±HH:MM` when a zone is given).
//!
//! Read: ISO 8601 / RFC 3339 (kept as written once checked: `2024-05-31`,
//! `2024-05-31T09:30:00Z`, `2024-05-31 09:30`), `YYYY/MM/DD`, `MM/DD/YYYY` (Microsoft's
//! docs: `3/16/2020`), `DD.MM.YYYY`, each with an optional time (`09:30`, `9:30:15 PM`) and
//! zone, and RFC 2822 (`Tue, 1 Jul 2003 10:52:37 +0200`). A form that could be read two
//! ways is read one way only: slashes with the year last are month first, dots are day
//! first.

/// The ISO 8601 form of `text`, or `None` when it is no date this module reads.
pub fn read(text: &str) -> Option<String> {
    let t = text.trim();
    if let Some(iso) = iso(t) {
        return Some(iso);
    }
    if let Some(d) = rfc2822(t) {
        return Some(d);
    }
    let (date, rest) = t.split_once([' ', 'T']).map_or((t, ""), |(d, r)| (d, r.trim()));
    let (y, m, d) = numeric_date(date)?;
    let day = valid(y, m, d)?;
    if rest.is_empty() {
        return Some(day);
    }
    Some(format!("{day}T{}", time_and_zone(rest)?))
}

/// An RFC 3339 timestamp (as Atom wants) for a date [`read`] returned: a bare day is
/// midnight UTC, a time without a zone is taken as UTC, seconds are added where missing.
pub fn rfc3339(iso: &str) -> String {
    let Some((day, time)) = iso.get(..10).zip(iso.get(11..)) else { return format!("{iso}T00:00:00Z") };
    match time_and_zone(time) {
        Some(t) if t.len() == 8 => format!("{day}T{t}Z"),
        Some(t) => format!("{day}T{t}"),
        None => format!("{day}T00:00:00Z"),
    }
}

/// `YYYY-MM-DD` with an optional time after `T` or a space, checked and kept as written.
fn iso(t: &str) -> Option<String> {
    let b = t.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    if b.len() < 10 || !digits(0..4) || b[4] != b'-' || !digits(5..7) || b[7] != b'-' || !digits(8..10) {
        return None;
    }
    valid(t[..4].parse().ok()?, t[5..7].parse().ok()?, t[8..10].parse().ok()?)?;
    if b.len() > 10 {
        if b[10] != b'T' && b[10] != b' ' {
            return None;
        }
        time_and_zone(&t[11..])?;
    }
    Some(t.to_string())
}

/// `YYYY/MM/DD`, `MM/DD/YYYY` or `DD.MM.YYYY` as (year, month, day).
fn numeric_date(s: &str) -> Option<(u32, u32, u32)> {
    let sep = if s.contains('/') {
        '/'
    } else if s.contains('.') {
        '.'
    } else {
        return None;
    };
    let parts: Vec<&str> = s.split(sep).collect();
    let [a, b, c] = parts[..] else { return None };
    let num = |p: &str| {
        (!p.is_empty() && p.len() <= 4 && p.bytes().all(|c| c.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let (a, b, c): (u32, u32, u32) = (num(a)?, num(b)?, num(c)?);
    match (sep, parts[0].len(), parts[2].len()) {
        ('/', 4, _) => Some((a, b, c)),
        ('/', _, 4) => Some((c, a, b)),
        ('.', _, 4) => Some((c, b, a)),
        _ => None,
    }
}

/// `YYYY-MM-DD` when the day exists.
fn valid(y: u32, m: u32, d: u32) -> Option<String> {
    let leap = y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400));
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    ((1000..=9999).contains(&y) && (1..=days).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// `HH:MM[:SS[.fff]] [AM|PM] [zone]` as `HH:MM:SS` plus `Z` or `±HH:MM` when a zone is given.
fn time_and_zone(s: &str) -> Option<String> {
    let s = s.trim();
    let end = s.find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.')).unwrap_or(s.len());
    let (clock, rest) = (&s[..end], s[end..].trim());
    let mut parts = clock.split(':');
    let mut h: u32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let sec: u32 = match parts.next() {
        Some(p) => p.split('.').next()?.parse().ok()?,
        None => 0,
    };
    if parts.next().is_some() {
        return None;
    }
    let (ampm, zone) = match rest.get(..2).map(str::to_ascii_uppercase).as_deref() {
        Some("AM") => (Some(false), rest[2..].trim()),
        Some("PM") => (Some(true), rest[2..].trim()),
        _ => (None, rest),
    };
    if let Some(pm) = ampm {
        if !(1..=12).contains(&h) {
            return None;
        }
        h = h % 12 + if pm { 12 } else { 0 };
    }
    if h > 23 || m > 59 || sec > 60 {
        return None;
    }
    Some(format!("{h:02}:{m:02}:{sec:02}{}", zone_of(zone)?))
}

/// `Z`, `UTC`, `GMT`, `UT`, `+02:00`, `+0200`, `-05`: as `Z` or `±HH:MM`; empty: no zone.
fn zone_of(z: &str) -> Option<String> {
    match z.to_ascii_uppercase().as_str() {
        "" => return Some(String::new()),
        "Z" | "UTC" | "GMT" | "UT" => return Some("Z".into()),
        _ => {}
    }
    let (sign, digits) = (z.chars().next()?, z[1..].replace(':', ""));
    if !matches!(sign, '+' | '-') || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (h, m) = match digits.len() {
        2 => (digits.parse::<u32>().ok()?, 0),
        4 => (digits[..2].parse().ok()?, digits[2..].parse().ok()?),
        _ => return None,
    };
    (h <= 14 && m < 60).then(|| format!("{sign}{h:02}:{m:02}"))
}

/// RFC 2822: `[Day,] D Mon YYYY [HH:MM[:SS] zone]`.
fn rfc2822(t: &str) -> Option<String> {
    let t = t.split_once(',').map_or(t, |(day, rest)| if day.len() == 3 { rest } else { t }).trim();
    let mut words = t.split_whitespace();
    let d: u32 = words.next()?.parse().ok()?;
    let month = words.next()?.get(..3)?.to_ascii_lowercase();
    const MONTHS: [&str; 12] =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let m = MONTHS.iter().position(|&x| x == month)? as u32 + 1;
    let y: u32 = words.next()?.parse().ok()?;
    let day = valid(y, m, d)?;
    let rest: Vec<&str> = words.collect();
    if rest.is_empty() {
        return Some(day);
    }
    Some(format!("{day}T{}", time_and_zone(&rest.join(" "))?))
}

/// Whether the date `a` is later than `b` (both as [`read`] returns them). When either is
/// a bare day, only the days are compared: a translation updated "2024-05-31" is not older
/// than an original committed at 10:00 that day.
pub fn later(a: &str, b: &str) -> bool {
    if a.len() <= 10 || b.len() <= 10 {
        return a.get(..10) > b.get(..10);
    }
    match (instant(a), instant(b)) {
        (Some(x), Some(y)) => x > y,
        _ => a > b,
    }
}

/// Seconds since 1970 (UTC) of a date with a time; a time without a zone is taken as UTC.
fn instant(iso: &str) -> Option<i64> {
    let num = |r: std::ops::Range<usize>| iso.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let t = time_and_zone(iso.get(11..)?)?;
    let clock = |r: std::ops::Range<usize>| t.get(r)?.parse::<i64>().ok();
    let secs = clock(0..2)? * 3600 + clock(3..5)? * 60 + clock(6..8)?;
    let offset = match t.get(8..) {
        Some(z) if z.len() == 6 => {
            let mins = z[1..3].parse::<i64>().ok()? * 60 + z[4..6].parse::<i64>().ok()?;
            if z.starts_with('-') { -mins * 60 } else { mins * 60 }
        }
        _ => 0,
    };
    Some(days_from_civil(y, m, d) * 86_400 + secs - offset)
}

/// Today's date (`YYYY-MM-DD`, UTC), or the day of `SOURCE_DATE_EPOCH` when it is set,
/// so a build that depends on the date can be reproduced.
pub fn today() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
            now.map_or(0, |d| d.as_secs() as i64)
        });
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// The date `days` days after the day `iso` starts with (`None` if it is no date).
pub fn add_days(iso: &str, days: i64) -> Option<String> {
    let num = |r: std::ops::Range<usize>| iso.get(r)?.parse::<i64>().ok();
    let (y, m, d) = civil_from_days(days_from_civil(num(0..4)?, num(5..7)?, num(8..10)?) + days);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// The proleptic Gregorian date of a day number (days since 1970-01-01).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::{later, read};

    #[test]
    fn adds_days_across_months_and_leap_years() {
        assert_eq!(super::add_days("2024-02-28", 1).as_deref(), Some("2024-02-29"));
        assert_eq!(super::add_days("2023-02-28T10:00:00Z", 1).as_deref(), Some("2023-03-01"));
        assert_eq!(super::add_days("2024-12-31", 365).as_deref(), Some("2025-12-31"));
        assert_eq!(super::add_days("1999-12-31", 1).as_deref(), Some("2000-01-01"));
        assert_eq!(super::add_days("soon", 1), None);
    }

    #[test]
    fn orders_dates_across_zones_and_precisions() {
        assert!(later("2024-06-01", "2024-05-31T23:59:00Z"));
        assert!(!later("2024-05-31", "2024-05-31T10:00:00+02:00"));
        assert!(!later("2024-05-31T10:00:00+02:00", "2024-05-31"));
        assert!(later("2024-05-31T10:00:00+02:00", "2024-05-31T07:59:00Z"));
        assert!(!later("2024-05-31T10:00:00+02:00", "2024-05-31T08:00:01Z"));
        assert!(later("2024-03-01T00:00:00Z", "2024-02-29T23:00:00-00:30"));
        assert!(!later("2024-03-01T00:00:00Z", "2024-02-29T23:00:00-01:30"));
    }

    #[test]
    fn reads_the_forms_other_tools_write() {
        for (text, want) in [
            ("2024-05-31", "2024-05-31"),
            ("2024-05-31T09:30:00Z", "2024-05-31T09:30:00Z"),
            ("2024-05-31 09:30", "2024-05-31 09:30"),
            ("2024-05-31T09:30:00.123+02:00", "2024-05-31T09:30:00.123+02:00"),
            ("2024/05/31", "2024-05-31"),
            ("2024/5/3 14:05", "2024-05-03T14:05:00"),
            ("3/16/2020", "2020-03-16"),
            ("03/16/2020 10:00:00 AM", "2020-03-16T10:00:00"),
            ("3/16/2020 12:30 PM +0100", "2020-03-16T12:30:00+01:00"),
            ("16.03.2020", "2020-03-16"),
            ("16.03.2020 23:59 UTC", "2020-03-16T23:59:00Z"),
            ("Tue, 1 Jul 2003 10:52:37 +0200", "2003-07-01T10:52:37+02:00"),
            ("1 Jul 2003", "2003-07-01"),
            ("29 February 2024", "2024-02-29"),
        ] {
            assert_eq!(read(text).as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn rfc3339_for_feeds() {
        use super::rfc3339;
        assert_eq!(rfc3339("2024-05-31"), "2024-05-31T00:00:00Z");
        assert_eq!(rfc3339("2024-05-31 09:30"), "2024-05-31T09:30:00Z");
        assert_eq!(rfc3339("2024-05-31T09:30:00.5+0200"), "2024-05-31T09:30:00+02:00");
        assert_eq!(rfc3339("2003-07-01T10:52:37+02:00"), "2003-07-01T10:52:37+02:00");
    }

    #[test]
    fn refuses_what_is_no_date() {
        for text in [
            "",
            "soon",
            "2024-13-01",
            "2023-02-29",
            "31/12/2024",
            "12.31.2024",
            "2024-05-31x",
            "3/16/20",
            "2024-05-31T25:00",
            "13:00 PM 1/1/2020",
            "1/1/2020 9:30 +99",
            "0/1/2020",
        ] {
            assert_eq!(read(text), None, "{text:?}");
        }
    }
}
