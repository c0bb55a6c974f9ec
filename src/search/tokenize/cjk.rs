//! Chinese, Japanese and Korean text, written without spaces between words: indexed as
//! overlapping character pairs.

use unicode_normalization::UnicodeNormalization;

use super::{Kind, tokenize_chunk};

/// Whether `c` is written without spaces between words: Han, kana, Hangul.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11ff // Hangul jamo
        | 0x3040..=0x309f // hiragana
        | 0x30a1..=0x30fa // katakana
        | 0x30fc..=0x30ff // the prolonged sound mark, iteration marks
        | 0x3130..=0x318f // Hangul compatibility jamo
        | 0x31f0..=0x31ff // katakana extensions
        | 0x3400..=0x4dbf // Han extension A
        | 0x4e00..=0x9fff // Han
        | 0xa960..=0xa97f // Hangul jamo extended A
        | 0xac00..=0xd7af // Hangul syllables
        | 0xd7b0..=0xd7ff // Hangul jamo extended B
        | 0xf900..=0xfaff // Han compatibility
        | 0xff66..=0xff9f // half-width katakana
        | 0x20000..=0x3134f // Han extensions B–H
    )
}

/// A chunk holding Chinese, Japanese or Korean text, which has no spaces between words:
/// each run of those characters becomes its overlapping character pairs (bigrams; a lone
/// character is itself), so a word inside a sentence is found by the pairs it is made of.
/// The text around the runs is tokenized as chunks of its own (`Windows11の設定` gives
/// `windows11`, `windows`, `11`, `の設`, `設定`).
pub(super) fn cjk_chunk(raw: &str, buf: &mut String, f: &mut impl FnMut(&str, Kind)) {
    let mut start = 0;
    let mut in_cjk = raw.chars().next().is_some_and(is_cjk);
    for (i, c) in raw.char_indices().chain(std::iter::once((raw.len(), ' '))) {
        let cjk = i < raw.len() && is_cjk(c);
        if cjk == in_cjk && i < raw.len() {
            continue;
        }
        let run = &raw[start..i];
        if in_cjk {
            cjk_run(run, buf, f);
        } else if !run.is_empty() {
            tokenize_chunk(run, buf, f);
        }
        (start, in_cjk) = (i, cjk);
    }
}

/// The bigrams of one run of CJK characters, folded by NFKC (half-width kana made
/// full-width; kana keep their voicing marks, which change the word).
fn cjk_run(run: &str, buf: &mut String, f: &mut impl FnMut(&str, Kind)) {
    let folded: Vec<char> = run.nfkc().flat_map(char::to_lowercase).collect();
    if folded.len() == 1 {
        buf.clear();
        buf.push(folded[0]);
        f(buf, Kind::Code);
        return;
    }
    for pair in folded.windows(2) {
        buf.clear();
        buf.extend(pair);
        f(buf, Kind::Code);
    }
}
