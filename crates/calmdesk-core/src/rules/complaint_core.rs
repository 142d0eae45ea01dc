//! The complaint core: the customer's message with the abuse aimed at the agent set aside, tidied
//! so that it still reads as the customer's own words.
//!
//! Removing "you useless idiot" from "Where is my order, you useless idiot? I paid $50!" leaves a
//! comma with nothing after it, so the tidying drops it: the core reads "Where is my order? I
//! paid $50!". In the same way it drops a "you" or an "and" left hanging by a removal, a whole
//! sentence that was nothing but abuse, and the space a removal leaves before punctuation, and it
//! capitalises a sentence whose opening words were removed. Everything else is left exactly as
//! the customer wrote it.

use serde::Serialize;

use crate::span::{Evidence, Span};

/// The complaint with the abuse aimed at the agent set aside.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComplaintCore {
    /// The tidied text.
    pub text: String,
    /// The spans of the original text that were removed, tidying included.
    pub removed: Vec<Span>,
}

/// Conjunctions that a removal may leave hanging: "late and [you are useless]."
const CONJUNCTIONS: &[&str] = &["and", "but", "so", "or", "plus"];

/// Whether `c` ends a sentence.
fn ends_sentence(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

/// Whether `c` is punctuation that sits right after a word, with no space before it.
fn hugs_previous_word(c: char) -> bool {
    matches!(c, ',' | '.' | '!' | '?' | ';' | ':' | ')' | '…')
}

/// The word that ends just before byte `at` (after any spaces), and where it starts.
fn word_before(text: &str, at: usize) -> Option<(usize, &str)> {
    let before = text[..at].trim_end_matches([' ', '\t']);
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '\'' || *c == '\u{2019}')
        .last()
        .map(|(index, _)| index)?;
    Some((start, &before[start..]))
}

/// The word that starts just after byte `at` (after any spaces), and where it ends.
fn word_after(text: &str, at: usize) -> Option<(usize, &str)> {
    let after = &text[at..];
    let skipped = after.len() - after.trim_start_matches([' ', '\t']).len();
    let rest = &after[skipped..];
    let length = rest
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '\'' || *c == '\u{2019}'))
        .map_or(rest.len(), |(index, _)| index);
    (length > 0).then(|| (at + skipped + length, &rest[..length]))
}

/// A removal, grown to take the punctuation and words it would leave hanging.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Removal {
    start: usize,
    end: usize,
    /// Whether the text after the removal now opens a sentence and needs a capital.
    capitalise_after: bool,
}

/// Grows the removal of `start..end` of `text` over what it would leave hanging.
fn grow(text: &str, start: usize, end: usize) -> Removal {
    let mut start = start;
    let mut end = end;
    let started_upper = text[start..].chars().next().is_some_and(char::is_uppercase);
    // A "you" just before an insult that the caller did not include: "you [idiot]".
    if let Some((word_start, word)) = word_before(text, start) {
        let starts_with_you = text[start..]
            .get(..3)
            .is_some_and(|w| w.eq_ignore_ascii_case("you"));
        let thanked =
            word_before(text, word_start).is_some_and(|(_, w)| w.eq_ignore_ascii_case("thank"));
        if (word.eq_ignore_ascii_case("you") || word.eq_ignore_ascii_case("u"))
            && !starts_with_you
            && !thanked
        {
            start = word_start;
        }
    }
    let after = text[end..].trim_start_matches([' ', '\t']);
    let next = after.chars().next();
    let at_sentence_end = next.is_none_or(ends_sentence) || after.starts_with('\n');
    // A conjunction left with nothing to join: "late and [you are useless]."
    if at_sentence_end {
        if let Some((word_start, word)) = word_before(text, start) {
            if CONJUNCTIONS.iter().any(|c| word.eq_ignore_ascii_case(c))
                && word_before(text, word_start).is_some()
            {
                start = word_start;
            }
        }
    }
    let before = text[..start].trim_end_matches([' ', '\t']);
    let previous = before.chars().next_back();
    let opens_sentence = previous.is_none_or(ends_sentence) || before.ends_with('\n');
    // A comma left with nothing after it: "my order[, you idiot]?"
    if previous == Some(',') && (at_sentence_end || matches!(next, Some(',' | ';' | ':'))) {
        start = before.len() - 1;
        return Removal {
            start,
            end,
            capitalise_after: false,
        };
    }
    if opens_sentence {
        let gap = text.len() - after.len();
        if next == Some(',') {
            // "[You idiot], where is my order?" drops the comma too.
            end = gap + 1;
        } else if at_sentence_end && next.is_some() {
            // A sentence of nothing but abuse goes with its punctuation: "[Are you stupid]?"
            let marks = after.len() - after.trim_start_matches(|c: char| ends_sentence(c)).len();
            end = gap + marks;
        } else if let Some((word_end, word)) = word_after(text, end) {
            // "[Your staff are morons] and I want a refund" drops the "and".
            if CONJUNCTIONS.iter().any(|c| word.eq_ignore_ascii_case(c)) {
                end = word_end;
            }
        }
        let capitalise_after = started_upper || previous.is_some();
        return Removal {
            start,
            end,
            capitalise_after,
        };
    }
    Removal {
        start,
        end,
        capitalise_after: false,
    }
}

