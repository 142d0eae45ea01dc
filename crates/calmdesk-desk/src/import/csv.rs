//! Generic CSV import: one row per message, grouped into conversations by a column.
//!
//! The first row is the header. Column names are matched without regard to case or
//! surrounding spaces, the order does not matter, and unknown columns are ignored.
//!
//! | column | required | meaning |
//! |---|---|---|
//! | `conversation_id` | yes | Rows with the same value form one conversation (one case). |
//! | `text` | yes | The message text. Rows with empty text are skipped. |
//! | `message_id` | no | A unique id for the message, kept stable across re-imports. Default: `<conversation_id>:<row number>`, where row 1 is the first row after the header. |
//! | `direction` | no | `inbound` (or `customer`), `outbound` (or `agent`), or `note`. Default: `inbound`. Any other value skips the row. |
//! | `author` | no | Who wrote the message. Default: the customer's name for inbound messages, "Agent" otherwise. |
//! | `customer_name` | no | The customer's name. |
//! | `customer_email` | no | The customer's email address. |
//! | `customer_handle` | no | The customer's handle on another channel. |
//! | `channel` | no | For example `email`, `chat`, `phone` or `web`. Default: `import`. |
//! | `subject` | no | The case subject. Default: the first 80 characters of the first message's first line. |
//! | `created_at` | no | RFC 3339 (`2024-03-01T09:30:00+01:00`), `YYYY-MM-DD HH:MM:SS` (read as UTC), or `YYYY-MM-DD` (midnight UTC). Empty: 1970-01-01T00:00:00Z. Anything else skips the row. |
//!
//! A conversation takes its customer from the first row that fills in `customer_name`,
//! `customer_email` or `customer_handle`; without a name, the customer is called by the part
//! of the email address before the "@", then by the handle, and finally "Unknown customer".
//! The channel and subject come from the first row that fills them in. A row whose
//! `message_id` was already used is skipped. Messages get the external id
//! `csv:<message_id>` and conversations `csv:<conversation_id>`.
//!
//! The JSONL importer reads the same fields, so the record type and the grouping live here.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use super::{
    local_part, sort_messages, subject_or_fallback, ImportError, ImportedConversation,
    ImportedCustomer, ImportedDirection, ImportedMessage, Parsed, Skipped, EPOCH,
};

/// The name of the format in error messages.
const FORMAT: &str = "CSV";

/// The columns a generic CSV file must have.
const REQUIRED_COLUMNS: [&str; 2] = ["conversation_id", "text"];

/// The name used when no row names the customer.
const UNKNOWN_CUSTOMER: &str = "Unknown customer";

/// The author of outbound messages and notes that do not name one.
const DEFAULT_AGENT: &str = "Agent";

/// The channel of conversations that do not name one.
const DEFAULT_CHANNEL: &str = "import";

/// One message row of a CSV or JSONL file; every field is trimmed and empty means absent.
#[derive(Debug, Default)]
pub(super) struct Record {
    /// Where the row is, for example "line 12".
    pub location: String,
    /// The number used in the default message id.
    pub row: usize,
    pub conversation_id: Option<String>,
    pub text: Option<String>,
    pub message_id: Option<String>,
    pub direction: Option<String>,
    pub author: Option<String>,
    pub customer_name: Option<String>,
    pub customer_email: Option<String>,
    pub customer_handle: Option<String>,
    pub channel: Option<String>,
    pub subject: Option<String>,
    pub created_at: Option<String>,
}

impl Record {
    /// Whether `name` is a column or key the importer reads.
    pub(super) fn knows(&self, name: &str) -> bool {
        matches!(
            name,
            "conversation_id"
                | "text"
                | "message_id"
                | "direction"
                | "author"
                | "customer_name"
                | "customer_email"
                | "customer_handle"
                | "channel"
                | "subject"
                | "created_at"
        )
    }

    /// Set the field called `name` (a column or JSON key), ignoring unknown names.
    pub(super) fn set(&mut self, name: &str, value: &str) {
        let value = value.trim();
        let value = (!value.is_empty()).then(|| value.to_string());
        let field = match name {
            "conversation_id" => &mut self.conversation_id,
            "text" => &mut self.text,
            "message_id" => &mut self.message_id,
            "direction" => &mut self.direction,
            "author" => &mut self.author,
            "customer_name" => &mut self.customer_name,
            "customer_email" => &mut self.customer_email,
            "customer_handle" => &mut self.customer_handle,
            "channel" => &mut self.channel,
            "subject" => &mut self.subject,
            "created_at" => &mut self.created_at,
            _ => return,
        };
        *field = value;
    }

