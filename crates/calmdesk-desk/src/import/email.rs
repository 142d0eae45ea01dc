//! Email import: one message from an `.eml` file, or many from an mbox file.
//!
//! Messages are threaded by their headers: a message joins the thread of the first
//! Message-ID in its References, then In-Reply-To, that belongs to a message in the same
//! file; otherwise it starts a thread. The thread's external id is its root's Message-ID
//! (as `email:<message-id>`). A message without a Message-ID gets a stable synthetic one made
//! from the SHA-256 of its raw bytes.
//!
//! The customer is the sender of the thread's root; messages from any other address are
//! outbound. The text is the text/plain body, or else the HTML body turned into text, with
//! quoted lines ("> ...") and a trailing "On ... wrote:" line removed, unless that would leave
//! nothing. The subject is the root's Subject without "Re:" or "Fwd:" prefixes, and a message
//! without a usable Date header is dated 1970-01-01T00:00:00Z.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use mail_parser::mailbox::mbox::MessageIterator;
use mail_parser::{Message, MessageParser, PartType};
use sha2::{Digest, Sha256};

use super::{
    local_part, sort_messages, subject_or_fallback, ImportError, ImportedConversation,
    ImportedCustomer, ImportedDirection, ImportedMessage, Parsed, Skipped, EPOCH,
};

/// The channel of every email conversation.
const CHANNEL: &str = "email";

/// How many hexadecimal digits of the SHA-256 make up a synthetic Message-ID.
const SYNTHETIC_ID_HEX_DIGITS: usize = 32;

/// The text of a message that has neither a text nor an HTML body.
const NO_TEXT: &str = "(no text)";

/// The name used when a thread's root has no sender at all.
const UNKNOWN_CUSTOMER: &str = "Unknown customer";

/// One message, reduced to what the import needs.
#[derive(Debug)]
struct Mail {
    /// Where it was, for example "message 3".
    location: String,
    /// The Message-ID without angle brackets, or a synthetic one.
    message_id: String,
    /// Message-IDs this message answers, References first and then In-Reply-To.
    refers_to: Vec<String>,
    /// The sender's address in lower case, if any.
    address: Option<String>,
    /// The sender's display name, if any.
    display_name: Option<String>,
    subject: Option<String>,
    text: String,
    at: DateTime<Utc>,
}

impl Mail {
    /// The name to show for the sender.
    fn author(&self) -> String {
        self.display_name
            .clone()
            .or_else(|| self.address.clone())
            .unwrap_or_else(|| UNKNOWN_CUSTOMER.to_string())
    }

    /// A key that tells senders apart: the address, else the display name, else nothing.
    fn sender_key(&self) -> Option<String> {
        self.address
            .clone()
            .or_else(|| self.display_name.as_ref().map(|name| name.to_lowercase()))
    }
}

/// Parse an `.eml` file holding one message.
pub(super) fn parse_eml(bytes: &[u8]) -> Result<Parsed, ImportError> {
    // Some tools save a single message with the mbox "From " separator line in front.
    let bytes = if bytes.starts_with(b"From ") {
        bytes
            .iter()
            .position(|&b| b == b'\n')
            .map_or(&[][..], |end| &bytes[end + 1..])
    } else {
        bytes
    };
    let unreadable = || ImportError::Unreadable {
        format: "an email message",
        reason: "no message headers were found".to_string(),
    };
    let message = MessageParser::default()
        .parse(bytes)
        .ok_or_else(unreadable)?;
    let mail = read_mail(&message, bytes, "message 1".to_string()).ok_or_else(unreadable)?;
    Ok(thread(vec![mail], Vec::new()))
}

