//! The search tokenizer, made for knowledge-base text: error codes, cmdlets, KB numbers
//! and paths are kept whole *and* split into their parts.
//!
//! `themes/default/static/assets/search.js` implements the same splitting for queries; the
//! two are checked against each other in `tests/search_browser.rs`. Stemming happens only
//! here: the index maps every surface form to its stem, so the browser needs no stemmer.
//!
//! Rules, applied to each whitespace-separated chunk of the text:
//! 1. Fold: lower-case, and strip diacritics (NFKD, combining marks removed).
//! 2. Trim surrounding punctuation, keeping a closing `)` that balances an opening one
//!    (`AS(41000001)`).
//! 3. A chunk of letters and digits only is a word (`connector`, `kb5034441`); with both
//!    letters and digits it also yields its letter and digit runs (`kb`, `5034441`).
//! 4. A chunk with inner punctuation is a code: kept whole (`5.1.8`, `set-outboundconnector`,
//!    `c:\windows\system32`, up to [`MAX_CODE_LEN`] characters) and split at the
//!    punctuation into words (`set`, `outboundconnector`, `outbound`, `connector`).
//! 5. camelCase and PascalCase words also yield their humps (`OutboundConnector` →
//!    `outbound`, `connector`).
//! 6. Parts shorter than two characters are dropped (the `5`, `1`, `8` of `5.1.8`: the code
//!    itself is what finds them).

mod ascii;
mod cjk;

pub use super::lang::{Lang, STOP_WORDS, is_stop_word};
pub use cjk::is_cjk;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use ascii::ascii_chunk;
use cjk::cjk_chunk;

/// Longest code kept whole; longer chunks (URLs) are indexed by their parts only.
pub const MAX_CODE_LEN: usize = 48;

/// What a token is, which decides whether it is stemmed and typo-tolerated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Letters only: stemmed, typos tolerated.
    Word,
    /// Contains digits or punctuation: matched exactly.
    Code,
}

/// One token: its folded surface form and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Folded text as it appears (before stemming).
    pub text: String,
    /// Word or code.
    pub kind: Kind,
}

/// Fold one string: lower-case without diacritics.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// [`fold`] into a reused buffer (cleared first).
fn fold_into(s: &str, out: &mut String) {
    out.clear();
    if s.is_ascii() {
        out.extend(s.chars().map(|c| c.to_ascii_lowercase()));
    } else {
        out.extend(s.nfkd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase));
    }
}

/// Tokenize `text` into surface tokens (stop words included; the indexer drops them).
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    each_token(text, &mut |t, kind| out.push(Token { text: t.to_string(), kind }));
    out
}

/// Call `f` with every token of `text`, without allocating per token.
pub fn each_token(text: &str, f: &mut impl FnMut(&str, Kind)) {
    let mut buf = String::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Chunks end at whitespace; only non-ASCII bytes need a Unicode check.
        let start = i;
        let mut ascii = true;
        loop {
            i = next_special(bytes, i);
            let Some(&b) = bytes.get(i) else { break };
            if b < 0x80 {
                if b.is_ascii_whitespace() || b == 0x0b {
                    break;
                }
                i += 1; // A control character: part of the chunk.
            } else {
                let c = text[i..].chars().next().expect("char boundary");
                if c.is_whitespace() || c == '\u{200b}' {
                    break;
                }
                ascii = false;
                i += c.len_utf8();
            }
        }
        let chunk = &text[start..i];
        if i < bytes.len() {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        }
        if chunk.is_empty() {
            continue;
        }
        if ascii {
            ascii_chunk(chunk, &mut buf, f);
        } else {
            tokenize_chunk(chunk, &mut buf, f);
        }
    }
}

