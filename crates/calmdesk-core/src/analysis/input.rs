//! Messy input made readable without moving a byte: HTML tags and entities are blanked out
//! with spaces of the same length, so every span found in the cleaned text is also a span of
//! the original.

/// Something about the input worth telling the caller; never an error.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// A stable code: `empty`, `no_words`, `only_mentions`, `html`, `invalid_utf8`, `long`.
    pub code: &'static str,
    pub message: String,
}

/// Texts longer than this are read only up to here by the models (rules read everything).
pub const MODEL_TEXT_LIMIT: usize = 20_000;

/// Decodes bytes, replacing invalid UTF-8, and says so.
pub fn decode(bytes: &[u8]) -> (String, Vec<Diagnostic>) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), Vec::new()),
        Err(_) => (
            String::from_utf8_lossy(bytes).into_owned(),
            vec![Diagnostic {
                code: "invalid_utf8",
                message: "the input was not valid UTF-8; invalid bytes were replaced with U+FFFD"
                    .into(),
            }],
        ),
    }
}

/// Whether the text looks like HTML mail.
fn looks_like_html(text: &str) -> bool {
    let head = text.get(..text.len().min(2000)).unwrap_or(text);
    if !head.as_bytes().contains(&b'<') {
        return false;
    }
    let lower = head.to_ascii_lowercase();
    [
        "<html", "<body", "<div", "<p>", "<br", "<span", "<table", "</p>",
    ]
    .iter()
    .any(|tag| lower.contains(tag))
}

/// Blanks out HTML tags, comments, style and script contents and entities with spaces of the
/// same byte length.
fn blank_html(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let lower = text.to_ascii_lowercase();
    let lower = lower.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'<' {
            let skip_until: &[u8] = if lower[i..].starts_with(b"<style") {
                b"</style>"
            } else if lower[i..].starts_with(b"<script") {
                b"</script>"
            } else if lower[i..].starts_with(b"<!--") {
                b"-->"
            } else {
                b">"
            };
            let end = lower[i..]
                .windows(skip_until.len())
                .position(|w| w == skip_until)
                .map(|p| i + p + skip_until.len())
                .unwrap_or(bytes.len());
            out[i..end].fill(b' ');
            i = end;
        } else if bytes[i] == b'&' {
            let end = bytes[i..]
                .iter()
                .take(10)
                .position(|&b| b == b';')
                .map(|p| i + p + 1);
            match end {
                Some(end)
                    if bytes[i + 1..end - 1]
                        .iter()
                        .all(|b| b.is_ascii_alphanumeric() || *b == b'#') =>
                {
                    out[i..end].fill(b' ');
                    i = end;
                }
                _ => i += 1,
            }
        } else {
            i += 1;
        }
    }
    // Only ASCII bytes were replaced by ASCII spaces, so the result is still valid UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// Whether every word of `text` is an @handle, a link or plain punctuation, as in a tweet that
/// only tags a company ("@AcmeHelp") or shares a link: the models would read their learnt
/// prior for handles and links alone, which is not what the customer said.
fn only_mentions(text: &str) -> bool {
    let mut any = false;
    for piece in text.split_whitespace() {
        let word = piece.trim_matches(|c: char| c.is_ascii_punctuation() && c != '@');
        if word.len() > 1 && word.starts_with('@')
            || word.starts_with("http://")
            || word.starts_with("https://")
            || word.starts_with("www.")
        {
            any = true;
        } else if !word.is_empty() {
            return false;
        }
    }
    any
}

/// The text the rules and models read, with diagnostics about the input.
pub fn prepare(text: &str) -> (String, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    if text.trim().is_empty() {
        diagnostics.push(Diagnostic {
            code: "empty",
            message: "the message is empty".into(),
        });
    } else if !text.chars().any(char::is_alphanumeric) {
        diagnostics.push(Diagnostic {
            code: "no_words",
            message: "the message has no words (only symbols or emoji)".into(),
        });
    } else if only_mentions(text) {
        diagnostics.push(Diagnostic {
            code: "only_mentions",
            message: "the message has only @handles and links; the models read it as empty".into(),
        });
    }
    let cleaned = if looks_like_html(text) {
        diagnostics.push(Diagnostic {
            code: "html",
            message: "the message looks like HTML; tags and entities were ignored".into(),
        });
        blank_html(text)
    } else {
        text.to_owned()
    };
    if text.len() > MODEL_TEXT_LIMIT {
        diagnostics.push(Diagnostic {
            code: "long",
            message: format!(
                "the message is {} bytes; the models read its first {MODEL_TEXT_LIMIT}",
                text.len()
            ),
        });
    }
    (cleaned, diagnostics)
}

/// At most [`MODEL_TEXT_LIMIT`] bytes of `text`, cut on a character boundary.
pub fn model_part(text: &str) -> &str {
    let mut end = text.len().min(MODEL_TEXT_LIMIT);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_blanked_without_moving_a_byte() {
        let html = "<p>Where&nbsp;is <b>my</b> order?</p>";
        let (clean, diagnostics) = prepare(html);
        assert_eq!(clean.len(), html.len());
        assert_eq!(
            clean.split_whitespace().collect::<Vec<_>>(),
            ["Where", "is", "my", "order?"]
        );
        assert_eq!(diagnostics[0].code, "html");
    }

    #[test]
    fn a_message_of_only_handles_and_links_is_told_apart() {
        let code = |text: &str| prepare(text).1.first().map(|d| d.code);
        for text in [
            "@DELTA",
            "@116407 @116136  https://t.co/0smhgLv0BL",
            " @AcmeHelp!! ",
            "www.x.co ...",
        ] {
            assert_eq!(code(text), Some("only_mentions"), "{text:?}");
        }
        for text in [
            "@DELTA help",
            "@AcmeHelp 😡",
            "@ @",
            "email me at a@b.co",
            "@AcmeHelp #fail",
            "Hi",
        ] {
            assert_ne!(code(text), Some("only_mentions"), "{text:?}");
        }
    }

    #[test]
    fn invalid_utf8_is_replaced_and_reported() {
        let (text, diagnostics) = decode(b"bad \xff byte");
        assert!(text.contains('\u{FFFD}'));
        assert_eq!(diagnostics[0].code, "invalid_utf8");
    }
}
