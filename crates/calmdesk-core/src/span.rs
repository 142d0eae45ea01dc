//! Evidence: byte spans into the original text, with the rule that found them.

use serde::Serialize;

/// A piece of the original text, by byte offsets that always fall on character boundaries.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

impl Span {
    /// The span `start..end` of `source`. Offsets off a character boundary are moved outwards
    /// to the nearest boundary, and both are clamped to the text, so a span is always valid.
    pub fn of(source: &str, start: usize, end: usize) -> Span {
        let mut start = start.min(source.len());
        let mut end = end.clamp(start, source.len());
        while !source.is_char_boundary(start) {
            start -= 1;
        }
        while !source.is_char_boundary(end) {
            end += 1;
        }
        Span {
            start,
            end,
            text: source[start..end].to_owned(),
        }
    }
}

/// A span that a rule found, named by the rule's id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Evidence {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// The id of the rule that matched, such as `abuse.insult_at_agent`.
    pub rule: &'static str,
}

impl Evidence {
    /// Evidence for `start..end` of `source`, found by `rule`.
    pub fn of(source: &str, start: usize, end: usize, rule: &'static str) -> Evidence {
        let span = Span::of(source, start, end);
        Evidence {
            start: span.start,
            end: span.end,
            text: span.text,
            rule,
        }
    }

    /// The span alone.
    pub fn span(&self) -> Span {
        Span {
            start: self.start,
            end: self.end,
            text: self.text.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_snap_to_character_boundaries() {
        let text = "héllo";
        let span = Span::of(text, 2, 3);
        assert_eq!((span.start, span.end, span.text.as_str()), (1, 3, "é"));
        assert_eq!(Span::of(text, 4, 99).text, "lo");
    }
}