/// Parse an mbox file holding any number of messages.
pub(super) fn parse_mbox(bytes: &[u8]) -> Result<Parsed, ImportError> {
    let mut mails = Vec::new();
    let mut skipped = Vec::new();
    let mut count = 0;
    for (index, entry) in MessageIterator::new(bytes).enumerate() {
        count += 1;
        let location = format!("message {}", index + 1);
        let contents = match entry {
            Ok(entry) => entry.unwrap_contents(),
            Err(error) => {
                skipped.push(Skipped {
                    location,
                    reason: format!("the message cannot be read: {error}"),
                });
                continue;
            }
        };
        let mail = MessageParser::default()
            .parse(&contents)
            .and_then(|message| read_mail(&message, &contents, location.clone()));
        match mail {
            Some(mail) => mails.push(mail),
            None => skipped.push(Skipped {
                location,
                reason: "no message headers were found".to_string(),
            }),
        }
    }
    if count == 0 && !bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::Unreadable {
            format: "mbox",
            reason: "no line starts with \"From \", which separates mbox messages".to_string(),
        });
    }
    Ok(thread(mails, skipped))
}

/// Reduce a parsed message to what the import needs, or `None` if it has no headers.
fn read_mail(message: &Message<'_>, raw: &[u8], location: String) -> Option<Mail> {
    if message.headers().is_empty() {
        return None;
    }
    let message_id = message
        .message_id()
        .map(clean_id)
        .filter(|id| !id.is_empty())
        .unwrap_or_else(|| synthetic_id(raw));
    let mut refers_to: Vec<String> = Vec::new();
    for header in [message.references(), message.in_reply_to()] {
        for id in header.as_text_list().unwrap_or_default() {
            let id = clean_id(id);
            if !id.is_empty() && id != message_id && !refers_to.contains(&id) {
                refers_to.push(id);
            }
        }
    }
    let sender = message.from().and_then(|from| from.first());
    let address = sender
        .and_then(|addr| addr.address())
        .map(|address| address.trim().to_lowercase())
        .filter(|address| !address.is_empty());
    let display_name = sender
        .and_then(|addr| addr.name())
        .map(|name| name.trim().trim_matches('"').trim().to_string())
        .filter(|name| !name.is_empty());
    let at = message
        .date()
        .filter(|date| date.is_valid())
        .and_then(|date| DateTime::from_timestamp(date.to_timestamp(), 0))
        .unwrap_or(EPOCH);
    Some(Mail {
        location,
        message_id,
        refers_to,
        address,
        display_name,
        subject: message.subject().map(str::to_string),
        text: body_text(message),
        at,
    })
}

/// Remove surrounding angle brackets and spaces from a Message-ID.
fn clean_id(id: &str) -> String {
    id.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim()
        .to_string()
}

/// A Message-ID for a message that has none, the same every time the same bytes are read.
fn synthetic_id(raw: &[u8]) -> String {
    let digest = hex::encode(Sha256::digest(raw));
    format!("{}@calmdesk.invalid", &digest[..SYNTHETIC_ID_HEX_DIGITS])
}

/// The text of a message: the text/plain body, else the HTML body as text, without quotes.
fn body_text(message: &Message<'_>) -> String {
    let plain = message.text_bodies().find_map(|part| match &part.body {
        PartType::Text(text) if !text.trim().is_empty() => Some(text.to_string()),
        _ => None,
    });
    let text = plain.or_else(|| {
        message.html_bodies().find_map(|part| match &part.body {
            PartType::Html(html) => Some(html_to_text(html)).filter(|t| !t.is_empty()),
            _ => None,
        })
    });
    match text {
        Some(text) => strip_quotes(&text),
        None => NO_TEXT.to_string(),
    }
}

/// Remove quoted lines and a trailing "On ... wrote:" attribution, keeping the original text
/// when nothing else is left.
fn strip_quotes(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut lines: Vec<&str> = text
        .lines()
        .filter(|line| !line.trim_start().starts_with('>'))
        .collect();
    trim_trailing_blank_lines(&mut lines);
    if let Some(last) = lines.last().map(|line| line.trim()) {
        if last.ends_with("wrote:") {
            if last.starts_with("On ") {
                lines.pop();
            } else if lines.len() >= 2 && lines[lines.len() - 2].trim().starts_with("On ") {
                // Mail programs often wrap a long attribution over two lines.
                lines.truncate(lines.len() - 2);
            }
        }
    }
    trim_trailing_blank_lines(&mut lines);
    let stripped = lines.join("\n").trim().to_string();
    if stripped.is_empty() {
        text.trim().to_string()
    } else {
        stripped
    }
}

