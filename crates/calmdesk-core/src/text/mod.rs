//! Text as the models see it: hashed word and character n-grams.

pub mod abuse_cues;
pub mod cues;
pub mod features;
pub mod negation;
pub mod strategies;
pub mod valence;

/// Whether `c` belongs to a word for the scanners of `text` (negation, strategies, cues,
/// valence): a letter or digit, or an apostrophe, straight or curly.
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '\u{2019}'
}

/// What [`scan_words`] hands over: a run of word characters (its byte span), or a character
/// between two runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Piece {
    Word(usize, usize),
    Other(char),
}

/// Hands `piece` the runs of word characters of `text` (see [`is_word_char`]) and the other
/// characters, in order. ASCII text, most messages, is read a byte at a time.
pub(crate) fn scan_words(text: &str, mut piece: impl FnMut(Piece)) {
    let mut start = None;
    if text.is_ascii() {
        for (at, &b) in text.as_bytes().iter().enumerate() {
            if b.is_ascii_alphanumeric() || b == b'\'' {
                start.get_or_insert(at);
                continue;
            }
            if let Some(from) = start.take() {
                piece(Piece::Word(from, at));
            }
            piece(Piece::Other(char::from(b)));
        }
    } else {
        for (at, c) in text.char_indices() {
            if is_word_char(c) {
                start.get_or_insert(at);
                continue;
            }
            if let Some(from) = start.take() {
                piece(Piece::Word(from, at));
            }
            piece(Piece::Other(c));
        }
    }
    if let Some(from) = start {
        piece(Piece::Word(from, text.len()));
    }
}

/// `word` lower-cased with straight apostrophes: borrowed when it already is (most words),
/// else written into `buffer` (see `negation::fold`).
pub(crate) fn folded<'w>(word: &'w str, buffer: &'w mut String) -> &'w str {
    if word
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        return word;
    }
    negation::fold(word, buffer);
    buffer
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pieces of `text` by the definition: every character judged as it comes.
    fn plain_pieces(text: &str) -> Vec<Piece> {
        let mut out = Vec::new();
        let mut start = None;
        for (at, c) in text.char_indices() {
            if is_word_char(c) {
                start.get_or_insert(at);
                continue;
            }
            if let Some(from) = start.take() {
                out.push(Piece::Word(from, at));
            }
            out.push(Piece::Other(c));
        }
        if let Some(from) = start {
            out.push(Piece::Word(from, text.len()));
        }
        out
    }

    #[test]
    fn words_are_scanned_as_every_character_judged_alone() {
        for text in [
            "",
            "a",
            "Don't stop, it's NOT fine!",
            "don’t ÇOK 漢字 😡 a'b",
            " lead and trail ",
            "12 x3'",
        ] {
            let mut fast = Vec::new();
            scan_words(text, |p| fast.push(p));
            assert_eq!(fast, plain_pieces(text), "{text:?}");
        }
    }

    #[test]
    fn words_are_folded_or_borrowed() {
        let mut buffer = String::new();
        assert_eq!(folded("plain", &mut buffer), "plain");
        assert_eq!(folded("DON’T", &mut buffer), "don't");
        assert_eq!(folded("İi", &mut buffer), "i\u{307}i");
    }
}
