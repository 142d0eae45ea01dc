//! The parsing side of `calmdesk import`: it turns the bytes of an exported file into
//! conversations, customers and messages that the storage layer can write as cases.
//!
//! Parsing is pure: nothing here touches the database or the filesystem. Each format lives in
//! its own module, and every external id is namespaced by its format (for example
//! `email:<message-id>`, `twcs:<tweet_id>`, `csv:<id>` or `jsonl:<id>`) so that ids from
//! different sources never collide. Rows that cannot be used are reported in
//! [`Parsed::skipped`] with a reason; only a file that cannot be read as its format at all is
//! an [`ImportError`].

mod csv;
mod email;
mod jsonl;
mod twcs;

use chrono::{DateTime, Utc};

/// Which kind of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One email message (RFC 5322).
    Eml,
    /// Many email messages in one mbox file.
    Mbox,
    /// A generic CSV file with the columns documented in the `csv` module.
    Csv,
    /// One JSON object per line, with the same fields as the generic CSV.
    Jsonl,
    /// The "Customer Support on Twitter" CSV from Kaggle.
    Twcs,
}

/// The header row of the "Customer Support on Twitter" CSV file.
const TWCS_COLUMNS: [&str; 7] = [
    "tweet_id",
    "author_id",
    "inbound",
    "created_at",
    "text",
    "response_tweet_id",
    "in_response_to_tweet_id",
];

impl Format {
    /// Detect from the file name and its first bytes: ".eml" -> Eml; ".mbox"/".mbx" or content
    /// starting with "From " -> Mbox; ".jsonl"/".ndjson" -> Jsonl; ".csv" whose header row is
    /// the twcs header -> Twcs, other ".csv" -> Csv. None if unknown.
    ///
    /// The extension wins over the content, so an `.eml` file that starts with an mbox
    /// "From " line is still read as one message.
    pub fn detect(file_name: &str, head: &[u8]) -> Option<Format> {
        let extension = file_name
            .rsplit_once('.')
            .map(|(_, extension)| extension.to_ascii_lowercase())
            .unwrap_or_default();
        match extension.as_str() {
            "eml" => Some(Format::Eml),
            "mbox" | "mbx" => Some(Format::Mbox),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "csv" if is_twcs_header(head) => Some(Format::Twcs),
            "csv" => Some(Format::Csv),
            _ if head.starts_with(b"From ") => Some(Format::Mbox),
            _ => None,
        }
    }

    /// Read the value of a `--format` flag: "eml", "mbox", "csv", "jsonl" or "twcs", in any
    /// case.
    pub fn parse_name(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "eml" => Some(Format::Eml),
            "mbox" => Some(Format::Mbox),
            "csv" => Some(Format::Csv),
            "jsonl" => Some(Format::Jsonl),
            "twcs" => Some(Format::Twcs),
            _ => None,
        }
    }
}

/// Tell whether the first line of `head` names every twcs column.
///
/// Extra columns (such as the unnamed index column that pandas writes) and a byte order mark
/// are allowed, so that common re-exports of the data set are still recognised.
fn is_twcs_header(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = String::from_utf8_lossy(line);
    let columns: Vec<String> = line
        .split(',')
        .map(|column| column.trim().trim_matches('"').trim().to_ascii_lowercase())
        .collect();
    // `response_tweet_id` is optional to the parser, so detection does not need it either.
    TWCS_COLUMNS
        .iter()
        .filter(|wanted| **wanted != "response_tweet_id")
        .all(|wanted| columns.iter().any(|column| column == wanted))
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportedDirection {
    /// The customer wrote it.
    Inbound,
    /// The company (an agent or a brand account) wrote it to the customer.
    Outbound,
    /// An internal note that the customer never saw.
    Note,
}

/// The customer of one conversation, as the source names them.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedCustomer {
    /// A display name; never empty.
    pub name: String,
    /// The email address, when the source has one.
    pub email: Option<String>,
    /// A handle on another channel (for example a Twitter author id), when the source has one.
    pub handle: Option<String>,
}

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedMessage {
    /// Unique per message within the source, and stable across re-imports.
    pub external_id: String,
    /// Who wrote it.
    pub direction: ImportedDirection,
    /// The display name of whoever wrote it.
    pub author: String,
    /// The text of the message.
    pub text: String,
    /// When it was written.
    pub at: DateTime<Utc>,
}