/// The first byte at or after `i` that may end a chunk: ASCII whitespace and control
/// characters (≤ 0x20) or the start of a non-ASCII character (≥ 0x80). Eight bytes at a time.
fn next_special(b: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(word) = b.get(i..i + 8) {
        let x = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        // Bytes below 0x21 (exact for the lowest one, which is all we use) or above 0x7f.
        let m = (x.wrapping_sub(ONES * 0x21) & !x & HIGH) | (x & HIGH);
        if m != 0 {
            return i + (m.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < b.len() && b[i] > 0x20 && b[i] < 0x80 {
        i += 1;
    }
    i
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

const LEAD: &[char] = &[
    '"', '\'', '“', '”', '‘', '’', '«', '»', '(', '[', '{', '<', '*', '_', '~', ',', ';', ':', '!', '?', '.',
    '`', '|', '&', '=', '「', '『', '（', '【', '、', '。', '，', '：', '；', '！', '？', '《', '〈', '・',
];
const TRAIL: &[char] = &[
    '"', '\'', '“', '”', '‘', '’', '«', '»', ')', ']', '}', '>', '*', '_', '~', ',', ';', ':', '!', '?', '.',
    '`', '|', '&', '=', '」', '』', '）', '】', '、', '。', '，', '：', '；', '！', '？', '》', '〉', '・',
];

/// Trim punctuation around a chunk, keeping a `)` that closes a `(` inside it.
fn trim_chunk(mut s: &str) -> &str {
    loop {
        let before = s.len();
        s = s.trim_start_matches(LEAD);
        if let Some(last) = s.chars().last()
            && TRAIL.contains(&last)
            && !(last == ')' && s.matches('(').count() >= s.matches(')').count())
        {
            s = &s[..s.len() - last.len_utf8()];
        }
        if s.len() == before {
            return s;
        }
    }
}

fn tokenize_chunk(raw: &str, buf: &mut String, f: &mut impl FnMut(&str, Kind)) {
    if raw.chars().any(is_cjk) {
        cjk_chunk(raw, buf, f);
        return;
    }
    let chunk = trim_chunk(raw);
    if chunk.is_empty() {
        return;
    }
    if chunk.chars().all(is_word_char) {
        push_word(chunk, true, buf, f);
        return;
    }
    // A code: whole, then its parts.
    fold_into(chunk, buf);
    if buf.chars().count() <= MAX_CODE_LEN && buf.chars().any(is_word_char) {
        f(buf, Kind::Code);
    }
    for part in chunk.split(|c: char| !is_word_char(c)) {
        if !part.is_empty() {
            push_word(part, false, buf, f);
        }
    }
}

/// Push a run of letters/digits, plus its letter/digit runs and camelCase humps.
fn push_word(word: &str, whole_counts: bool, buf: &mut String, f: &mut impl FnMut(&str, Kind)) {
    fold_into(word, buf);
    let has_digit = buf.chars().any(char::is_numeric);
    let kind = if has_digit { Kind::Code } else { Kind::Word };
    if buf.chars().nth(1).is_some() || (whole_counts && has_digit) {
        f(buf, kind);
    }
    // Humps only exist where case or digits change after the first character.
    if !(has_digit || word.chars().skip(1).any(char::is_uppercase)) {
        return;
    }
    let mut pieces = 0;
    humps(word, &mut |_| pieces += 1);
    if pieces > 1 {
        humps(word, &mut |p| {
            fold_into(p, buf);
            if buf.chars().nth(1).is_some() {
                let kind = if buf.chars().any(char::is_numeric) { Kind::Code } else { Kind::Word };
                f(buf, kind);
            }
        });
    }
}

/// Split at letter/digit boundaries and lower→upper case changes: `KB5034441` → `KB`,
/// `5034441`; `OutboundConnector` → `Outbound`, `Connector`; `HTTPServer` → `HTTP`, `Server`.
fn humps<'w>(word: &'w str, f: &mut impl FnMut(&'w str)) {
    let mut start = 0;
    let mut it = word.char_indices().peekable();
    let mut prev: Option<char> = None;
    while let Some((i, cur)) = it.next() {
        if let Some(prev) = prev {
            let next = it.peek().map(|x| x.1);
            let digit_change = prev.is_numeric() != cur.is_numeric();
            let lower_upper = prev.is_lowercase() && cur.is_uppercase();
            let acronym_end =
                prev.is_uppercase() && cur.is_uppercase() && next.is_some_and(char::is_lowercase);
            if (digit_change || lower_upper || acronym_end) && i > start {
                f(&word[start..i]);
                start = i;
            }
        }
        prev = Some(cur);
    }
    if start < word.len() {
        f(&word[start..]);
    }
}

/// The index term for a token: the stem for words (the word itself in a language without
/// a stemmer), the text itself for codes.
pub fn term_of(token: &Token, stemmer: Option<&rust_stemmers::Stemmer>) -> String {
    match (token.kind, stemmer) {
        (Kind::Word, Some(s)) => s.stem(&token.text).into_owned(),
        _ => token.text.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        tokenize(s).into_iter().map(|t| t.text).collect()
    }

    fn has(s: &str, want: &[&str]) {
        let got = texts(s);
        for w in want {
            assert!(got.iter().any(|g| g == w), "{s:?} should yield {w:?}; got {got:?}");
        }
    }

    fn both_paths(chunk: &str) {
        let mut buf = String::new();
        let mut fast = Vec::new();
        ascii_chunk(chunk, &mut buf, &mut |t, k| fast.push((t.to_string(), k)));
        let mut general = Vec::new();
        tokenize_chunk(chunk, &mut buf, &mut |t, k| general.push((t.to_string(), k)));
        assert_eq!(fast, general, "{chunk:?}");
    }

    #[test]
    fn the_ascii_path_agrees_with_the_general_path() {
        for chunk in [
            "connector",
            "Connector,",
            "(VPN)",
            "550",
            "8",
            "\"quoted\".",
            "a",
            "A",
            "x64",
            "KB5034441",
            "SharePoint",
            "HTTPServer",
            "AS(41000001)",
            "(AS(41000001))",
            "(parenthetical",
            "remark)",
            "x()",
            "--",
            "...",
            "5.1.8.",
            "Set-OutboundConnector",
            "e.g.",
            "_emphasis_",
            "**bold**",
            "`code`",
            "C:\\Windows\\System32",
            "0x80070005:",
            "-Identity",
            "SRV-APP03",
            "https://a.b/c-D?e=F&g",
        ] {
            both_paths(chunk);
        }
    }

    #[test]
    fn the_ascii_path_agrees_on_every_word_of_the_example_site_and_corpora() {
        let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut checked = 0;
        for dir in [repo.join("content"), repo.join("tests/fixtures"), repo.join("../shared/corpora")] {
            for e in walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok) {
                let Ok(text) = std::fs::read_to_string(e.path()) else { continue };
                for chunk in text.split_whitespace().filter(|c| c.is_ascii()) {
                    both_paths(chunk);
                    checked += 1;
                }
            }
        }
        assert!(checked > 10_000, "{checked}");
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_stop_word("the") && !is_stop_word("not"));
    }

    #[test]
    fn folds_case_and_diacritics() {
        assert_eq!(texts("Sécurité ÉTÉ naïve"), ["securite", "ete", "naive"]);
    }

    #[test]
    fn smtp_status_codes_whole_and_with_their_reply_code() {
        assert_eq!(texts("550 5.1.8"), ["550", "5.1.8"]);
        has("(550 5.1.8).", &["550", "5.1.8"]);
        assert!(!texts("5.1.8").contains(&"518".to_string()));
    }

    #[test]
    fn hex_error_codes() {
        has("error 0x80070005:", &["0x80070005", "80070005", "error"]);
    }

    #[test]
    fn parenthesised_codes_keep_their_parentheses() {
        has("sender AS(41000001)", &["as(41000001)", "as", "41000001"]);
        has("(see AS(41000001))", &["as(41000001)"]);
        has("(parenthetical remark)", &["parenthetical", "remark"]);
    }

    #[test]
    fn cmdlets_whole_parts_and_humps() {
        has(
            "Set-OutboundConnector -Identity",
            &["set-outboundconnector", "set", "outboundconnector", "outbound", "connector", "identity"],
        );
    }

    #[test]
    fn kb_numbers() {
        has("Install KB5034441.", &["kb5034441", "kb", "5034441"]);
    }

    #[test]
    fn windows_paths() {
        has(r"C:\Windows\System32", &[r"c:\windows\system32", "windows", "system32", "system", "32"]);
    }

    #[test]
    fn event_ids_and_plain_numbers() {
        assert_eq!(texts("event 7031"), ["event", "7031"]);
        has("port 8", &["8"]);
    }

    #[test]
    fn words_and_kinds() {
        let t = tokenize("Connector x64 sign-in");
        assert_eq!(t[0], Token { text: "connector".into(), kind: Kind::Word });
        assert!(t.iter().any(|t| t.text == "x64" && t.kind == Kind::Code));
        assert!(t.iter().any(|t| t.text == "sign-in" && t.kind == Kind::Code));
        assert!(t.iter().any(|t| t.text == "sign" && t.kind == Kind::Word));
    }

    #[test]
    fn long_urls_are_indexed_by_parts_only() {
        let t = texts(
            "https://docs.microsoft.com/en-gb/office365/troubleshoot/sign-In/determine-account-is-compromised",
        );
        assert!(t.iter().all(|t| t.chars().count() <= MAX_CODE_LEN));
        assert!(t.contains(&"compromised".to_string()));
    }

    #[test]
    fn stems_words_not_codes() {
        let s = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
        assert_eq!(term_of(&Token { text: "connectors".into(), kind: Kind::Word }, Some(&s)), "connector");
        assert_eq!(term_of(&Token { text: "receiving".into(), kind: Kind::Word }, Some(&s)), "receiv");
        assert_eq!(term_of(&Token { text: "5.1.8".into(), kind: Kind::Code }, Some(&s)), "5.1.8");
    }

    #[test]
    fn unspaced_scripts_become_character_pairs() {
        let toks = |t: &str| tokenize(t).into_iter().map(|t| t.text).collect::<Vec<_>>();
        assert_eq!(toks("設定を開く"), ["設定", "定を", "を開", "開く"]);
        assert_eq!(toks("Windows11の設定"), ["windows11", "windows", "11", "の設", "設定"]);
        assert_eq!(toks("「猫」。"), ["猫"]);
        assert_eq!(toks("ｶﾞｲﾄﾞ ガイド"), ["ガイ", "イド", "ガイ", "イド"]);
        assert_eq!(toks("설치하려면"), ["설치", "치하", "하려", "려면"]);
        assert!(tokenize("安装之前").iter().all(|t| t.kind == Kind::Code), "pairs are matched exactly");
    }

    #[test]
    fn each_language_has_its_stemmer_and_only_english_drops_stop_words() {
        let stem = |code: &str, w: &str| {
            let l = Lang::of(code);
            term_of(&Token { text: w.into(), kind: Kind::Word }, l.stemmer().as_ref())
        };
        assert_eq!(stem("fr", "ordinateurs"), stem("fr", "ordinateur"));
        assert_eq!(stem("de", "einstellungen"), stem("de", "einstellung"));
        assert_eq!(stem("es", "contraseñas"), stem("es", "contraseña"));
        assert_eq!(stem("ru", "настройки"), stem("ru", "настройка"));
        assert_ne!(stem("fr", "ordinateurs"), "ordinateurs");
        assert_eq!(stem("ja", "設定"), "設定");
        assert_eq!(stem("uk", "налаштування"), "налаштування");
        assert!(!Lang::of("en").stop_words().is_empty() && Lang::of("fr").stop_words().is_empty());
    }
}