    /// The customer this row names, if it names one.
    fn customer(&self) -> Option<ImportedCustomer> {
        if self.customer_name.is_none()
            && self.customer_email.is_none()
            && self.customer_handle.is_none()
        {
            return None;
        }
        let name = self
            .customer_name
            .clone()
            .or_else(|| {
                self.customer_email
                    .as_deref()
                    .map(|e| local_part(e).to_string())
            })
            .filter(|name| !name.is_empty())
            .or_else(|| self.customer_handle.clone())
            .unwrap_or_else(|| UNKNOWN_CUSTOMER.to_string());
        Some(ImportedCustomer {
            name,
            email: self.customer_email.clone(),
            handle: self.customer_handle.clone(),
        })
    }
}

/// Read a direction: inbound|customer, outbound|agent or note, in any case; absent is inbound.
fn parse_direction(value: Option<&str>) -> Result<ImportedDirection, String> {
    let Some(value) = value else {
        return Ok(ImportedDirection::Inbound);
    };
    match value.to_ascii_lowercase().as_str() {
        "inbound" | "customer" => Ok(ImportedDirection::Inbound),
        "outbound" | "agent" => Ok(ImportedDirection::Outbound),
        "note" => Ok(ImportedDirection::Note),
        _ => Err(format!(
            "direction `{value}` is not one of inbound, outbound, note, customer or agent"
        )),
    }
}

/// Read a time: RFC 3339, "YYYY-MM-DD HH:MM:SS" as UTC, or "YYYY-MM-DD" as midnight UTC.
/// Absent is the Unix epoch.
fn parse_created_at(value: Option<&str>) -> Result<DateTime<Utc>, String> {
    let Some(value) = value else {
        return Ok(EPOCH);
    };
    if let Ok(at) = DateTime::parse_from_rfc3339(value) {
        return Ok(at.with_timezone(&Utc));
    }
    for pattern in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(at) = NaiveDateTime::parse_from_str(value, pattern) {
            return Ok(at.and_utc());
        }
    }
    if let Ok(day) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        return Ok(day.and_time(chrono::NaiveTime::MIN).and_utc());
    }
    Err(format!(
        "created_at `{value}` is not RFC 3339, \"YYYY-MM-DD HH:MM:SS\" or \"YYYY-MM-DD\""
    ))
}

/// A conversation while its rows are being collected.
#[derive(Debug)]
struct Pending {
    conversation_id: String,
    channel: Option<String>,
    subject: Option<String>,
    customer: Option<ImportedCustomer>,
    /// Each message with the author its row named, if any.
    messages: Vec<(ImportedMessage, Option<String>)>,
}

/// Group records into conversations, namespacing external ids with `source` ("csv" or
/// "jsonl"). Records that cannot be used are added to `skipped`.
pub(super) fn build(
    source: &str,
    records: impl IntoIterator<Item = Record>,
    mut skipped: Vec<Skipped>,
) -> Parsed {
    let mut pending: Vec<Pending> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut message_ids: HashSet<String> = HashSet::new();

    for record in records {
        let mut skip = |reason: String| {
            skipped.push(Skipped {
                location: record.location.clone(),
                reason,
            })
        };
        let Some(conversation_id) = record.conversation_id.clone() else {
            skip("conversation_id is missing or empty".to_string());
            continue;
        };
        let Some(text) = record.text.clone() else {
            skip("text is missing or empty".to_string());
            continue;
        };
        let direction = match parse_direction(record.direction.as_deref()) {
            Ok(direction) => direction,
            Err(reason) => {
                skip(reason);
                continue;
            }
        };
        let at = match parse_created_at(record.created_at.as_deref()) {
            Ok(at) => at,
            Err(reason) => {
                skip(reason);
                continue;
            }
        };
        let message_id = record
            .message_id
            .clone()
            .unwrap_or_else(|| format!("{conversation_id}:{}", record.row));
        let external_id = format!("{source}:{message_id}");
        if !message_ids.insert(external_id.clone()) {
            skip(format!("message_id `{message_id}` was already used"));
            continue;
        }

        let index = *by_id.entry(conversation_id.clone()).or_insert_with(|| {
            pending.push(Pending {
                conversation_id,
                channel: None,
                subject: None,
                customer: None,
                messages: Vec::new(),
            });
            pending.len() - 1
        });
        let conversation = &mut pending[index];
        if conversation.customer.is_none() {
            conversation.customer = record.customer();
        }
        if conversation.channel.is_none() {
            conversation.channel = record.channel.clone();
        }
        if conversation.subject.is_none() {
            conversation.subject = record.subject.clone();
        }
        conversation.messages.push((
            ImportedMessage {
                external_id,
                direction,
                author: String::new(),
                text,
                at,
            },
            record.author,
        ));
    }

    let conversations = pending
        .into_iter()
        .map(|conversation| {
            let customer = conversation.customer.unwrap_or_else(|| ImportedCustomer {
                name: UNKNOWN_CUSTOMER.to_string(),
                email: None,
                handle: None,
            });
            let mut messages: Vec<ImportedMessage> = conversation
                .messages
                .into_iter()
                .map(|(mut message, author)| {
                    message.author = author.unwrap_or_else(|| match message.direction {
                        ImportedDirection::Inbound => customer.name.clone(),
                        ImportedDirection::Outbound | ImportedDirection::Note => {
                            DEFAULT_AGENT.to_string()
                        }
                    });
                    message
                })
                .collect();
            sort_messages(&mut messages);
            ImportedConversation {
                references: Vec::new(),
                external_id: format!("{source}:{}", conversation.conversation_id),
                channel: conversation
                    .channel
                    .unwrap_or_else(|| DEFAULT_CHANNEL.to_string()),
                subject: subject_or_fallback(conversation.subject.as_deref(), &messages),
                customer,
                messages,
            }
        })
        .collect();
    Parsed {
        conversations,
        skipped,
    }
}