/// One conversation, which becomes one case.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedConversation {
    /// The thread's stable id (for example the root Message-ID, or "twcs:<root tweet id>").
    pub external_id: String,
    /// "email", "twitter", "chat", "phone", "web", and so on, from the source or a column.
    pub channel: String,
    /// Never empty: it falls back to the first 80 characters of the first message's first line.
    pub subject: String,
    /// The customer the conversation is with.
    pub customer: ImportedCustomer,
    /// The messages, sorted by time and then by external id.
    pub messages: Vec<ImportedMessage>,
    /// External ids of messages stored elsewhere that this conversation answers (an e-mail's
    /// References and In-Reply-To). When the conversation's own id is new, the importer joins
    /// the case that holds one of these, so replies in separate files thread together.
    pub references: Vec<String>,
}

/// A row or message that was left out, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    /// Where it was in the file, for example "line 12", "message 3" or "tweet 3399".
    pub location: String,
    /// Why it was left out, as a sentence fragment a person can act on.
    pub reason: String,
}

/// Everything that was read from one file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parsed {
    /// The conversations found, in the order their first row or message appears in the file.
    pub conversations: Vec<ImportedConversation>,
    /// What was left out, in file order within each kind of problem.
    pub skipped: Vec<Skipped>,
}

/// A file that cannot be read as its format at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A CSV file lacks a column the format requires.
    #[error("the {format} file has no `{column}` column")]
    MissingColumn {
        /// The format that was expected, such as "CSV" or "twcs".
        format: &'static str,
        /// The missing column.
        column: &'static str,
    },
    /// The file is not in the format at all.
    #[error("the file cannot be read as {format}: {reason}")]
    Unreadable {
        /// The format that was expected.
        format: &'static str,
        /// What went wrong.
        reason: String,
    },
}

/// Parse a whole file's bytes. Messy rows are skipped with reasons, not errors.
pub fn parse(format: Format, bytes: &[u8]) -> Result<Parsed, ImportError> {
    match format {
        Format::Eml => email::parse_eml(bytes),
        Format::Mbox => email::parse_mbox(bytes),
        Format::Csv => csv::parse(bytes),
        Format::Jsonl => Ok(jsonl::parse(bytes)),
        Format::Twcs => twcs::parse(bytes),
    }
}

/// The time used for a message that has no time of its own.
const EPOCH: DateTime<Utc> = DateTime::<Utc>::UNIX_EPOCH;

/// The longest subject made from a message's first line, in characters.
const SUBJECT_FALLBACK_CHARS: usize = 80;

/// Sort messages by time, then by external id, so that the order does not depend on the file.
fn sort_messages(messages: &mut [ImportedMessage]) {
    messages.sort_by(|a, b| {
        a.at.cmp(&b.at)
            .then_with(|| a.external_id.cmp(&b.external_id))
    });
}

/// Choose a subject: the given one when it has text, otherwise the first 80 characters of the
/// first non-blank line of the first message, otherwise "(no subject)".
fn subject_or_fallback(subject: Option<&str>, messages: &[ImportedMessage]) -> String {
    if let Some(subject) = subject.map(str::trim).filter(|s| !s.is_empty()) {
        return subject.to_string();
    }
    let first_line = messages
        .first()
        .and_then(|message| {
            message
                .text
                .lines()
                .map(str::trim)
                .find(|line| !line.is_empty())
        })
        .unwrap_or_default();
    let fallback: String = first_line.chars().take(SUBJECT_FALLBACK_CHARS).collect();
    let fallback = fallback.trim();
    if fallback.is_empty() {
        "(no subject)".to_string()
    } else {
        fallback.to_string()
    }
}