/// Drop blank lines from the end.
fn trim_trailing_blank_lines(lines: &mut Vec<&str>) {
    while lines.last().is_some_and(|line| line.trim().is_empty()) {
        lines.pop();
    }
}

/// Turn HTML into plain text: drop tags, comments, scripts and styles, break lines at block
/// elements, and decode common entities.
fn html_to_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        push_html_text(&mut out, &rest[..open]);
        let after = &rest[open + 1..];
        if let Some(comment) = after.strip_prefix("!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let Some(close) = after.find('>') else {
            rest = "";
            break;
        };
        let tag = &after[..close];
        rest = &after[close + 1..];
        let closing = tag.starts_with('/');
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        if !closing && matches!(name.as_str(), "script" | "style" | "head" | "title") {
            // Skip everything up to the matching closing tag.
            let end_tag = format!("</{name}");
            rest = rest
                .to_ascii_lowercase()
                .find(&end_tag)
                .map_or("", |end| &rest[end..]);
            continue;
        }
        match name.as_str() {
            "br" | "p" | "div" | "tr" | "table" | "ul" | "ol" | "blockquote" | "hr" | "h1"
            | "h2" | "h3" | "h4" | "h5" | "h6" | "pre" => out.push('\n'),
            "li" if !closing => out.push_str("\n- "),
            "td" | "th" if !closing => out.push(' '),
            _ => {}
        }
    }
    push_html_text(&mut out, rest);

    // Trim every line and keep at most one blank line in a row.
    let mut text = String::new();
    let mut blank_run = 0;
    for line in out.lines().map(str::trim) {
        if line.is_empty() {
            blank_run += 1;
            if blank_run > 1 {
                continue;
            }
        } else {
            blank_run = 0;
        }
        text.push_str(line);
        text.push('\n');
    }
    text.trim().to_string()
}

