//! Import of the "Customer Support on Twitter" data set from Kaggle (`twcs.csv`).
//!
//! The file has the columns `tweet_id`, `author_id`, `inbound`, `created_at`, `text`,
//! `response_tweet_id` and `in_response_to_tweet_id`. Threads are rebuilt by following
//! `in_response_to_tweet_id` up to a root: a tweet that answers nothing, or answers a tweet
//! that is not in the file. Each thread becomes one conversation on the "twitter" channel
//! with the external id `twcs:<root tweet_id>`; each tweet becomes a message with the
//! external id `twcs:<tweet_id>`.
//!
//! Inbound tweets are the customer's; the others are outbound, written by the brand account
//! named in `author_id`. The customer of a thread is the author of its root when the root is
//! inbound, and otherwise the author of the thread's first inbound tweet. A thread without
//! any inbound tweet, and tweets whose reply chain loops back on itself, are skipped with a
//! reason, one entry per tweet, so every row is either a message or a skipped entry.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{
    sort_messages, subject_or_fallback, ImportError, ImportedConversation, ImportedCustomer,
    ImportedDirection, ImportedMessage, Parsed, Skipped,
};

/// The name of the format in error messages.
const FORMAT: &str = "twcs";

/// The columns this importer reads; `response_tweet_id` is redundant and may be absent.
const REQUIRED_COLUMNS: [&str; 6] = [
    "tweet_id",
    "author_id",
    "inbound",
    "created_at",
    "text",
    "in_response_to_tweet_id",
];

/// The format of `created_at`, for example "Tue Oct 31 22:10:47 +0000 2017".
const CREATED_AT_FORMAT: &str = "%a %b %d %H:%M:%S %z %Y";

/// One usable row of the file.
#[derive(Debug)]
struct Tweet {
    id: String,
    author: String,
    inbound: bool,
    at: DateTime<Utc>,
    text: String,
    parent: Option<String>,
}

/// Read a tweet id, which the file writes either as an integer ("3") or as a float ("3.0").
fn parse_tweet_id(value: &str) -> Option<String> {
    let value = value.trim();
    let digits = value.strip_suffix(".0").unwrap_or(value);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        let trimmed = digits.trim_start_matches('0');
        return Some(if trimmed.is_empty() { "0" } else { trimmed }.to_string());
    }
    let float: f64 = value.parse().ok()?;
    // Ids beyond 2^53 cannot be told apart as floats, so only smaller ones are accepted.
    (float.is_finite() && float >= 0.0 && float.fract() == 0.0 && float < 9_007_199_254_740_992.0)
        .then(|| format!("{float:.0}"))
}

/// Read one row into a tweet, or say why it cannot be used.
fn read_tweet(fields: &[&str; 6]) -> Result<Tweet, String> {
    let [tweet_id, author_id, inbound, created_at, text, parent] = *fields;
    let id =
        parse_tweet_id(tweet_id).ok_or_else(|| format!("tweet_id `{tweet_id}` is not a number"))?;
    let author = author_id.trim();
    if author.is_empty() {
        return Err("author_id is empty".to_string());
    }
    let inbound = match inbound.trim().to_ascii_lowercase().as_str() {
        "true" => true,
        "false" => false,
        _ => return Err(format!("inbound `{inbound}` is neither True nor False")),
    };
    let at = DateTime::parse_from_str(created_at.trim(), CREATED_AT_FORMAT)
        .map_err(|_| {
            format!("created_at `{created_at}` is not like \"Tue Oct 31 22:10:47 +0000 2017\"")
        })?
        .with_timezone(&Utc);
    // One tweet in the data set holds bare carriage returns; they become line breaks.
    let text = text.trim().replace("\r\n", "\n").replace('\r', "\n");
    if text.is_empty() {
        return Err("text is empty".to_string());
    }
    let parent = match parent.trim() {
        "" => None,
        value => Some(
            parse_tweet_id(value)
                .ok_or_else(|| format!("in_response_to_tweet_id `{value}` is not a tweet id"))?,
        ),
    };
    Ok(Tweet {
        id,
        author: author.to_string(),
        inbound,
        at,
        text,
        parent,
    })
}

/// What is known about the root of a tweet's thread while threads are being rebuilt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Root {
    Unknown,
    Visiting,
    Found(usize),
    Cycle,
}