/// Upper-cases the first letter of `piece`, if it starts with one.
fn capitalise(piece: &str) -> String {
    let mut chars = piece.chars();
    match chars.next() {
        Some(first) if first.is_lowercase() => first.to_uppercase().chain(chars).collect(),
        _ => piece.to_owned(),
    }
}

/// `text` with the spans of `set_aside` removed and the result tidied.
pub fn complaint_core(text: &str, set_aside: &[Evidence]) -> ComplaintCore {
    let mut spans: Vec<(usize, usize)> = set_aside
        .iter()
        .map(|evidence| {
            let span = Span::of(text, evidence.start, evidence.end);
            (span.start, span.end)
        })
        .filter(|(start, end)| start < end)
        .collect();
    if spans.is_empty() {
        return ComplaintCore {
            text: text.to_owned(),
            removed: Vec::new(),
        };
    }
    spans.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (start, end) in spans {
        match merged.last_mut() {
            Some(last) if text[last.1.min(start)..start].trim().is_empty() => {
                last.1 = last.1.max(end)
            }
            _ => merged.push((start, end)),
        }
    }
    let mut removals: Vec<Removal> = Vec::new();
    for (start, end) in merged {
        let removal = grow(text, start, end);
        match removals.last_mut() {
            Some(last) if removal.start <= last.end => {
                last.end = last.end.max(removal.end);
                last.capitalise_after = removal.capitalise_after;
            }
            _ => removals.push(removal),
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0;
    let mut capitalise_next = false;
    for removal in &removals {
        append_piece(
            &mut out,
            &text[cursor..removal.start],
            capitalise_next,
            cursor > 0,
        );
        cursor = removal.end;
        capitalise_next = removal.capitalise_after;
    }
    append_piece(&mut out, &text[cursor..], capitalise_next, cursor > 0);
    ComplaintCore {
        text: out.trim().to_owned(),
        removed: removals
            .iter()
            .map(|r| Span::of(text, r.start, r.end))
            .collect(),
    }
}

/// Appends `piece` to `out`; when `after_removal`, joins the two with a single space, or none
/// before punctuation, at a line break or at the very start.
fn append_piece(out: &mut String, piece: &str, capitalise_first: bool, after_removal: bool) {
    if !after_removal {
        out.push_str(piece);
        return;
    }
    let trimmed_out = out.trim_end_matches([' ', '\t']).len();
    out.truncate(trimmed_out);
    let piece = piece.trim_start_matches([' ', '\t']);
    let piece = if capitalise_first {
        capitalise(piece)
    } else {
        piece.to_owned()
    };
    let needs_space = !out.is_empty()
        && !out.ends_with('\n')
        && piece
            .chars()
            .next()
            .is_some_and(|c| !hugs_previous_word(c) && c != '\n');
    if needs_space {
        out.push(' ');
    }
    out.push_str(&piece);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::strip_markers;

    /// Checks that setting aside the marked spans leaves `expected`.
    fn check(marked: &str, expected: &str) {
        let (text, spans) = strip_markers(marked);
        let set_aside: Vec<Evidence> = spans
            .iter()
            .map(|&(start, end)| Evidence::of(&text, start, end, "abuse.insult_at_agent"))
            .collect();
        let core = complaint_core(&text, &set_aside);
        assert_eq!(core.text, expected, "core of {text:?}");
        for span in &core.removed {
            assert_eq!(text[span.start..span.end], span.text);
        }
    }

    #[test]
    fn a_trailing_insult_takes_its_comma() {
        check(
            "Where is my order, [[you useless idiot]]? I paid $50!",
            "Where is my order? I paid $50!",
        );
        check("Still nothing, [[idiot]].", "Still nothing.");
    }

    #[test]
    fn an_insult_between_commas_leaves_one_comma() {
        check(
            "I want my refund, [[you fucking idiot]], today.",
            "I want my refund, today.",
        );
    }

    #[test]
    fn an_opening_insult_takes_its_comma_and_the_sentence_keeps_its_capital() {
        check("[[You idiot]], where is my order?", "Where is my order?");
    }

    #[test]
    fn a_sentence_of_nothing_but_abuse_goes_entirely() {
        check("[[Fuck you]]! I want a refund.", "I want a refund.");
        check("I want a refund. [[Are you stupid]]?", "I want a refund.");
    }

    #[test]
    fn hanging_conjunctions_and_you_are_dropped() {
        check(
            "My order is late and [[you are useless]].",
            "My order is late.",
        );
        check(
            "[[Your staff are morons]] and I want a refund.",
            "I want a refund.",
        );
        check("Refund me now you [[useless idiot]]!", "Refund me now!");
    }

    #[test]
    fn nothing_set_aside_leaves_the_text_as_written() {
        check("where is my  damn parcel ", "where is my  damn parcel ");
    }

    #[test]
    fn thanking_is_kept_when_the_insult_after_it_goes() {
        check("Thank you, [[idiot]].", "Thank you.");
    }
}
