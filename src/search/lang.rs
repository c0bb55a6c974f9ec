//! How one language's words become index terms: its Snowball stemmer where there is one,
//! and the stop words dropped (English only).

/// English words too common to be worth an index entry.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "if", "in", "into", "is",
    "it", "its", "of", "on", "or", "that", "the", "their", "then", "there", "these", "this", "to", "was",
    "were", "which", "will", "with", "you", "your",
];

/// How one language's words become index terms: its Snowball stemmer where there is one,
/// and whether the English stop words are dropped (only in English: `a`, `on`, `des`… are
/// words in other languages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lang {
    stemmer: Option<rust_stemmers::Algorithm>,
    english: bool,
}

impl Lang {
    /// The rules for BCP 47 code `code` (`pt-br` is Portuguese).
    pub fn of(code: &str) -> Lang {
        use rust_stemmers::Algorithm as A;
        let base = code.split('-').next().unwrap_or(code).to_ascii_lowercase();
        let stemmer = match base.as_str() {
            "ar" => Some(A::Arabic),
            "da" => Some(A::Danish),
            "nl" => Some(A::Dutch),
            "en" => Some(A::English),
            "fi" => Some(A::Finnish),
            "fr" => Some(A::French),
            "de" => Some(A::German),
            "el" => Some(A::Greek),
            "hu" => Some(A::Hungarian),
            "it" => Some(A::Italian),
            "no" | "nb" | "nn" => Some(A::Norwegian),
            "pt" => Some(A::Portuguese),
            "ro" => Some(A::Romanian),
            "ru" => Some(A::Russian),
            "es" => Some(A::Spanish),
            "sv" => Some(A::Swedish),
            "ta" => Some(A::Tamil),
            "tr" => Some(A::Turkish),
            _ => None,
        };
        Lang { stemmer, english: base == "en" }
    }

    /// The stemmer, `None` for a language without one (words are their own terms).
    pub fn stemmer(&self) -> Option<rust_stemmers::Stemmer> {
        self.stemmer.map(rust_stemmers::Stemmer::create)
    }

    /// The stop words dropped from the index and from queries.
    pub fn stop_words(&self) -> &'static [&'static str] {
        if self.english { STOP_WORDS } else { &[] }
    }
}

impl Default for Lang {
    fn default() -> Self {
        Lang::of("en")
    }
}

/// Is this folded word a stop word?
pub fn is_stop_word(w: &str) -> bool {
    // Every stop word is 1–5 bytes; most tokens are longer and skip the search.
    w.len() <= 5 && STOP_WORDS.binary_search(&w).is_ok()
}