/// Parse a generic CSV file.
pub(super) fn parse(bytes: &[u8]) -> Result<Parsed, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|error| ImportError::Unreadable {
            format: FORMAT,
            reason: format!("the header row cannot be read: {error}"),
        })?
        .clone();
    let columns: Vec<String> = headers
        .iter()
        .map(|name| name.trim().to_ascii_lowercase())
        .collect();
    for required in REQUIRED_COLUMNS {
        if !columns.iter().any(|column| column == required) {
            return Err(ImportError::MissingColumn {
                format: FORMAT,
                column: required,
            });
        }
    }

    let mut records = Vec::new();
    let mut skipped = Vec::new();
    let mut row = 0;
    let mut raw = ::csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut raw) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) => {
                let location = error.position().map_or_else(
                    || format!("row {}", row + 1),
                    |p| format!("line {}", p.line()),
                );
                let stop = matches!(error.kind(), ::csv::ErrorKind::Io(_));
                skipped.push(Skipped {
                    location,
                    reason: format!("the row cannot be read: {error}"),
                });
                row += 1;
                if stop {
                    break;
                }
                continue;
            }
        }
        row += 1;
        let location = raw
            .position()
            .map_or_else(|| format!("row {row}"), |p| format!("line {}", p.line()));
        let mut record = Record {
            location,
            row,
            ..Record::default()
        };
        let mut valid = true;
        // Earlier columns win over later ones with the same name, so set fields in reverse.
        for (column, value) in columns.iter().zip(raw.iter()).rev() {
            match std::str::from_utf8(value) {
                Ok(value) => record.set(column, value),
                Err(_) => valid = false,
            }
        }
        if valid {
            records.push(record);
        } else {
            skipped.push(Skipped {
                location: record.location,
                reason: "the row is not valid UTF-8".to_string(),
            });
        }
    }
    Ok(build("csv", records, skipped))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{parse as parse_format, Format};

    fn parse_ok(text: &str) -> Parsed {
        parse_format(Format::Csv, text.as_bytes()).expect("the CSV parses")
    }

    #[test]
    fn rows_are_grouped_into_conversations_with_their_customer_and_defaults() {
        let parsed = parse_ok(
            "conversation_id,message_id,direction,author,customer_name,customer_email,channel,subject,created_at,text\n\
             c1,m2,agent,Dana,,,,,2024-03-01 10:00:00,We have sent a new one.\n\
             c1,m1,customer,,Ann Lee,ann@example.com,chat,Broken kettle,2024-03-01T09:30:00+01:00,My kettle broke.\n\
             c1,,note,,,,,,2024-03-02,Check stock.\n\
             c2,,,,,,,,,\"Hello\nis anyone there?\"\n",
        );
        assert!(parsed.skipped.is_empty(), "{:?}", parsed.skipped);
        assert_eq!(parsed.conversations.len(), 2);

        let first = &parsed.conversations[0];
        assert_eq!(first.external_id, "csv:c1");
        assert_eq!(first.channel, "chat");
        assert_eq!(first.subject, "Broken kettle");
        assert_eq!(
            first.customer,
            ImportedCustomer {
                name: "Ann Lee".to_string(),
                email: Some("ann@example.com".to_string()),
                handle: None,
            }
        );
        let summary: Vec<(&str, ImportedDirection, &str)> = first
            .messages
            .iter()
            .map(|m| (m.external_id.as_str(), m.direction, m.author.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                ("csv:m1", ImportedDirection::Inbound, "Ann Lee"),
                ("csv:m2", ImportedDirection::Outbound, "Dana"),
                ("csv:c1:3", ImportedDirection::Note, "Agent"),
            ]
        );
        assert_eq!(
            first.messages[0].at.to_rfc3339(),
            "2024-03-01T08:30:00+00:00"
        );

        let second = &parsed.conversations[1];
        assert_eq!(second.external_id, "csv:c2");
        assert_eq!(second.channel, "import");
        assert_eq!(second.subject, "Hello");
        assert_eq!(second.customer.name, "Unknown customer");
        assert_eq!(second.messages[0].external_id, "csv:c2:4");
        assert_eq!(second.messages[0].at, EPOCH);
        assert_eq!(second.messages[0].author, "Unknown customer");
    }

    #[test]
    fn a_missing_required_column_is_an_error_that_names_it() {
        let cases = [
            ("text\nhello\n", "conversation_id"),
            ("conversation_id,body\n1,hello\n", "text"),
            ("", "conversation_id"),
        ];
        for (file, column) in cases {
            match parse_format(Format::Csv, file.as_bytes()) {
                Err(ImportError::MissingColumn {
                    column: missing, ..
                }) => {
                    assert_eq!(missing, column, "for {file:?}")
                }
                other => panic!("expected a missing {column} column, got {other:?}"),
            }
        }
    }

    #[test]
    fn a_row_with_a_bad_date_is_skipped_with_its_line_and_reason() {
        let parsed = parse_ok(
            "conversation_id,text,created_at\n\
             1,first,2024-01-01\n\
             1,second,yesterday at noon\n\
             1,third,\n",
        );
        assert_eq!(parsed.conversations.len(), 1);
        assert_eq!(parsed.conversations[0].messages.len(), 2);
        assert_eq!(parsed.skipped.len(), 1);
        assert_eq!(parsed.skipped[0].location, "line 3");
        assert!(
            parsed.skipped[0].reason.contains("yesterday at noon"),
            "{}",
            parsed.skipped[0].reason
        );
    }

    #[test]
    fn messy_rows_are_skipped_with_reasons() {
        let parsed = parse_ok(
            " Conversation_ID , TEXT ,direction,message_id\n\
             1,  ,inbound,a\n\
             ,orphan,inbound,b\n\
             1,hi,shouting,c\n\
             1,hello,inbound,d\n\
             1,again,inbound,d\n\
             1\n",
        );
        let reasons: Vec<(&str, &str)> = parsed
            .skipped
            .iter()
            .map(|s| (s.location.as_str(), s.reason.as_str()))
            .collect();
        assert_eq!(reasons.len(), 5, "{reasons:?}");
        assert_eq!(reasons[0], ("line 2", "text is missing or empty"));
        assert_eq!(
            reasons[1],
            ("line 3", "conversation_id is missing or empty")
        );
        assert!(reasons[2].1.contains("shouting"));
        assert_eq!(reasons[3], ("line 6", "message_id `d` was already used"));
        assert_eq!(reasons[4], ("line 7", "text is missing or empty"));
        assert_eq!(parsed.conversations.len(), 1);
        assert_eq!(parsed.conversations[0].messages[0].text, "hello");
    }

    #[test]
    fn a_customer_without_a_name_is_named_from_the_email_or_handle() {
        let parsed = parse_ok(
            "conversation_id,text,customer_email,customer_handle\n\
             1,hi,bo@example.com,\n\
             2,hi,,@bo\n",
        );
        let names: Vec<&str> = parsed
            .conversations
            .iter()
            .map(|c| c.customer.name.as_str())
            .collect();
        assert_eq!(names, ["bo", "@bo"]);
    }

    #[test]
    fn created_at_accepts_the_documented_forms() {
        let cases = [
            (
                Some("2024-03-01T09:30:00Z"),
                Ok("2024-03-01T09:30:00+00:00"),
            ),
            (
                Some("2024-03-01T09:30:00-02:00"),
                Ok("2024-03-01T11:30:00+00:00"),
            ),
            (Some("2024-03-01 09:30:00"), Ok("2024-03-01T09:30:00+00:00")),
            (Some("2024-03-01"), Ok("2024-03-01T00:00:00+00:00")),
            (None, Ok("1970-01-01T00:00:00+00:00")),
            (Some("01/03/2024"), Err(())),
        ];
        for (value, expected) in cases {
            let got = parse_created_at(value)
                .map(|at| at.to_rfc3339())
                .map_err(|_| ());
            assert_eq!(got, expected.map(str::to_string), "reading {value:?}");
        }
    }
}
