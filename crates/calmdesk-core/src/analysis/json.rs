//! A Reading written straight to compact JSON bytes: the same bytes as serialising it with
//! serde_json, field by field in the same order, without serde's machinery in between. Bulk
//! analysis writes hundreds of thousands of Readings, and there this is most of the cost.

use std::sync::Arc;

use serde_json::ser::{CompactFormatter, Formatter};

use super::reading::Reading;
use super::scores::{whole_steps, LabelScores, STEPS};
use crate::rules::{Fact, FactKind, FaultSide};
use crate::span::{Evidence, Span};

/// Appends `reading` to `out` as compact JSON, exactly as `serde_json::to_writer` writes it.
pub fn write_reading(out: &mut Vec<u8>, reading: &Reading) {
    let heat = &reading.heat;
    out.extend_from_slice(b"{\"heat\":{\"level\":");
    string(out, heat.level.as_str());
    out.extend_from_slice(b",\"score\":");
    float(out, heat.score);
    out.extend_from_slice(b",\"evidence\":");
    list(out, &heat.evidence, evidence);
    out.extend_from_slice(b",\"signals\":");
    list(out, &heat.signals, |out, s| {
        out.extend_from_slice(b"{\"signal\":");
        string(out, s.signal);
        out.extend_from_slice(b",\"value\":");
        float(out, s.value);
        out.push(b'}');
    });
    out.extend_from_slice(b"},\"emotions\":");
    scores(out, &reading.emotions);
    let sentiment = &reading.sentiment;
    out.extend_from_slice(b",\"sentiment\":{\"negative\":");
    float(out, sentiment.negative);
    out.extend_from_slice(b",\"neutral\":");
    float(out, sentiment.neutral);
    out.extend_from_slice(b",\"positive\":");
    float(out, sentiment.positive);
    let abuse = &reading.abuse;
    out.extend_from_slice(b"},\"abuse\":{\"offensive\":");
    float(out, abuse.offensive);
    out.extend_from_slice(b",\"hate\":");
    float(out, abuse.hate);
    out.extend_from_slice(b",\"threat\":");
    float(out, abuse.threat);
    out.extend_from_slice(b",\"profanity\":");
    boolean(out, abuse.profanity);
    out.extend_from_slice(b",\"targets_agent\":");
    boolean(out, abuse.targets_agent);
    out.extend_from_slice(b",\"spans\":");
    list(out, &abuse.spans, evidence);
    out.extend_from_slice(b"},\"complaint\":");
    float(out, reading.complaint);
    out.extend_from_slice(b",\"irony\":");
    float(out, reading.irony);
    out.extend_from_slice(b",\"politeness\":");
    float(out, reading.politeness);
    out.extend_from_slice(b",\"intents\":");
    scores(out, &reading.intents);
    out.extend_from_slice(b",\"intent_evidence\":");
    list(out, &reading.intent_evidence, evidence);
    out.extend_from_slice(b",\"facts\":");
    list(out, &reading.facts, fact);
    out.extend_from_slice(b",\"fault\":{\"side\":");
    string(out, fault_side(reading.fault.side));
    out.extend_from_slice(b",\"reasons\":");
    list(out, &reading.fault.reasons, |out, r| {
        out.extend_from_slice(b"{\"reason\":");
        string(out, r.reason);
        out.extend_from_slice(b",\"side\":");
        string(out, fault_side(r.side));
        out.push(b',');
        evidence_fields(out, &r.evidence);
        out.push(b'}');
    });
    out.extend_from_slice(b"},\"complaint_core\":{\"text\":");
    string(out, &reading.complaint_core.text);
    out.extend_from_slice(b",\"removed\":");
    list(out, &reading.complaint_core.removed, span);
    out.extend_from_slice(b"},\"diagnostics\":");
    list(out, &reading.diagnostics, |out, d| {
        out.extend_from_slice(b"{\"code\":");
        string(out, d.code);
        out.extend_from_slice(b",\"message\":");
        string(out, &d.message);
        out.push(b'}');
    });
    out.push(b'}');
}

fn fault_side(side: FaultSide) -> &'static str {
    match side {
        FaultSide::Company => "company",
        FaultSide::Customer => "customer",
        FaultSide::Unclear => "unclear",
    }
}

fn fact_kind(kind: FactKind) -> &'static str {
    match kind {
        FactKind::OrderNumber => "order_number",
        FactKind::Money => "money",
        FactKind::Date => "date",
        FactKind::Duration => "duration",
        FactKind::ContactCount => "contact_count",
        FactKind::Product => "product",
        FactKind::Email => "email",
        FactKind::Phone => "phone",
    }
}

fn list<T>(out: &mut Vec<u8>, items: &[T], mut item: impl FnMut(&mut Vec<u8>, &T)) {
    out.push(b'[');
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        item(out, x);
    }
    out.push(b']');
}

