//! Ordering: weight first, then a case-insensitive natural comparison of titles, so that
//! "Step 2" sorts before "Step 10".

use std::cmp::Ordering;

/// Compare two strings naturally: digit runs by value, the rest case-insensitively.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut ai, mut bi) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (ai.peek().copied(), bi.peek().copied()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let na = take_digits(&mut ai);
                let nb = take_digits(&mut bi);
                let (ta, tb) = (na.trim_start_matches('0'), nb.trim_start_matches('0'));
                let ord = ta.len().cmp(&tb.len()).then_with(|| ta.cmp(tb));
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            (Some(x), Some(y)) => {
                let ord = x.to_lowercase().cmp(y.to_lowercase());
                if ord != Ordering::Equal {
                    return ord;
                }
                ai.next();
                bi.next();
            }
        }
    }
}

fn take_digits(it: &mut std::iter::Peekable<std::str::Chars>) -> String {
    let mut s = String::new();
    while let Some(c) = it.peek().copied().filter(char::is_ascii_digit) {
        s.push(c);
        it.next();
    }
    s
}

/// Sort key comparison: explicit weights first (ascending), then unweighted; ties by title.
pub fn weight_title_cmp(wa: Option<i64>, ta: &str, wb: Option<i64>, tb: &str) -> Ordering {
    let key = |w: Option<i64>| (w.is_none(), w.unwrap_or(0));
    key(wa).cmp(&key(wb)).then_with(|| natural_cmp(ta, tb))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut v = vec!["Step 10", "step 2", "Step 1", "apple", "Banana"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, ["apple", "Banana", "Step 1", "step 2", "Step 10"]);
    }

    #[test]
    fn weight_before_title() {
        assert_eq!(weight_title_cmp(Some(5), "z", None, "a"), Ordering::Less);
        assert_eq!(weight_title_cmp(Some(1), "z", Some(2), "a"), Ordering::Less);
        assert_eq!(weight_title_cmp(None, "b", None, "a"), Ordering::Greater);
    }
}
