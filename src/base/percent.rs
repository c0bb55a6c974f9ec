//! Percent coding of URL paths: decoding what authors and browsers write (`app%20console`)
//! and encoding file paths for `href`s.

/// Decode percent escapes, leaving malformed ones as written (a link in a page is read as
/// leniently as a browser reads it).
pub fn decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Decode percent escapes strictly: `None` for a malformed escape or invalid UTF-8 (a
/// request path that no file can have).
pub fn decode_strict(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Percent-encode the characters of a path that are not safe in an `href`.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_and_strict_decoding() {
        assert_eq!(decode("a%20b"), "a b");
        assert_eq!(decode("%é%2"), "%é%2", "malformed escapes stay as written");
        assert_eq!(decode_strict("/a%20b").as_deref(), Some("/a b"));
        assert_eq!(decode_strict("/a%2"), None);
        assert_eq!(decode_strict("/%ff"), None, "not UTF-8");
    }

    #[test]
    fn encodes_spaces() {
        assert_eq!(encode_path("/a/b c(1).png"), "/a/b%20c(1).png");
    }
}