/// The part of an email address before the "@", used as a name when there is no other.
fn local_part(address: &str) -> &str {
    address.split('@').next().unwrap_or(address)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWCS_HEAD: &[u8] = b"tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n1,sprintcare,False,Tue Oct 31 22:10:47 +0000 2017,hi,2,3.0\n";

    #[test]
    fn detect_reads_the_extension_and_the_first_bytes() {
        let cases: &[(&str, &[u8], Option<Format>)] = &[
            ("message.eml", b"Subject: hi\r\n\r\nbody", Some(Format::Eml)),
            ("MESSAGE.EML", b"From a@b.c Mon Jan 1", Some(Format::Eml)),
            ("inbox.mbox", b"", Some(Format::Mbox)),
            ("inbox.mbx", b"From a@b.c", Some(Format::Mbox)),
            ("Inbox", b"From a@b.c Mon Jan  1 00:00:00 2024\n", Some(Format::Mbox)),
            ("export.txt", b"From: a@b.c\n", None),
            ("chats.jsonl", b"{}", Some(Format::Jsonl)),
            ("chats.ndjson", b"{}", Some(Format::Jsonl)),
            ("twcs.csv", TWCS_HEAD, Some(Format::Twcs)),
            (
                "twcs.csv",
                b"\xEF\xBB\xBF,tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\r\n",
                Some(Format::Twcs),
            ),
            (
                "replies-dropped.csv",
                b"tweet_id,author_id,inbound,created_at,text,in_response_to_tweet_id\n",
                Some(Format::Twcs),
            ),
            ("cases.csv", b"conversation_id,text\n1,hi\n", Some(Format::Csv)),
            ("cases.csv", b"tweet_id,text\n", Some(Format::Csv)),
            ("cases.csv", b"", Some(Format::Csv)),
            ("notes", b"hello", None),
            ("", b"", None),
        ];
        for (name, head, expected) in cases {
            assert_eq!(Format::detect(name, head), *expected, "detecting {name:?}");
        }
    }

    #[test]
    fn format_names_for_the_flag_are_read_in_any_case() {
        let cases = [
            ("eml", Some(Format::Eml)),
            ("MBOX", Some(Format::Mbox)),
            (" csv ", Some(Format::Csv)),
            ("jsonl", Some(Format::Jsonl)),
            ("twcs", Some(Format::Twcs)),
            ("xlsx", None),
            ("", None),
        ];
        for (name, expected) in cases {
            assert_eq!(Format::parse_name(name), expected, "reading {name:?}");
        }
    }

    #[test]
    fn the_subject_falls_back_to_the_first_line_of_the_first_message() {
        let message = |text: &str| ImportedMessage {
            external_id: "x".to_string(),
            direction: ImportedDirection::Inbound,
            author: "a".to_string(),
            text: text.to_string(),
            at: EPOCH,
        };
        let long = "word ".repeat(40);
        let cases: Vec<(Option<&str>, Vec<ImportedMessage>, String)> = vec![
            (Some("Refund"), vec![message("x")], "Refund".to_string()),
            (
                Some("  "),
                vec![message("\n My order\nis late")],
                "My order".to_string(),
            ),
            (None, vec![message(&long)], long[..80].trim().to_string()),
            (None, vec![message("  ")], "(no subject)".to_string()),
            (None, vec![], "(no subject)".to_string()),
        ];
        for (subject, messages, expected) in cases {
            assert_eq!(subject_or_fallback(subject, &messages), expected);
        }
    }

    #[test]
    fn import_errors_name_the_missing_column() {
        let error = ImportError::MissingColumn {
            format: "CSV",
            column: "text",
        };
        assert_eq!(error.to_string(), "the CSV file has no `text` column");
    }
}
