//! JSON Lines import: one JSON object per line, one message per object.
//!
//! The keys are the column names of the generic CSV import (`conversation_id`, `text`,
//! `message_id`, `direction`, `author`, `customer_name`, `customer_email`, `customer_handle`,
//! `channel`, `subject`, `created_at`) and mean the same, except that the default message id
//! is `<conversation_id>:<line number>`. Values are strings; numbers are read as their
//! decimal text and `null` as absent. Blank lines are ignored. A line that is not a JSON
//! object, lacks `conversation_id` or `text`, or has a value of another type is skipped with
//! its line number. Ids are namespaced as `jsonl:<id>`.

use serde_json::Value;

use super::csv::{build, Record};
use super::{Parsed, Skipped};

/// Parse a JSON Lines file; every problem is a skipped line, never an error.
pub(super) fn parse(bytes: &[u8]) -> Parsed {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut records = Vec::new();
    let mut skipped = Vec::new();
    for (index, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let number = index + 1;
        let location = format!("line {number}");
        match read_record(line, number, &location) {
            Ok(record) => records.push(record),
            Err(reason) => skipped.push(Skipped { location, reason }),
        }
    }
    build("jsonl", records, skipped)
}

/// Read one non-blank line into a record, or say why it cannot be used.
fn read_record(line: &[u8], number: usize, location: &str) -> Result<Record, String> {
    let value: Value =
        serde_json::from_slice(line).map_err(|error| format!("invalid JSON: {error}"))?;
    let Value::Object(object) = value else {
        return Err("the line is not a JSON object".to_string());
    };
    let mut record = Record {
        location: location.to_string(),
        row: number,
        ..Record::default()
    };
    for (key, value) in &object {
        let text = match value {
            Value::String(text) => text.clone(),
            Value::Number(number) => number.to_string(),
            Value::Null => continue,
            Value::Bool(_) | Value::Array(_) | Value::Object(_) if record.knows(key) => {
                return Err(format!("field `{key}` must be a string"));
            }
            // Fields the importer does not use may hold anything.
            Value::Bool(_) | Value::Array(_) | Value::Object(_) => continue,
        };
        record.set(key, &text);
    }
    for required in ["conversation_id", "text"] {
        if !object.contains_key(required) {
            return Err(format!("missing field `{required}`"));
        }
    }
    Ok(record)
}

#[cfg(test)]
mod tests {
    use crate::import::{parse, Format, ImportedDirection};

    #[test]
    fn keys_the_importer_does_not_read_may_hold_any_value() {
        let file = br#"{"conversation_id": "1", "text": "Hi", "tags": ["vip"], "meta": {"a": 1}, "ok": true}
{"conversation_id": "2", "text": ["not", "text"]}
"#;
        let parsed = parse(Format::Jsonl, file).unwrap();
        assert_eq!(parsed.conversations.len(), 1);
        assert_eq!(parsed.skipped.len(), 1);
        assert!(
            parsed.skipped[0].reason.contains("`text`"),
            "{:?}",
            parsed.skipped
        );
    }

    #[test]
    fn objects_become_messages_grouped_by_conversation() {
        let file = br#"{"conversation_id": 7, "text": "Where is my parcel?", "customer_name": "Kim", "channel": "web", "created_at": "2024-05-01T10:00:00Z"}

{"conversation_id": "7", "text": "On its way.", "direction": "outbound", "author": "Sam", "created_at": "2024-05-01T11:00:00Z", "message_id": "r1"}
"#;
        let parsed = parse(Format::Jsonl, file).expect("JSONL never fails as a whole");
        assert!(parsed.skipped.is_empty(), "{:?}", parsed.skipped);
        assert_eq!(parsed.conversations.len(), 1);
        let conversation = &parsed.conversations[0];
        assert_eq!(conversation.external_id, "jsonl:7");
        assert_eq!(conversation.channel, "web");
        assert_eq!(conversation.subject, "Where is my parcel?");
        assert_eq!(conversation.customer.name, "Kim");
        let ids: Vec<(&str, ImportedDirection, &str)> = conversation
            .messages
            .iter()
            .map(|m| (m.external_id.as_str(), m.direction, m.author.as_str()))
            .collect();
        assert_eq!(
            ids,
            [
                ("jsonl:7:1", ImportedDirection::Inbound, "Kim"),
                ("jsonl:r1", ImportedDirection::Outbound, "Sam"),
            ]
        );
    }

    #[test]
    fn bad_lines_are_skipped_with_their_line_number() {
        let file = b"{\"conversation_id\": \"1\", \"text\": \"ok\"}\r\n\
{\"conversation_id\": \"1\", \"text\": \n\
[1, 2]\n\
{\"conversation_id\": \"1\"}\n\
{\"conversation_id\": \"1\", \"text\": \"x\", \"subject\": {\"a\": 1}}\n\
{\"conversation_id\": \"1\", \"text\": \"x\", \"created_at\": \"soon\"}\n\
   \n\
{\"conversation_id\": \"1\", \"text\": \"last\"}";
        let parsed = parse(Format::Jsonl, file).expect("JSONL never fails as a whole");
        let skipped: Vec<(&str, &str)> = parsed
            .skipped
            .iter()
            .map(|s| (s.location.as_str(), s.reason.as_str()))
            .collect();
        assert_eq!(skipped.len(), 5, "{skipped:?}");
        assert_eq!(skipped[0].0, "line 2");
        assert!(skipped[0].1.starts_with("invalid JSON"), "{}", skipped[0].1);
        assert_eq!(skipped[1], ("line 3", "the line is not a JSON object"));
        assert_eq!(skipped[2], ("line 4", "missing field `text`"));
        assert_eq!(skipped[3], ("line 5", "field `subject` must be a string"));
        assert_eq!(skipped[4].0, "line 6");
        assert!(skipped[4].1.contains("soon"));
        let texts: Vec<&str> = parsed.conversations[0]
            .messages
            .iter()
            .map(|m| m.text.as_str())
            .collect();
        assert_eq!(texts, ["ok", "last"]);
    }
}