/// Find the root of every tweet's thread, or `None` where the reply chain loops.
fn find_roots(parents: &[Option<usize>]) -> Vec<Option<usize>> {
    let mut state = vec![Root::Unknown; parents.len()];
    for start in 0..parents.len() {
        let mut path = Vec::new();
        let mut current = start;
        let outcome = loop {
            match state[current] {
                Root::Found(root) => break Root::Found(root),
                Root::Cycle | Root::Visiting => break Root::Cycle,
                Root::Unknown => {
                    state[current] = Root::Visiting;
                    path.push(current);
                    match parents[current] {
                        Some(parent) => current = parent,
                        None => break Root::Found(current),
                    }
                }
            }
        };
        for node in path {
            state[node] = outcome;
        }
    }
    state
        .into_iter()
        .map(|root| match root {
            Root::Found(root) => Some(root),
            _ => None,
        })
        .collect()
}

/// Parse a twcs CSV file.
pub(super) fn parse(bytes: &[u8]) -> Result<Parsed, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(bytes);
    let headers = reader.headers().map_err(|error| ImportError::Unreadable {
        format: FORMAT,
        reason: format!("the header row cannot be read: {error}"),
    })?;
    let mut columns = [0; 6];
    for (slot, required) in columns.iter_mut().zip(REQUIRED_COLUMNS) {
        *slot = headers
            .iter()
            .position(|name| name.trim().eq_ignore_ascii_case(required))
            .ok_or(ImportError::MissingColumn {
                format: FORMAT,
                column: required,
            })?;
    }

    let mut skipped = Vec::new();
    let mut tweets: Vec<Tweet> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut raw = ::csv::ByteRecord::new();
    let mut row = 0;
    loop {
        row += 1;
        match reader.read_byte_record(&mut raw) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) => {
                let location = error
                    .position()
                    .map_or_else(|| format!("row {row}"), |p| format!("line {}", p.line()));
                let stop = matches!(error.kind(), ::csv::ErrorKind::Io(_));
                skipped.push(Skipped {
                    location,
                    reason: format!("the row cannot be read: {error}"),
                });
                if stop {
                    break;
                }
                continue;
            }
        }
        let line = raw
            .position()
            .map_or_else(|| format!("row {row}"), |p| format!("line {}", p.line()));
        let field = |index: usize| raw.get(columns[index]).unwrap_or_default();
        let location = match parse_tweet_id(&String::from_utf8_lossy(field(0))) {
            Some(id) => format!("tweet {id}"),
            None => line,
        };
        let mut strings = [""; 6];
        let mut valid = true;
        for (index, slot) in strings.iter_mut().enumerate() {
            match std::str::from_utf8(field(index)) {
                Ok(value) => *slot = value,
                Err(_) => valid = false,
            }
        }
        if !valid {
            skipped.push(Skipped {
                location,
                reason: "the row is not valid UTF-8".to_string(),
            });
            continue;
        }
        match read_tweet(&strings) {
            Ok(tweet) if by_id.contains_key(&tweet.id) => skipped.push(Skipped {
                location,
                reason: "the tweet_id was already used by an earlier row".to_string(),
            }),
            Ok(tweet) => {
                by_id.insert(tweet.id.clone(), tweets.len());
                tweets.push(tweet);
            }
            Err(reason) => skipped.push(Skipped { location, reason }),
        }
    }

    let parents: Vec<Option<usize>> = tweets
        .iter()
        .map(|tweet| tweet.parent.as_ref().and_then(|p| by_id.get(p).copied()))
        .collect();
    let roots = find_roots(&parents);

    // Group tweets by root, keeping threads in the order their first tweet appears.
    let mut threads: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut thread_of_root: HashMap<usize, usize> = HashMap::new();
    for (index, root) in roots.iter().enumerate() {
        let Some(root) = *root else {
            skipped.push(Skipped {
                location: format!("tweet {}", tweets[index].id),
                reason: "its chain of in_response_to_tweet_id loops back on itself".to_string(),
            });
            continue;
        };
        let thread = *thread_of_root.entry(root).or_insert_with(|| {
            threads.push((root, Vec::new()));
            threads.len() - 1
        });
        threads[thread].1.push(index);
    }

    let mut conversations = Vec::new();
    for (root, members) in threads {
        let external_id = format!("twcs:{}", tweets[root].id);
        let mut messages: Vec<ImportedMessage> = members
            .iter()
            .map(|&index| {
                let tweet = &tweets[index];
                ImportedMessage {
                    external_id: format!("twcs:{}", tweet.id),
                    direction: if tweet.inbound {
                        ImportedDirection::Inbound
                    } else {
                        ImportedDirection::Outbound
                    },
                    author: if tweet.inbound {
                        format!("@{}", tweet.author)
                    } else {
                        tweet.author.clone()
                    },
                    text: tweet.text.clone(),
                    at: tweet.at,
                }
            })
            .collect();
        sort_messages(&mut messages);
        let customer_author = if tweets[root].inbound {
            Some(tweets[root].author.clone())
        } else {
            let first_inbound = messages
                .iter()
                .find(|message| message.direction == ImportedDirection::Inbound);
            first_inbound.map(|message| message.author.trim_start_matches('@').to_string())
        };
        let Some(customer_author) = customer_author else {
            for &index in &members {
                skipped.push(Skipped {
                    location: format!("tweet {}", tweets[index].id),
                    reason: format!("its thread {external_id} has no inbound (customer) tweet"),
                });
            }
            continue;
        };
        conversations.push(ImportedConversation {
            references: Vec::new(),
            external_id,
            channel: "twitter".to_string(),
            subject: subject_or_fallback(None, &messages),
            customer: ImportedCustomer {
                name: format!("@{customer_author}"),
                email: None,
                handle: Some(customer_author),
            },
            messages,
        });
    }
    Ok(Parsed {
        conversations,
        skipped,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::import::{parse as parse_format, Format};

    const HEADER: &str =
        "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n";

    fn parse_ok(rows: &str) -> Parsed {
        parse_format(Format::Twcs, format!("{HEADER}{rows}").as_bytes()).expect("twcs parses")
    }

    fn reasons(parsed: &Parsed) -> Vec<(&str, &str)> {
        parsed
            .skipped
            .iter()
            .map(|s| (s.location.as_str(), s.reason.as_str()))
            .collect()
    }

    #[test]
    fn replies_are_threaded_up_to_their_root_with_the_company_reply_outbound() {
        let parsed = parse_ok(
            "3,115712,True,Tue Oct 31 22:20:00 +0000 2017,@sprintcare still nothing,,2.0\n\
             1,115712,True,Tue Oct 31 22:00:00 +0000 2017,\"@sprintcare my phone\nwill not start\",2,\n\
             2,sprintcare,False,Tue Oct 31 22:10:00 +0000 2017,@115712 Please DM us.,3,1.0\n",
        );
        assert!(parsed.skipped.is_empty(), "{:?}", parsed.skipped);
        assert_eq!(parsed.conversations.len(), 1);
        let conversation = &parsed.conversations[0];
        assert_eq!(conversation.external_id, "twcs:1");
        assert_eq!(conversation.channel, "twitter");
        assert_eq!(conversation.subject, "@sprintcare my phone");
        assert_eq!(
            conversation.customer,
            ImportedCustomer {
                name: "@115712".to_string(),
                email: None,
                handle: Some("115712".to_string()),
            }
        );
        let messages: Vec<(&str, ImportedDirection, &str)> = conversation
            .messages
            .iter()
            .map(|m| (m.external_id.as_str(), m.direction, m.author.as_str()))
            .collect();
        assert_eq!(
            messages,
            [
                ("twcs:1", ImportedDirection::Inbound, "@115712"),
                ("twcs:2", ImportedDirection::Outbound, "sprintcare"),
                ("twcs:3", ImportedDirection::Inbound, "@115712"),
            ]
        );
    }

    #[test]
    fn a_thread_rooted_in_a_company_tweet_takes_its_first_inbound_author_as_customer() {
        let parsed = parse_ok(
            "10,AppleSupport,False,Wed Nov 01 10:00:00 +0000 2017,@222 Which iOS?,11,99.0\n\
             11,222,True,Wed Nov 01 10:05:00 +0000 2017,@AppleSupport 11.1,,10.0\n\
             30,Delta,False,Wed Nov 01 09:00:00 +0000 2017,@333 Safe travels!,,\n\
             31,Delta,False,Wed Nov 01 09:01:00 +0000 2017,@333 And welcome.,,30\n",
        );
        assert_eq!(parsed.conversations.len(), 1);
        let conversation = &parsed.conversations[0];
        assert_eq!(conversation.external_id, "twcs:10");
        assert_eq!(conversation.customer.handle.as_deref(), Some("222"));
        assert_eq!(conversation.customer.name, "@222");
        assert_eq!(
            conversation.messages[0].direction,
            ImportedDirection::Outbound
        );
        assert_eq!(
            reasons(&parsed),
            [
                (
                    "tweet 30",
                    "its thread twcs:30 has no inbound (customer) tweet"
                ),
                (
                    "tweet 31",
                    "its thread twcs:30 has no inbound (customer) tweet"
                ),
            ]
        );
    }

    #[test]
    fn tweets_whose_reply_chain_loops_are_skipped() {
        let parsed = parse_ok(
            "20,444,True,Thu Nov 02 10:00:00 +0000 2017,a,,21.0\n\
             21,Uber_Support,False,Thu Nov 02 10:01:00 +0000 2017,b,,20.0\n\
             22,444,True,Thu Nov 02 10:02:00 +0000 2017,c,,21.0\n\
             23,555,True,Thu Nov 02 10:03:00 +0000 2017,d,,23.0\n\
             24,666,True,Thu Nov 02 10:04:00 +0000 2017,fine,,\n",
        );
        assert_eq!(parsed.conversations.len(), 1);
        assert_eq!(parsed.conversations[0].external_id, "twcs:24");
        let locations: Vec<&str> = reasons(&parsed).iter().map(|r| r.0).collect();
        assert_eq!(locations, ["tweet 20", "tweet 21", "tweet 22", "tweet 23"]);
        assert!(parsed.skipped[0].reason.contains("loops back"));
    }

    #[test]
    fn messy_rows_are_skipped_with_reasons() {
        let parsed = parse_ok(
            "40,777,maybe,Thu Nov 02 10:00:00 +0000 2017,a,,\n\
             41,777,True,2017-11-02,a,,\n\
             42,777,True,Thu Nov 02 10:00:00 +0000 2017,  ,,\n\
             43,777,True,Thu Nov 02 10:00:00 +0000 2017,ok,,\n\
             43,777,True,Thu Nov 02 10:00:00 +0000 2017,again,,\n\
             x,777,True,Thu Nov 02 10:00:00 +0000 2017,a,,\n\
             44,777,True,Thu Nov 02 10:00:00 +0000 2017,a,,abc\n",
        );
        let found = reasons(&parsed);
        let locations: Vec<&str> = found.iter().map(|r| r.0).collect();
        assert_eq!(
            locations,
            ["tweet 40", "tweet 41", "tweet 42", "tweet 43", "line 7", "tweet 44"]
        );
        assert!(found[0].1.contains("maybe"));
        assert!(found[1].1.contains("2017-11-02"));
        assert_eq!(found[2].1, "text is empty");
        assert!(found[3].1.contains("already used"));
        assert_eq!(parsed.conversations.len(), 1);
    }

    #[test]
    fn a_file_without_the_twcs_columns_is_an_error() {
        let error = parse_format(Format::Twcs, b"tweet_id,author_id,text\n1,a,b\n").unwrap_err();
        assert!(matches!(
            error,
            ImportError::MissingColumn {
                column: "inbound",
                ..
            }
        ));
    }

    #[test]
    fn tweet_ids_are_read_as_integers_or_floats() {
        let cases = [
            ("3", Some("3")),
            ("3.0", Some("3")),
            ("007", Some("7")),
            ("1e3", Some("1000")),
            ("3.5", None),
            ("-1", None),
            ("", None),
            ("abc", None),
        ];
        for (value, expected) in cases {
            assert_eq!(
                parse_tweet_id(value).as_deref(),
                expected,
                "reading {value:?}"
            );
        }
    }

    #[test]
    fn the_kaggle_sample_is_fully_accounted_for() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/twcs-sample/twcs_first5000.csv"
        );
        let bytes = std::fs::read(path).expect("the twcs sample is readable");
        assert_eq!(
            Format::detect("twcs_first5000.csv", &bytes[..200]),
            Some(Format::Twcs)
        );
        let parsed = parse_format(Format::Twcs, &bytes).expect("the sample parses");

        let messages: usize = parsed.conversations.iter().map(|c| c.messages.len()).sum();
        assert_eq!(messages + parsed.skipped.len(), 5000);
        assert!(!parsed.conversations.is_empty());

        let mut ids = HashSet::new();
        for conversation in &parsed.conversations {
            assert!(conversation.external_id.starts_with("twcs:"));
            assert!(!conversation.subject.is_empty());
            assert!(conversation
                .messages
                .iter()
                .any(|m| m.direction == ImportedDirection::Inbound));
            let key = |m: &ImportedMessage| (m.at, m.external_id.clone());
            let sorted = conversation
                .messages
                .windows(2)
                .all(|pair| key(&pair[0]) <= key(&pair[1]));
            assert!(sorted, "{} is not sorted", conversation.external_id);
            for message in &conversation.messages {
                assert!(
                    ids.insert(message.external_id.clone()),
                    "{}",
                    message.external_id
                );
            }
        }
        let inbound = parsed
            .conversations
            .iter()
            .flat_map(|c| &c.messages)
            .filter(|m| m.direction == ImportedDirection::Inbound)
            .count();
        // The sample has no unreadable rows, so only outbound tweets can be left out: the
        // two tweets of a thread in which a brand answers a brand.
        assert_eq!(inbound, 2778);
        assert!(parsed
            .skipped
            .iter()
            .all(|s| s.reason.contains("has no inbound")));
    }
}