fn scores(out: &mut Vec<u8>, scores: &LabelScores) {
    KEYS.with(|keys| match keys.try_borrow_mut() {
        Ok(mut keys) => {
            let at = match keys
                .iter()
                .position(|k| Arc::ptr_eq(&k.labels, &scores.labels))
            {
                Some(at) => at,
                None => {
                    if keys.len() == MOST_KEY_SETS {
                        keys.clear();
                    }
                    keys.push(Keys::of(&scores.labels));
                    keys.len() - 1
                }
            };
            keys[at].write(out, &scores.probabilities);
        }
        Err(_) => Keys::of(&scores.labels).write(out, &scores.probabilities),
    });
}

/// The object keys of a set of labels, escaped once and kept per thread: every Reading names
/// the same 59 labels, and writing them is then a copy each.
struct Keys {
    /// Held, so that no other set of labels can take its place in memory while it is kept.
    labels: Arc<[String]>,
    /// `{"first":`, then `,"next":` for each other label, one after another.
    bytes: Vec<u8>,
    /// Where each label's part of `bytes` ends.
    ends: Vec<usize>,
}

/// How many sets of labels a thread keeps the keys of (a Reading has two).
const MOST_KEY_SETS: usize = 8;

thread_local! {
    static KEYS: std::cell::RefCell<Vec<Keys>> = std::cell::RefCell::default();
}

impl Keys {
    fn of(labels: &Arc<[String]>) -> Keys {
        let mut bytes = Vec::new();
        let mut ends = Vec::with_capacity(labels.len());
        for (i, label) in labels.iter().enumerate() {
            bytes.push(if i == 0 { b'{' } else { b',' });
            string(&mut bytes, label);
            bytes.push(b':');
            ends.push(bytes.len());
        }
        Keys {
            labels: Arc::clone(labels),
            bytes,
            ends,
        }
    }

    /// The labels' object with `probabilities`, as many as there are of both.
    fn write(&self, out: &mut Vec<u8>, probabilities: &[f32]) {
        let mut start = 0;
        for (&end, &p) in self.ends.iter().zip(probabilities) {
            out.extend_from_slice(&self.bytes[start..end]);
            float(out, p);
            start = end;
        }
        if start == 0 {
            out.push(b'{');
        }
        out.push(b'}');
    }
}

fn evidence(out: &mut Vec<u8>, e: &Evidence) {
    out.push(b'{');
    evidence_fields(out, e);
    out.push(b'}');
}

/// `"start":…,"end":…,"text":…,"rule":…` without braces, for evidence flattened into another
/// object.
fn evidence_fields(out: &mut Vec<u8>, e: &Evidence) {
    span_fields(out, e.start, e.end, &e.text);
    out.extend_from_slice(b",\"rule\":");
    string(out, e.rule);
}

/// `"start":…,"end":…,"text":…` without braces: a span, alone or inside evidence.
fn span_fields(out: &mut Vec<u8>, start: usize, end: usize, text: &str) {
    out.extend_from_slice(b"\"start\":");
    integer(out, start as u64);
    out.extend_from_slice(b",\"end\":");
    integer(out, end as u64);
    out.extend_from_slice(b",\"text\":");
    string(out, text);
}

fn span(out: &mut Vec<u8>, s: &Span) {
    out.push(b'{');
    span_fields(out, s.start, s.end, &s.text);
    out.push(b'}');
}

fn fact(out: &mut Vec<u8>, f: &Fact) {
    out.extend_from_slice(b"{\"kind\":");
    string(out, fact_kind(f.kind));
    out.extend_from_slice(b",\"value\":");
    string(out, &f.value);
    out.extend_from_slice(b",\"amount\":");
    match f.amount {
        Some(amount) if amount.is_finite() => {
            // Writing to a Vec cannot fail.
            let _ = CompactFormatter.write_f64(out, amount);
        }
        _ => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"currency\":");
    match &f.currency {
        Some(currency) => string(out, currency),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"count\":");
    match f.count {
        Some(count) => integer(out, u64::from(count)),
        None => out.extend_from_slice(b"null"),
    }
    out.push(b',');
    evidence_fields(out, &f.evidence);
    out.push(b'}');
}

fn boolean(out: &mut Vec<u8>, value: bool) {
    out.extend_from_slice(if value { b"true" } else { b"false" });
}

/// The text of every whole number of steps from 0 to 1 but 1 itself, `0.` and four places
/// with the trailing zeros dropped (one kept after the point), padded to six bytes; the last
/// byte is how many of them count. Made when the program is compiled, so writing a
/// probability is a copy.
static STEP_TEXTS: [[u8; 7]; STEPS as usize] = {
    let mut texts = [[0u8; 7]; STEPS as usize];
    let mut k = 0;
    while k < texts.len() {
        let mut text = *b"0.0000\x06";
        let mut rest = k;
        let mut at = 5;
        while at >= 2 {
            text[at] = b'0' + (rest % 10) as u8;
            rest /= 10;
            at -= 1;
        }
        let mut len = 6;
        while len > 3 && text[len - 1] == b'0' {
            len -= 1;
        }
        text[6] = len as u8;
        texts[k] = text;
        k += 1;
    }
    texts
};