/// Append text found between tags, collapsing HTML whitespace and decoding entities.
fn push_html_text(out: &mut String, raw: &str) {
    for c in decode_entities(raw).chars() {
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(char::is_whitespace) {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

/// Decode named entities that are common in mail and all numeric ones; leave others as they are.
fn decode_entities(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after
            .find(';')
            .filter(|&end| end <= 10)
            .and_then(|end| decode_entity(&after[..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Decode one entity name (what comes between "&" and ";").
fn decode_entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "copy" => '©',
        "reg" => '®',
        "euro" => '€',
        "pound" => '£',
        _ => return None,
    })
}

/// Remove "Re:", "Fwd:" and "Fw:" prefixes (in any case, repeated) from a subject.
fn strip_subject_prefixes(subject: &str) -> &str {
    let mut subject = subject.trim();
    loop {
        let lower = subject.to_ascii_lowercase();
        let prefix = ["re:", "fwd:", "fw:"]
            .into_iter()
            .find(|prefix| lower.starts_with(prefix));
        match prefix {
            Some(prefix) => subject = subject[prefix.len()..].trim_start(),
            None => return subject,
        }
    }
}

/// Group messages into threads and build one conversation per thread.
fn thread(mails: Vec<Mail>, mut skipped: Vec<Skipped>) -> Parsed {
    // Index every Message-ID; a repeated one is a copy of a message that is already here.
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut unique: Vec<Mail> = Vec::with_capacity(mails.len());
    for mail in mails {
        if by_id.contains_key(&mail.message_id) {
            skipped.push(Skipped {
                location: mail.location,
                reason: format!(
                    "Message-ID <{}> was already used by an earlier message",
                    mail.message_id
                ),
            });
            continue;
        }
        by_id.insert(mail.message_id.clone(), unique.len());
        unique.push(mail);
    }
    let mails = unique;

    let parents: Vec<Option<usize>> = mails
        .iter()
        .map(|mail| mail.refers_to.iter().find_map(|id| by_id.get(id).copied()))
        .collect();
    let roots: Vec<usize> = (0..mails.len()).map(|i| root_of(i, &parents)).collect();

    let mut threads: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut thread_of_root: HashMap<usize, usize> = HashMap::new();
    for (index, &root) in roots.iter().enumerate() {
        let thread = *thread_of_root.entry(root).or_insert_with(|| {
            threads.push((root, Vec::new()));
            threads.len() - 1
        });
        threads[thread].1.push(index);
    }

    let conversations = threads
        .into_iter()
        .map(|(root, members)| {
            let root_mail = &mails[root];
            let customer_key = root_mail.sender_key();
            let mut messages: Vec<ImportedMessage> = members
                .iter()
                .map(|&index| {
                    let mail = &mails[index];
                    ImportedMessage {
                        external_id: format!("email:{}", mail.message_id),
                        direction: if mail.sender_key() == customer_key {
                            ImportedDirection::Inbound
                        } else {
                            ImportedDirection::Outbound
                        },
                        author: mail.author(),
                        text: mail.text.clone(),
                        at: mail.at,
                    }
                })
                .collect();
            sort_messages(&mut messages);
            let name = root_mail
                .display_name
                .clone()
                .or_else(|| {
                    root_mail
                        .address
                        .as_deref()
                        .map(|address| local_part(address).to_string())
                })
                .filter(|name| !name.is_empty())
                .unwrap_or_else(|| UNKNOWN_CUSTOMER.to_string());
            let subject = root_mail.subject.as_deref().map(strip_subject_prefixes);
            ImportedConversation {
                references: root_mail
                    .refers_to
                    .iter()
                    .map(|id| format!("email:{id}"))
                    .collect(),
                external_id: format!("email:{}", root_mail.message_id),
                channel: CHANNEL.to_string(),
                subject: subject_or_fallback(subject, &messages),
                customer: ImportedCustomer {
                    name,
                    email: root_mail.address.clone(),
                    handle: None,
                },
                messages,
            }
        })
        .collect();
    Parsed {
        conversations,
        skipped,
    }
}

/// Follow parent links to the root; in a loop, the earliest message of the loop is the root.
fn root_of(start: usize, parents: &[Option<usize>]) -> usize {
    let mut path = vec![start];
    let mut current = start;
    while let Some(parent) = parents[current] {
        if let Some(position) = path.iter().position(|&seen| seen == parent) {
            return path[position..].iter().copied().min().unwrap_or(parent);
        }
        path.push(parent);
        current = parent;
    }
    current
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{parse, Format};

    const SINGLE: &str = "From: \"Ann Lee\" <Ann@Example.com>\r\n\
To: help@shop.example\r\n\
Subject: Re: Fwd: Kettle arrived broken\r\n\
Date: Fri, 01 Mar 2024 09:30:00 +0100\r\n\
Message-ID: <kettle-1@example.com>\r\n\
\r\n\
Hello,\r\n\
\r\n\
my kettle arrived broken.\r\n";

    #[test]
    fn a_single_eml_message_becomes_one_conversation() {
        let parsed = parse(Format::Eml, SINGLE.as_bytes()).expect("the message parses");
        assert!(parsed.skipped.is_empty());
        assert_eq!(parsed.conversations.len(), 1);
        let conversation = &parsed.conversations[0];
        assert_eq!(conversation.external_id, "email:kettle-1@example.com");
        assert_eq!(conversation.channel, "email");
        assert_eq!(conversation.subject, "Kettle arrived broken");
        assert_eq!(
            conversation.customer,
            ImportedCustomer {
                name: "Ann Lee".to_string(),
                email: Some("ann@example.com".to_string()),
                handle: None,
            }
        );
        assert_eq!(
            conversation.messages,
            [ImportedMessage {
                external_id: "email:kettle-1@example.com".to_string(),
                direction: ImportedDirection::Inbound,
                author: "Ann Lee".to_string(),
                text: "Hello,\n\nmy kettle arrived broken.".to_string(),
                at: DateTime::parse_from_rfc3339("2024-03-01T08:30:00Z")
                    .unwrap()
                    .with_timezone(&Utc),
            }]
        );
    }

    #[test]
    fn an_eml_with_an_mbox_separator_line_still_parses() {
        let file = format!("From ann@example.com Fri Mar  1 09:30:00 2024\n{SINGLE}");
        let parsed = parse(Format::Eml, file.as_bytes()).expect("the message parses");
        assert_eq!(
            parsed.conversations[0].external_id,
            "email:kettle-1@example.com"
        );
        assert_eq!(parsed.conversations[0].customer.name, "Ann Lee");
    }

    const MBOX: &str = "From bob@example.com Mon Mar  4 10:00:00 2024
From: bob@example.com
To: help@shop.example
Subject: Where is my order?
Date: Mon, 04 Mar 2024 10:00:00 +0000
Message-ID: <order-1@example.com>

My order 1234 has not arrived.

From agent@shop.example Mon Mar  4 11:00:00 2024
From: Dana from Shop <agent@shop.example>
To: bob@example.com
Subject: Re: Where is my order?
Date: Mon, 04 Mar 2024 11:00:00 +0000
Message-ID: <reply-1@shop.example>
References: <unknown@elsewhere.example> <order-1@example.com>
In-Reply-To: <order-1@example.com>

It left our warehouse today.

On Mon, Mar 4, 2024 at 10:00 AM <bob@example.com> wrote:
> My order 1234 has not arrived.

From bob@example.com Mon Mar  4 12:00:00 2024
From: Bob <BOB@example.com>
To: help@shop.example
Subject: Re: Where is my order?
Date: Mon, 04 Mar 2024 12:00:00 +0000
Message-ID: <order-2@example.com>
In-Reply-To: <reply-1@shop.example>

Thanks!

From carol@example.com Mon Mar  4 09:00:00 2024
From: carol@example.com
Subject: Password reset
Date: Mon, 04 Mar 2024 09:00:00 +0000
Message-ID: <reset@example.com>

I cannot log in.

From agent@shop.example Mon Mar  4 13:00:00 2024
From: Dana from Shop <agent@shop.example>
Subject: Re: Where is my order?
Date: Mon, 04 Mar 2024 13:00:00 +0000
Message-ID: <reply-2@shop.example>
References: <order-1@example.com> <reply-1@shop.example> <order-2@example.com>

You are welcome.
";

    #[test]
    fn a_reply_joins_the_thread_of_the_message_it_references() {
        let parsed = parse(Format::Mbox, MBOX.as_bytes()).expect("the mbox parses");
        assert!(parsed.skipped.is_empty(), "{:?}", parsed.skipped);
        let threads: Vec<(&str, &str, Vec<&str>)> = parsed
            .conversations
            .iter()
            .map(|c| {
                (
                    c.external_id.as_str(),
                    c.subject.as_str(),
                    c.messages.iter().map(|m| m.external_id.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            threads,
            [
                (
                    "email:order-1@example.com",
                    "Where is my order?",
                    vec![
                        "email:order-1@example.com",
                        "email:reply-1@shop.example",
                        "email:order-2@example.com",
                        "email:reply-2@shop.example",
                    ],
                ),
                (
                    "email:reset@example.com",
                    "Password reset",
                    vec!["email:reset@example.com"],
                ),
            ]
        );
    }

    #[test]
    fn the_root_sender_is_the_customer_and_other_senders_are_outbound() {
        let parsed = parse(Format::Mbox, MBOX.as_bytes()).expect("the mbox parses");
        let order = &parsed.conversations[0];
        assert_eq!(order.customer.name, "bob");
        assert_eq!(order.customer.email.as_deref(), Some("bob@example.com"));
        let messages: Vec<(ImportedDirection, &str, &str)> = order
            .messages
            .iter()
            .map(|m| (m.direction, m.author.as_str(), m.text.as_str()))
            .collect();
        assert_eq!(
            messages,
            [
                (
                    ImportedDirection::Inbound,
                    "bob@example.com",
                    "My order 1234 has not arrived."
                ),
                (
                    ImportedDirection::Outbound,
                    "Dana from Shop",
                    "It left our warehouse today."
                ),
                (ImportedDirection::Inbound, "Bob", "Thanks!"),
                (
                    ImportedDirection::Outbound,
                    "Dana from Shop",
                    "You are welcome."
                ),
            ]
        );
    }

    #[test]
    fn an_html_only_mail_is_turned_into_text() {
        let file = "From: Kim <kim@example.com>\r\n\
Subject: Invoice\r\n\
Message-ID: <html-1@example.com>\r\n\
Content-Type: text/html; charset=utf-8\r\n\
\r\n\
<html><head><title>x</title><style>p { color: red; }</style></head>\r\n\
<body><p>Hello&nbsp;team,</p><p>The invoice says &pound;5 &amp; &lt;tax&gt;&#33; &bogus;<br>Why&#x3F;</p>\r\n\
<!-- tracking --><script>alert(1)</script><blockquote>&gt; old</blockquote></body></html>\r\n";
        let parsed = parse(Format::Eml, file.as_bytes()).expect("the message parses");
        let message = &parsed.conversations[0].messages[0];
        assert_eq!(
            message.text,
            "Hello team,\n\nThe invoice says £5 & <tax>! &bogus;\nWhy?"
        );
        assert_eq!(message.at, EPOCH);
    }

    #[test]
    fn a_message_without_a_message_id_gets_the_same_synthetic_id_every_time() {
        let file = "From: zoe@example.com\r\nSubject: Hi\r\n\r\nNo id here.\r\n";
        let first = parse(Format::Eml, file.as_bytes()).expect("the message parses");
        let second = parse(Format::Eml, file.as_bytes()).expect("the message parses");
        assert_eq!(first, second);
        let id = &first.conversations[0].external_id;
        assert!(
            id.starts_with("email:") && id.ends_with("@calmdesk.invalid"),
            "{id}"
        );
        assert_eq!(id, &first.conversations[0].messages[0].external_id);

        let other = parse(
            Format::Eml,
            b"From: zoe@example.com\r\nSubject: Hi\r\n\r\nOther.\r\n",
        )
        .expect("the message parses");
        assert_ne!(other.conversations[0].external_id, *id);
    }

    #[test]
    fn a_repeated_message_id_in_an_mbox_is_skipped() {
        let message = "From a@example.com Mon Mar  4 10:00:00 2024\n\
From: a@example.com\nMessage-ID: <same@example.com>\nSubject: Hi\n\nHello.\n\n";
        let parsed = parse(Format::Mbox, message.repeat(2).as_bytes()).expect("the mbox parses");
        assert_eq!(parsed.conversations.len(), 1);
        assert_eq!(parsed.skipped.len(), 1);
        assert_eq!(parsed.skipped[0].location, "message 2");
    }

    #[test]
    fn files_that_are_not_mail_at_all_are_errors() {
        assert!(parse(Format::Mbox, b"just some text\n").is_err());
        assert!(parse(Format::Eml, b"").is_err());
        let empty = parse(Format::Mbox, b"\n").expect("an empty mbox is fine");
        assert_eq!(empty, Parsed::default());
    }

    #[test]
    fn quoted_lines_and_the_attribution_are_stripped_unless_nothing_is_left() {
        let cases = [
            ("Yes.\n\nOn Mon, Bob wrote:\n> Is it?\n> Really?\n", "Yes."),
            (
                "Yes.\r\nOn Mon, 4 Mar 2024, Bob\r\n<bob@example.com> wrote:\r\n>> Is it?",
                "Yes.",
            ),
            ("Fine.\n > quoted with a space\nBye.", "Fine.\nBye."),
            ("> only a quote\n", "> only a quote"),
            ("I wrote: this stays.", "I wrote: this stays."),
        ];
        for (text, expected) in cases {
            assert_eq!(strip_quotes(text), expected, "stripping {text:?}");
        }
    }

    #[test]
    fn reply_and_forward_prefixes_are_removed_from_subjects() {
        let cases = [
            ("Re: Re: RE: Help", "Help"),
            ("Fwd: FW: Help", "Help"),
            ("Help: Re: me", "Help: Re: me"),
            ("Re:", ""),
        ];
        for (subject, expected) in cases {
            assert_eq!(strip_subject_prefixes(subject), expected);
        }
    }

    #[test]
    fn a_reference_loop_still_puts_every_message_in_one_thread() {
        assert_eq!(root_of(0, &[Some(1), Some(0)]), 0);
        assert_eq!(root_of(1, &[Some(1), Some(0)]), 0);
        assert_eq!(root_of(2, &[None, Some(0), Some(1)]), 0);
        assert_eq!(root_of(0, &[Some(0)]), 0);
    }
}
