//! The tokenizer's fast path for chunks of ASCII text (most of an English KB): the same
//! tokens as the general path, worked out on bytes without allocating per token.

use super::{Kind, MAX_CODE_LEN};

/// [`tokenize_chunk`](super::tokenize_chunk) for an ASCII chunk, on bytes and without allocating: the same
/// tokens (checked against the general path in the tests), several times faster.
pub(super) fn ascii_chunk(raw: &str, buf: &mut String, f: &mut impl FnMut(&str, Kind)) {
    let (s, e) = trim_ascii(raw.as_bytes());
    if s == e {
        return;
    }
    let chunk = &raw[s..e];
    let class = chunk.bytes().fold(0u8, |acc, b| acc | CLASS[b as usize]);
    if class == LOWER {
        // The common case: a plain lower-case word.
        if chunk.len() > 1 {
            f(chunk, Kind::Word);
        }
        return;
    }
    if class & OTHER == 0 {
        ascii_push_word(chunk, true, buf, f);
        return;
    }
    // A code: whole, then its parts.
    buf.clear();
    buf.push_str(chunk);
    buf.make_ascii_lowercase();
    if buf.len() <= MAX_CODE_LEN && buf.bytes().any(|b| b.is_ascii_alphanumeric()) {
        f(buf, Kind::Code);
    }
    for part in chunk.split(|c: char| !c.is_ascii_alphanumeric()) {
        if !part.is_empty() {
            ascii_push_word(part, false, buf, f);
        }
    }
}

/// Byte classes for [`ascii_chunk`].
const LOWER: u8 = 1;
const UPPER: u8 = 2;
const DIGIT: u8 = 4;
const OTHER: u8 = 8;
const CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = match c as u8 {
            b'a'..=b'z' => LOWER,
            b'A'..=b'Z' => UPPER,
            b'0'..=b'9' => DIGIT,
            _ => OTHER,
        };
        c += 1;
    }
    t
};

/// [`trim_chunk`](super::trim_chunk) on bytes.
fn trim_ascii(b: &[u8]) -> (usize, usize) {
    let (mut s, mut e) = (0, b.len());
    if e == 0 || !(ASCII_LEAD[b[0] as usize] || ASCII_TRAIL[b[e - 1] as usize]) {
        return (s, e);
    }
    loop {
        let before = (s, e);
        while s < e && ASCII_LEAD[b[s] as usize] {
            s += 1;
        }
        if e > s && ASCII_TRAIL[b[e - 1] as usize] {
            let inner = &b[s..e];
            let count = |c: u8| inner.iter().filter(|&&x| x == c).count();
            if !(b[e - 1] == b')' && count(b'(') >= count(b')')) {
                e -= 1;
            }
        }
        if (s, e) == before {
            return (s, e);
        }
    }
}

/// [`push_word`](super::push_word) for an ASCII letters-and-digits run.
fn ascii_push_word(word: &str, whole_counts: bool, buf: &mut String, f: &mut impl FnMut(&str, Kind)) {
    let b = word.as_bytes();
    let has_digit = b.iter().any(u8::is_ascii_digit);
    let inner_upper = b[1..].iter().any(u8::is_ascii_uppercase);
    let kind = if has_digit { Kind::Code } else { Kind::Word };
    if b.len() > 1 || (whole_counts && has_digit) {
        if b.iter().any(u8::is_ascii_uppercase) {
            buf.clear();
            buf.push_str(word);
            buf.make_ascii_lowercase();
            f(buf, kind);
        } else {
            f(word, kind);
        }
    }
    if !(has_digit || inner_upper) {
        return;
    }
    let mut pieces = 0;
    ascii_humps(b, &mut |_, _| pieces += 1);
    if pieces > 1 {
        ascii_humps(b, &mut |from, to| {
            if to - from > 1 {
                buf.clear();
                buf.push_str(&word[from..to]);
                buf.make_ascii_lowercase();
                let kind = if b[from..to].iter().any(u8::is_ascii_digit) { Kind::Code } else { Kind::Word };
                f(buf, kind);
            }
        });
    }
}

/// [`humps`](super::humps) on bytes: calls `f(from, to)` for each piece.
fn ascii_humps(b: &[u8], f: &mut impl FnMut(usize, usize)) {
    let mut start = 0;
    for i in 1..b.len() {
        let (prev, cur) = (b[i - 1], b[i]);
        let next = b.get(i + 1).copied();
        let digit_change = prev.is_ascii_digit() != cur.is_ascii_digit();
        let lower_upper = prev.is_ascii_lowercase() && cur.is_ascii_uppercase();
        let acronym_end = prev.is_ascii_uppercase()
            && cur.is_ascii_uppercase()
            && next.is_some_and(|n| n.is_ascii_lowercase());
        if digit_change || lower_upper || acronym_end {
            f(start, i);
            start = i;
        }
    }
    if start < b.len() {
        f(start, b.len());
    }
}

/// [`LEAD`](super::LEAD) and [`TRAIL`](super::TRAIL)'s ASCII members as byte tables.
const ASCII_LEAD: [bool; 128] = ascii_table(b"\"'([{<*_~,;:!?.`|&=");
const ASCII_TRAIL: [bool; 128] = ascii_table(b"\"')]}>*_~,;:!?.`|&=");

const fn ascii_table(set: &[u8]) -> [bool; 128] {
    let mut t = [false; 128];
    let mut i = 0;
    while i < set.len() {
        t[set[i] as usize] = true;
        i += 1;
    }
    t
}