/// A float as serde_json writes it: the shortest text that reads back as the same `f32`, and
/// `null` for NaN and the infinities. A Reading's probabilities are whole numbers of
/// 1/[`STEPS`] between 0 and 1 and take a short path: their shortest text is the four decimal
/// places with the trailing zeros dropped, looked up in [`STEP_TEXTS`].
fn float(out: &mut Vec<u8>, value: f32) {
    if let Some(steps) = whole_steps(value) {
        match STEP_TEXTS.get(steps as usize) {
            Some(text) => {
                // Six bytes at once and the padding taken back: quicker than a copy of a
                // length only known at run time.
                out.extend_from_slice(&text[..6]);
                out.truncate(out.len() - 6 + usize::from(text[6]));
            }
            None => out.extend_from_slice(b"1.0"),
        }
    } else if value.is_finite() {
        // Writing to a Vec cannot fail.
        let _ = CompactFormatter.write_f32(out, value);
    } else {
        out.extend_from_slice(b"null");
    }
}

fn integer(out: &mut Vec<u8>, mut value: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// Whether any byte of `bytes` must be escaped in a JSON string: a quote, a backslash or a
/// control character. Eight bytes at a time, since most strings have none.
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // A byte of `word` is zero exactly when the same byte of the result has its high bit set.
    let has_zero = |word: u64| word.wrapping_sub(ONES) & !word & HIGHS;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        // Bytes below 0x20: those whose top three bits are all clear.
        let control = has_zero(word & (0xe0 * ONES));
        let quote = has_zero(word ^ (u64::from(b'"') * ONES));
        let backslash = has_zero(word ^ (u64::from(b'\\') * ONES));
        if control | quote | backslash != 0 {
            return true;
        }
    }
    chunks
        .remainder()
        .iter()
        .any(|&b| b < 0x20 || b == b'"' || b == b'\\')
}

/// A JSON string, escaped as serde_json escapes it: quote, backslash and control characters;
/// everything else, non-ASCII included, as it is.
fn string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    let bytes = text.as_bytes();
    if !needs_escape(bytes) {
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    let mut from = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[from..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xf)]);
        } else {
            out.extend_from_slice(escape);
        }
        from = i + 1;
    }
    out.extend_from_slice(&bytes[from..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_found_wherever_they_are() {
        let plain = "Where is my parcel? It's late: ünïcode, emoji 😠 and all";
        assert!(!needs_escape(plain.as_bytes()));
        for at in 0..=plain.len() {
            if !plain.is_char_boundary(at) {
                continue;
            }
            for special in ["\"", "\\", "\n", "\u{1}", "\u{1f}", "\t"] {
                let text = format!("{}{special}{}", &plain[..at], &plain[at..]);
                assert!(needs_escape(text.as_bytes()), "{text:?}");
            }
        }
        for b in 0u8..=0xff {
            let text = [b'a', b'b', b'c', b'd', b'e', b'f', b'g', b];
            let expected = b < 0x20 || b == b'"' || b == b'\\';
            assert_eq!(needs_escape(&text), expected, "byte {b:#x}");
        }
    }

    #[test]
    fn label_scores_are_written_as_serde_json_writes_them() {
        let labels =
            |names: &[&str]| -> Arc<[String]> { names.iter().map(|n| (*n).to_owned()).collect() };
        let sets = [
            labels(&["anger", "say \"hi\"", "back\\slash", "tab\t"]),
            labels(&["only"]),
            labels(&[]),
        ];
        // Each set twice, the second time from the keys kept, and more sets than are kept.
        for round in 0..2 {
            for extra in 0..=MOST_KEY_SETS {
                let set = match sets.get(extra) {
                    Some(set) => Arc::clone(set),
                    None => labels(&["extra", if round == 0 { "a" } else { "b" }]),
                };
                for probabilities in [vec![0.5, 0.25, 1.0, 0.0], vec![0.1234], vec![]] {
                    let found = LabelScores {
                        labels: Arc::clone(&set),
                        probabilities,
                    };
                    let mut ours = Vec::new();
                    scores(&mut ours, &found);
                    let theirs = serde_json::to_string(&found).unwrap();
                    assert_eq!(String::from_utf8(ours).unwrap(), theirs);
                }
            }
        }
    }

    #[test]
    fn four_place_probabilities_are_written_as_serde_json_writes_them() {
        for steps in 0..=STEPS as u32 {
            let value = steps as f32 / STEPS;
            let mut ours = Vec::new();
            float(&mut ours, value);
            let theirs = serde_json::to_string(&value).unwrap();
            assert_eq!(String::from_utf8(ours).unwrap(), theirs, "{steps} steps");
        }
        for value in [0.123_456_78_f32, 1e-20, -0.25, 3.5, f32::NAN, f32::INFINITY] {
            let mut ours = Vec::new();
            float(&mut ours, value);
            let theirs = serde_json::to_string(&value).unwrap();
            assert_eq!(String::from_utf8(ours).unwrap(), theirs, "{value}");
        }
    }
}
