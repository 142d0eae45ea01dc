//! Facts: the order numbers, amounts of money, dates, durations, contact counts, products,
//! e-mail addresses and phone numbers that a customer mentions, each with its span in the message.
//!
//! Every extractor here prefers missing a fact to inventing one: a wrong order number or amount
//! shown to an agent does more harm than a missing one. Where two extractors claim overlapping
//! text, the one earlier in [`extract_facts`] wins, so "$129.00" is money and never a phone
//! number, and "order 123456" is an order number and never a duration.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Serialize;

use super::words::{mask_of, next_wanted, Lexicon, Tagged, Tokens, WordList};
use crate::span::Evidence;

/// One fact found in a message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    pub kind: FactKind,
    /// The normalised value: the bare order id, "129.00 USD", the date phrase in lower case,
    /// the contact count, the product as written, the address or the phone digits.
    pub value: String,
    /// The amount, for money.
    pub amount: Option<f64>,
    /// The ISO 4217 code, for money.
    pub currency: Option<String>,
    /// How many times the customer says they have contacted us, when they say a number.
    pub count: Option<u32>,
    #[serde(flatten)]
    pub evidence: Evidence,
}

/// What a fact is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FactKind {
    OrderNumber,
    Money,
    Date,
    Duration,
    ContactCount,
    Product,
    Email,
    Phone,
}

impl FactKind {
    /// The id of the rule that finds facts of this kind, such as `fact.money`.
    pub fn rule(self) -> &'static str {
        match self {
            FactKind::OrderNumber => "fact.order_number",
            FactKind::Money => "fact.money",
            FactKind::Date => "fact.date",
            FactKind::Duration => "fact.duration",
            FactKind::ContactCount => "fact.contact_count",
            FactKind::Product => "fact.product",
            FactKind::Email => "fact.email",
            FactKind::Phone => "fact.phone",
        }
    }
}

/// The facts of `text`, sorted by where they start, none overlapping another.
pub fn extract_facts(text: &str) -> Vec<Fact> {
    extract_facts_in(&Tokens::new(text))
}

/// The facts of the message whose words are `words`, as [`extract_facts`] gives them.
pub fn extract_facts_in(words: &Tokens) -> Vec<Fact> {
    let text = words.text;
    let tokens = Tagged::new(words, lexicon());
    let mut candidates = Vec::new();
    find_emails(text, &mut candidates);
    find_money(&tokens, &mut candidates);
    find_order_numbers(&tokens, &mut candidates);
    find_phones(text, &mut candidates);
    find_numeric_dates(text, &mut candidates);
    find_calendar_phrases(&tokens, &mut candidates);
    find_contact_counts(&tokens, &mut candidates);
    find_products(&tokens, &mut candidates);
    // A link's path is made of letters and digits that read as ids, dates or phone numbers.
    candidates.retain(|found| !inside_link(text, found.evidence.start));
    keep_first_of_overlapping(candidates)
}

/// Whether byte `at` of `text` lies in a link: a word that starts with "http://", "https://"
/// or "www.".
fn inside_link(text: &str, at: usize) -> bool {
    let word_start = text[..at].rfind(char::is_whitespace).map_or(0, |space| {
        space + text[space..].chars().next().map_or(1, char::len_utf8)
    });
    let word = &text.as_bytes()[word_start..];
    ["http://", "https://", "www."].iter().any(|lead| {
        word.len() >= lead.len() && word[..lead.len()].eq_ignore_ascii_case(lead.as_bytes())
    })
}

/// Every word list of this module, compiled once.
fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        Lexicon::new(&[
            NUMBER_NAMES,
            ORDINAL_NAMES,
            ORDER_KEYWORDS,
            ORDER_QUALIFIERS,
            MONTHS,
            WEAK_MONTHS,
            WEEKDAYS,
            DAY_PARTS,
            RELATIVE_DAYS,
            RELATIVE_PERIODS,
            PERIOD_MODIFIERS,
            DATE_PREPOSITIONS,
            MONTH_PREPOSITIONS,
            DURATION_PREPOSITIONS,
            TIME_SINGULAR,
            TIME_PLURAL,
            BARE_PLURAL_UNITS,
            DURATION_FOLLOWERS,
            CONTACT_VERBS,
            CONTACT_NOUNS,
            CONTACT_FILLERS,
            VAGUE_MANY,
            CONTACT_COUNT_LEADS,
            PURCHASE_VERBS,
            PURCHASE_DETERMINERS,
            SUBJECT_DETERMINERS,
            PRODUCT_EVENTS,
            PRODUCT_AUXILIARIES,
            PRODUCT_COMPLAINTS,
            PHRASE_STOPS,
            NOT_PRODUCTS,
            SPOILERS,
            DAMAGE_ADJECTIVES,
            TRAILING_ADJECTIVES,
            CONTAINERS,
            VAGUE_ORDINALS,
            CALENDAR_STARTS,
            CONTACT_STARTS,
        ])
    })
}

/// A fact of `kind` spanning `start..end` of `text`, with only its value filled in.
fn fact(text: &str, kind: FactKind, start: usize, end: usize, value: String) -> Fact {
    Fact {
        kind,
        value,
        amount: None,
        currency: None,
        count: None,
        evidence: Evidence::of(text, start, end, kind.rule()),
    }
}

/// The candidates that do not overlap an earlier candidate, sorted by position.
fn keep_first_of_overlapping(candidates: Vec<Fact>) -> Vec<Fact> {
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    let mut kept = Vec::new();
    for candidate in candidates {
        let (start, end) = (candidate.evidence.start, candidate.evidence.end);
        if start >= end {
            continue;
        }
        let clashes_before = taken
            .range(..=start)
            .next_back()
            .is_some_and(|(_, &taken_end)| taken_end > start);
        let clashes_after = taken
            .range(start..)
            .next()
            .is_some_and(|(&taken_start, _)| taken_start < end);
        if clashes_before || clashes_after {
            continue;
        }
        taken.insert(start, end);
        kept.push(candidate);
    }
    kept.sort_by_key(|found| (found.evidence.start, found.evidence.end));
    kept
}

// ---------------------------------------------------------------------------------------------
// Numbers written as digits or words.

/// Cardinal numbers written as words, and their values in the same order.
const NUMBER_NAMES: WordList = WordList::new(
    32,
    &[
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "fifteen", "twenty", "thirty",
    ],
);
const NUMBER_VALUES: &[u32] = &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 20, 30];

/// Ordinal numbers written as words, and their values in the same order.
const ORDINAL_NAMES: WordList = WordList::new(
    33,
    &[
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "fifteenth",
        "twentieth",
    ],
);
const ORDINAL_VALUES: &[u32] = &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 20];

/// Ordinals that say "many" without a number.
const VAGUE_ORDINALS: WordList = WordList::new(
    0,
    &["umpteenth", "nth", "hundredth", "millionth", "zillionth"],
);

/// The value of the word at `index` of `names`, whose values `values` lists in the same order.
fn named_value(tokens: &Tagged, index: usize, names: WordList, values: &[u32]) -> Option<u32> {
    if !tokens.is_in(index, names) {
        return None;
    }
    let folded = tokens.folded(index);
    let position = names.words.iter().position(|name| *name == folded)?;
    values.get(position).copied()
}

/// The value of word `index` when it is a small number: "3", "48" or "three".
fn number_at(tokens: &Tagged, index: usize) -> Option<u32> {
    let word = tokens.word(index);
    if !word.is_empty() && word.len() <= 4 && word.bytes().all(|b| b.is_ascii_digit()) {
        return word.parse().ok();
    }
    named_value(tokens, index, NUMBER_NAMES, NUMBER_VALUES)
}

/// The value of word `index` when it is an ordinal: `Some(Some(3))` for "third" or "3rd",
/// `Some(None)` for "umpteenth", and `None` for a word that is not an ordinal.
fn ordinal_at(tokens: &Tagged, index: usize) -> Option<Option<u32>> {
    if let Some(value) = named_value(tokens, index, ORDINAL_NAMES, ORDINAL_VALUES) {
        return Some(Some(value));
    }
    if tokens.is_in(index, VAGUE_ORDINALS) {
        return Some(None);
    }
    let word = tokens.folded(index);
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    let is_suffix = matches!(suffix, "st" | "nd" | "rd" | "th");
    if is_suffix
        && !digits.is_empty()
        && digits.len() <= 3
        && digits.bytes().all(|b| b.is_ascii_digit())
    {
        return digits.parse().ok().map(Some);
    }
    None
}

// ---------------------------------------------------------------------------------------------
// E-mail addresses.

/// Whether `byte` may appear in the local part of an address.
fn is_local_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'_' | b'%' | b'+' | b'-')
}

/// Whether `byte` may appear in a domain name.
fn is_domain_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'-')
}

/// Whether `domain` looks like a real domain: labels joined by dots, ending in a top-level
/// domain of at least two letters.
fn is_plausible_domain(domain: &str) -> bool {
    let Some((_, top)) = domain.rsplit_once('.') else {
        return false;
    };
    !domain.starts_with(['.', '-'])
        && !domain.contains("..")
        && top.len() >= 2
        && top.bytes().all(|b| b.is_ascii_alphabetic())
}

/// Finds addresses such as "jo.smith+orders@example.co.uk"; the value is in lower case.
fn find_emails(text: &str, found: &mut Vec<Fact>) {
    let bytes = text.as_bytes();
    for (at, _) in text.match_indices('@') {
        let mut start = at;
        while start > 0 && is_local_byte(bytes[start - 1]) {
            start -= 1;
        }
        while start < at && bytes[start] == b'.' {
            start += 1;
        }
        let mut end = at + 1;
        while end < bytes.len() && is_domain_byte(bytes[end]) {
            end += 1;
        }
        while end > at + 1 && matches!(bytes[end - 1], b'.' | b'-') {
            end -= 1;
        }
        if start == at || !is_plausible_domain(&text[at + 1..end]) {
            continue;
        }
        let value = text[start..end].to_ascii_lowercase();
        found.push(fact(text, FactKind::Email, start, end, value));
    }
}

// ---------------------------------------------------------------------------------------------
// Phone numbers.

/// Whether a phone number may start right after `previous`.
fn phone_may_follow(previous: u8) -> bool {
    previous.is_ascii_whitespace()
        || matches!(
            previous,
            b':' | b';' | b',' | b'(' | b'"' | b'\'' | b'[' | b'>' | b'='
        )
}

/// A phone number starting at byte `start`: where it ends and its digits, with a leading "+"
/// kept. Numbers need 10 to 15 digits; one written without spaces, dashes or brackets must
/// start with "+" or "0", as mobile and national numbers do, so that bare ids are not taken.
fn scan_phone(bytes: &[u8], start: usize) -> Option<(usize, String)> {
    let mut digits = String::new();
    let mut at = start;
    let plus = bytes[at] == b'+';
    if plus {
        digits.push('+');
        at += 1;
    }
    let mut groups = 0;
    let mut separated = false;
    // Four groups of up to three digits with dots between them are an internet address.
    let mut dotted_short = true;
    let mut end = at;
    loop {
        let bracketed = bytes.get(at) == Some(&b'(');
        let group_start = if bracketed { at + 1 } else { at };
        let mut group_end = group_start;
        while group_end < bytes.len() && bytes[group_end].is_ascii_digit() {
            group_end += 1;
        }
        let length = group_end - group_start;
        let closes = !bracketed || bytes.get(group_end) == Some(&b')');
        if length == 0 || length > 8 || (groups > 0 && length < 2) || !closes {
            break;
        }
        digits.extend(bytes[group_start..group_end].iter().map(|&b| char::from(b)));
        dotted_short &= length <= 3 && !bracketed && (groups == 0 || bytes[at - 1] == b'.');
        groups += 1;
        end = if bracketed { group_end + 1 } else { group_end };
        separated |= bracketed;
        if groups > 6 {
            break;
        }
        let mut next = end;
        if matches!(bytes.get(next), Some(b' ' | b'-' | b'.')) {
            next += 1;
        }
        match bytes.get(next) {
            Some(b) if next > end && (b.is_ascii_digit() || *b == b'(') => {
                separated = true;
                at = next;
            }
            Some(b'(') if next == end => at = next,
            _ => break,
        }
    }
    let count = digits.trim_start_matches('+').len();
    let starts_like_a_phone = plus || digits.starts_with('0');
    let ends_cleanly = match bytes.get(end) {
        None => true,
        Some(b) if b.is_ascii_alphanumeric() || *b == b'@' || *b >= 0x80 => false,
        Some(b'.' | b',' | b'/' | b'-') => !bytes.get(end + 1).is_some_and(u8::is_ascii_digit),
        Some(_) => true,
    };
    let internet_address = !plus && groups == 4 && dotted_short;
    let plausible = (10..=15).contains(&count)
        && groups <= 6
        && !internet_address
        && (separated || (starts_like_a_phone && count <= 13))
        && ends_cleanly;
    plausible.then_some((end, digits))
}

/// Finds numbers such as "+1 555 123 4567", "(555) 123-4567" and "07700 900123".
fn find_phones(text: &str, found: &mut Vec<Fact>) {
    let bytes = text.as_bytes();
    let mut at = 0;
    loop {
        // A number may start at a digit, a "+" or a bracket.
        at = next_wanted(bytes, at, |b| {
            matches!(b, b'+' | b'(') || b.is_ascii_digit()
        });
        if at == bytes.len() {
            break;
        }
        if at == 0 || phone_may_follow(bytes[at - 1]) {
            if let Some((end, digits)) = scan_phone(bytes, at) {
                found.push(fact(text, FactKind::Phone, at, end, digits));
                at = end;
                continue;
            }
        }
        at += 1;
    }
}

// ---------------------------------------------------------------------------------------------
// Money.

/// ISO codes we recognise, in lower and upper case.
const CURRENCY_CODES: &[(&str, &str)] = &[
    ("usd", "USD"),
    ("eur", "EUR"),
    ("gbp", "GBP"),
    ("cad", "CAD"),
    ("cdn", "CAD"),
    ("aud", "AUD"),
    ("nzd", "NZD"),
    ("jpy", "JPY"),
    ("inr", "INR"),
    ("chf", "CHF"),
    ("sek", "SEK"),
    ("nok", "NOK"),
    ("dkk", "DKK"),
    ("pln", "PLN"),
    ("mxn", "MXN"),
    ("zar", "ZAR"),
    ("sgd", "SGD"),
    ("hkd", "HKD"),
    ("cny", "CNY"),
    ("brl", "BRL"),
    ("myr", "MYR"),
    ("idr", "IDR"),
    ("thb", "THB"),
    ("krw", "KRW"),
    ("aed", "AED"),
    ("sar", "SAR"),
    ("pkr", "PKR"),
    ("ngn", "NGN"),
];

/// Names of currencies that may follow an amount.
const CURRENCY_NAMES: &[(&str, &str)] = &[
    ("dollars", "USD"),
    ("dollar", "USD"),
    ("bucks", "USD"),
    ("euros", "EUR"),
    ("euro", "EUR"),
    ("pounds", "GBP"),
    ("pound", "GBP"),
    ("quid", "GBP"),
    ("yen", "JPY"),
    ("rupees", "INR"),
    ("rupee", "INR"),
    ("ringgit", "MYR"),
];

/// Abbreviations written before an amount that are not ISO codes: the ringgit's "RM" (in
/// capitals only: "rm 12" may be a room) and the rupee's "Rs", with or without a dot.
const AMOUNT_PREFIXES: &[(&str, &str)] =
    &[("RM", "MYR"), ("Rs", "INR"), ("RS", "INR"), ("rs", "INR")];

/// The currencies written with "$", whose code after a "$" amount says which dollar it is.
const DOLLARS: &[&str] = &["USD", "CAD", "AUD", "NZD", "HKD", "SGD", "MXN"];

/// Letters written before "$" that name a dollar other than the US one.
const DOLLAR_PREFIXES: &[(&str, &str)] = &[
    ("us", "USD"),
    ("c", "CAD"),
    ("ca", "CAD"),
    ("a", "AUD"),
    ("au", "AUD"),
    ("nz", "NZD"),
    ("hk", "HKD"),
    ("s", "SGD"),
    ("r", "BRL"),
    ("mx", "MXN"),
];

/// The currency a symbol stands for.
fn symbol_currency(symbol: char) -> Option<&'static str> {
    match symbol {
        '$' => Some("USD"),
        '€' => Some("EUR"),
        '£' => Some("GBP"),
        '¥' => Some("JPY"),
        '₹' => Some("INR"),
        '₩' => Some("KRW"),
        '₱' => Some("PHP"),
        '₽' => Some("RUB"),
        '₺' => Some("TRY"),
        '₦' => Some("NGN"),
        '₪' => Some("ILS"),
        '฿' => Some("THB"),
        _ => None,
    }
}

/// The currency a code or name stands for, in any case.
fn named_currency(word: &str) -> Option<&'static str> {
    CURRENCY_CODES
        .iter()
        .chain(CURRENCY_NAMES.iter())
        .find(|(name, _)| word.eq_ignore_ascii_case(name))
        .map(|&(_, code)| code)
}

/// An amount starting at byte `start`: "1,299.99", "129", "40,50" (a decimal comma). Returns
/// where it ends and its value.
fn scan_amount(text: &str, start: usize) -> Option<(usize, f64)> {
    let bytes = text.as_bytes();
    let digit_at = |at: usize| bytes.get(at).is_some_and(u8::is_ascii_digit);
    let mut at = start;
    while digit_at(at) {
        at += 1;
    }
    let mut whole = text[start..at].to_owned();
    let mut grouped = false;
    if at - start <= 3 {
        while bytes.get(at) == Some(&b',')
            && digit_at(at + 1)
            && digit_at(at + 2)
            && digit_at(at + 3)
            && !digit_at(at + 4)
        {
            whole.push_str(&text[at + 1..at + 4]);
            at += 4;
            grouped = true;
        }
    }
    let mut fraction = "";
    if bytes.get(at) == Some(&b'.') && digit_at(at + 1) {
        let from = at + 1;
        let mut to = from;
        while digit_at(to) {
            to += 1;
        }
        if to - from <= 2 {
            fraction = &text[from..to];
            at = to;
        }
    } else if !grouped
        && bytes.get(at) == Some(&b',')
        && digit_at(at + 1)
        && digit_at(at + 2)
        && !digit_at(at + 3)
    {
        fraction = &text[at + 1..at + 3];
        at += 3;
    }
    let value: f64 = if fraction.is_empty() {
        whole.parse().ok()?
    } else {
        format!("{whole}.{fraction}").parse().ok()?
    };
    Some((at, value))
}

/// The currency written just before byte `at` ("$", "€ ", "USD ", "C$"), and where it starts.
fn currency_before(text: &str, at: usize) -> Option<(usize, &'static str)> {
    let before = &text[..at];
    let before = before.strip_suffix(' ').unwrap_or(before);
    let last = before.chars().next_back()?;
    if let Some(code) = symbol_currency(last) {
        let symbol_start = before.len() - last.len_utf8();
        if last == '$' {
            let lead = &before[..symbol_start];
            let letters = lead.len()
                - lead
                    .trim_end_matches(|c: char| c.is_ascii_alphabetic())
                    .len();
            let letters_start = symbol_start - letters;
            let alone = !lead[..letters_start]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
            if letters > 0 && alone {
                let prefix = &lead[letters_start..];
                if let Some(&(_, dollar)) = DOLLAR_PREFIXES
                    .iter()
                    .find(|(p, _)| prefix.eq_ignore_ascii_case(p))
                {
                    return Some((letters_start, dollar));
                }
            }
        }
        return Some((symbol_start, code));
    }
    // "Rs. 500": an abbreviation's dot.
    let (lead, dotted) = match before.strip_suffix('.') {
        Some(lead) => (lead, true),
        None => (before, false),
    };
    if lead.ends_with(|c: char| c.is_ascii_alphabetic()) {
        let word_start = lead
            .trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .len();
        let alone = !lead[..word_start]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        let word = &lead[word_start..];
        if !alone {
            return None;
        }
        if let Some(&(_, code)) = AMOUNT_PREFIXES.iter().find(|(prefix, _)| word == *prefix) {
            return Some((word_start, code));
        }
        if word.len() == 3 && !dotted {
            let code = CURRENCY_CODES
                .iter()
                .find(|(name, _)| word.eq_ignore_ascii_case(name))?;
            return Some((word_start, code.1));
        }
    }
    None
}

/// The currency written just after byte `at` ("€", " EUR", " dollars"), and where it ends.
fn currency_after(text: &str, at: usize) -> Option<(usize, &'static str)> {
    let after = &text[at..];
    let (skipped, rest) = match after.strip_prefix(' ') {
        Some(rest) => (1, rest),
        None => (0, after),
    };
    let first = rest.chars().next()?;
    if let Some(code) = symbol_currency(first) {
        return Some((at + skipped + first.len_utf8(), code));
    }
    if first.is_ascii_alphabetic() {
        let length = rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len());
        let code = named_currency(&rest[..length])?;
        return Some((at + skipped + length, code));
    }
    None
}

/// A dollar's code written in letters at byte `at` ("cdn" in "680$ cdn"): where it ends and the
/// currency.
fn dollar_code_after(text: &str, at: usize) -> Option<(usize, &'static str)> {
    let written = text[at..]
        .trim_start()
        .starts_with(|c: char| c.is_ascii_alphabetic());
    currency_after(text, at).filter(|&(_, code)| written && DOLLARS.contains(&code))
}

/// Finds amounts with a currency: "$129.00", "129 dollars", "€40", "40 EUR", "USD 30".
fn find_money(tokens: &Tagged, found: &mut Vec<Fact>) {
    let text = tokens.text;
    let bytes = text.as_bytes();
    let mut at = 0;
    loop {
        at = next_wanted(bytes, at, |b| b.is_ascii_digit());
        if at == bytes.len() {
            break;
        }
        let follows_number =
            at > 0 && (bytes[at - 1].is_ascii_digit() || matches!(bytes[at - 1], b'.' | b','));
        if follows_number {
            at += 1;
            continue;
        }
        let Some((number_end, amount)) = scan_amount(text, at) else {
            at += 1;
            continue;
        };
        let before = currency_before(text, at);
        let after = currency_after(text, number_end);
        // "680$ cdn", "$680 CAD": a dollar's code after the amount says which dollar it is.
        let bare_dollar = |start: usize, end: usize| text[start..end].trim() == "$";
        let after = match after {
            Some((symbol_end, "USD")) if bare_dollar(number_end, symbol_end) => {
                dollar_code_after(text, symbol_end).or(after)
            }
            _ => after,
        };
        let before = match (before, after) {
            (Some((start, "USD")), Some((_, code)))
                if bare_dollar(start, at) && DOLLARS.contains(&code) =>
            {
                Some((start, code))
            }
            _ => before,
        };
        let glued_to_letters = at > 0 && bytes[at - 1].is_ascii_alphabetic() && before.is_none();
        let currency = before.or(after).map(|(_, code)| code);
        let weighed = after.is_some_and(|(_, code)| code == "GBP")
            && before.is_none()
            && follows_weighing(tokens, at);
        if let (Some(code), false, false) = (currency, glued_to_letters, weighed) {
            let start = before.map_or(at, |(start, _)| start);
            let end = after.map_or(number_end, |(end, _)| end);
            let mut money = fact(
                text,
                FactKind::Money,
                start,
                end,
                format!("{amount:.2} {code}"),
            );
            money.amount = Some(amount);
            money.currency = Some(code.to_owned());
            found.push(money);
        }
        at = number_end.max(at + 1);
    }
}

/// Whether the word before the number at byte `at` is about weight, so "pounds" is not money.
fn follows_weighing(tokens: &Tagged, at: usize) -> bool {
    tokens
        .index_starting_at(at)
        .and_then(|index| index.checked_sub(1))
        .is_some_and(|previous| {
            tokens.is(
                previous,
                &[
                    "weigh", "weighs", "weighed", "weight", "weighing", "lost", "gained",
                ],
            )
        })
}

// ---------------------------------------------------------------------------------------------
// Order, reference and tracking numbers.

/// Words that introduce an order or reference number.
const ORDER_KEYWORDS: WordList = WordList::new(
    1,
    &[
        "order",
        "ref",
        "reference",
        "ticket",
        "case",
        "invoice",
        "confirmation",
        "tracking",
        "booking",
        "claim",
        "rma",
        "receipt",
        "transaction",
        "shipment",
        "consignment",
        "po",
        "account",
        "orders",
        "refs",
        "references",
        "tickets",
        "invoices",
    ],
);

/// Words that may sit between the keyword and the number: "order number is 12345".
const ORDER_QUALIFIERS: WordList = WordList::new(
    2,
    &[
        "number",
        "no",
        "num",
        "nr",
        "id",
        "code",
        "ref",
        "reference",
        "is",
        "was",
    ],
);

/// Whether `id` reads as an order or reference number: at least four letters or digits with
/// at least one digit, and not a year nor a quantity run together ("30minutes").
fn is_plausible_id(id: &str) -> bool {
    let alphanumerics = id.bytes().filter(u8::is_ascii_alphanumeric).count();
    let digits = id.bytes().filter(u8::is_ascii_digit).count();
    let year_like = id.len() == 4 && digits == 4 && (id.starts_with("19") || id.starts_with("20"));
    let unit = id.trim_start_matches(|c: char| c.is_ascii_digit());
    let quantity =
        unit.len() >= 2 && unit.len() < id.len() && unit.bytes().all(|b| b.is_ascii_lowercase());
    alphanumerics >= 4 && digits >= 1 && !year_like && !quantity
}

/// Whether `id`, written after a "#" that no order word introduces, reads as an id rather than
/// a hashtag: more digits than letters, and no run of three lower-case letters ("#A10234",
/// "#4411", not "#Halloween2017", "#ios11" or "#2NE1").
fn is_plausible_bare_id(id: &str) -> bool {
    let digits = id.bytes().filter(u8::is_ascii_digit).count();
    let letters = id.bytes().filter(u8::is_ascii_alphabetic).count();
    let worded = id
        .as_bytes()
        .windows(3)
        .any(|run| run.iter().all(u8::is_ascii_lowercase));
    is_plausible_id(id) && digits > letters && !worded
}

/// The end of an id starting at byte `start`: letters, digits and inner dashes.
fn id_end(bytes: &[u8], start: usize) -> usize {
    let mut end = start;
    while end < bytes.len()
        && (bytes[end].is_ascii_alphanumeric()
            || (bytes[end] == b'-' && bytes.get(end + 1).is_some_and(u8::is_ascii_alphanumeric)))
    {
        end += 1;
    }
    end
}

/// Whether an id ending at byte `end` ends at a word boundary rather than inside a word.
fn ends_at_boundary(text: &str, end: usize) -> bool {
    text[end..]
        .chars()
        .next()
        .is_none_or(|c| !c.is_alphanumeric() && c != '@')
}

/// Finds "#A10234", "order 123456", "order number 12345-6789", "ref ABC123", "ticket #4411"
/// and tracking numbers such as "1Z999AA10123456784"; the value is the bare id.
fn find_order_numbers(tokens: &Tagged, found: &mut Vec<Fact>) {
    let text = tokens.text;
    let bytes = text.as_bytes();
    for (hash, _) in text.match_indices('#') {
        let after_entity = hash > 0 && bytes[hash - 1] == b'&';
        let end = id_end(bytes, hash + 1);
        let id = &text[hash + 1..end];
        if !after_entity && is_plausible_bare_id(id) && ends_at_boundary(text, end) {
            found.push(fact(text, FactKind::OrderNumber, hash, end, id.to_owned()));
        }
    }
    for keyword in 0..tokens.len() {
        if !tokens.is_in(keyword, ORDER_KEYWORDS) {
            continue;
        }
        let mut index = keyword + 1;
        while index < tokens.len()
            && index - keyword <= 3
            && tokens.is_in(index, ORDER_QUALIFIERS)
            && id_gap(tokens.gap_before(index))
        {
            index += 1;
        }
        if index >= tokens.len() || !id_gap(tokens.gap_before(index)) {
            continue;
        }
        // The id, then any listed after it: "ref MP79V2 and QMAS91", "orders 1234, 1235 & 1236".
        let mut next = Some(index);
        while let Some(index) = next {
            let start = tokens.start(index);
            let end = id_end(bytes, start);
            let id = &text[start..end];
            if end <= start || !is_plausible_id(id) || !ends_at_boundary(text, end) {
                break;
            }
            let gap = tokens.gap_before(index);
            let from = if gap.ends_with('#') { start - 1 } else { start };
            found.push(fact(text, FactKind::OrderNumber, from, end, id.to_owned()));
            next = listed_after(tokens, end);
        }
    }
    for index in 0..tokens.len() {
        let word = tokens.word(index);
        if let Some((start, end)) = dashed_id(tokens, index) {
            let id = &text[start..end];
            found.push(fact(text, FactKind::OrderNumber, start, end, id.to_owned()));
            continue;
        }
        if word.len() < 10 {
            continue;
        }
        let letters = word.bytes().filter(u8::is_ascii_alphabetic).count();
        let digits = word.bytes().filter(u8::is_ascii_digit).count();
        let all_ascii = word.bytes().all(|b| b.is_ascii_alphanumeric());
        let ups = word.len() == 18
            && word
                .get(..2)
                .is_some_and(|lead| lead.eq_ignore_ascii_case("1z"));
        let shouted = word.bytes().all(|b| !b.is_ascii_lowercase());
        let tracking =
            all_ascii && letters > 0 && (ups || (word.len() >= 10 && digits >= 4 && shouted));
        if tracking && !tokens.gap_before(index).ends_with('#') {
            let (start, end) = tokens.spans[index];
            found.push(fact(
                text,
                FactKind::OrderNumber,
                start,
                end,
                word.to_owned(),
            ));
        }
    }
}

/// The bytes of a case or ticket id written in capitals with dashes and no order word before
/// it, if one starts at word `index`: a capital letter first, at least twelve characters, six
/// digits and no lower-case letter ("CAS-19708536-CB92N2", "INC-4412345X"), so neither a model
/// number ("WH-1000XM4") nor a date with a time ("2017-10-30T12") reads as one.
fn dashed_id(tokens: &Tagged, index: usize) -> Option<(usize, usize)> {
    let text = tokens.text;
    let bytes = text.as_bytes();
    let start = tokens.start(index);
    if !bytes[start].is_ascii_uppercase() || tokens.gap_before(index).ends_with(['-', '#']) {
        return None;
    }
    let end = id_end(bytes, start);
    let id = &bytes[start..end];
    let digits = id.iter().filter(|b| b.is_ascii_digit()).count();
    let dashed = id.contains(&b'-');
    let shouted = !id.iter().any(u8::is_ascii_lowercase);
    (dashed && shouted && id.len() >= 12 && digits >= 6 && ends_at_boundary(text, end))
        .then_some((start, end))
}

/// The word that would be the next id of a list whose last id ends at byte `end`: after a comma,
/// an ampersand, a slash or "and" (", and" too), with an optional hash.
fn listed_after(tokens: &Tagged, end: usize) -> Option<usize> {
    let after = tokens.spans.partition_point(|&(start, _)| start < end);
    if after == tokens.len() {
        return None;
    }
    let separator = |gap: &str| matches!(gap.trim_end_matches('#').trim(), "," | "&" | "/");
    if tokens.is(after, &["and"]) {
        let before_and = tokens.gap_before(after).trim();
        let next = after + 1;
        let joined = before_and.is_empty() || before_and == ",";
        return (joined && next < tokens.len() && id_gap(tokens.gap_before(next))).then_some(next);
    }
    separator(tokens.gap_before(after)).then_some(after)
}

/// Whether `gap` may separate an order keyword from its number: spaces, a colon, a hash, or the
/// dot of "no.".
fn id_gap(gap: &str) -> bool {
    !gap.is_empty()
        && gap.len() <= 4
        && gap
            .chars()
            .all(|c| c.is_whitespace() || matches!(c, ':' | '#' | '.'))
}

// ---------------------------------------------------------------------------------------------
// Dates and durations.

/// Month names and their usual abbreviations.
const MONTHS: WordList = WordList::new(
    3,
    &[
        "january",
        "jan",
        "february",
        "feb",
        "march",
        "mar",
        "april",
        "apr",
        "may",
        "june",
        "jun",
        "july",
        "jul",
        "august",
        "aug",
        "september",
        "sep",
        "sept",
        "october",
        "oct",
        "november",
        "nov",
        "december",
        "dec",
    ],
);

/// Month names that are also common words, or are abbreviations, and so need a day or a year
/// beside them to count as a date.
const WEAK_MONTHS: WordList = WordList::new(
    4,
    &[
        "may", "march", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
        "nov", "dec",
    ],
);

/// Days of the week.
const WEEKDAYS: WordList = WordList::new(
    5,
    &[
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ],
);

/// Parts of a day that may follow a weekday: "Monday morning".
const DAY_PARTS: WordList = WordList::new(6, &["morning", "afternoon", "evening", "night"]);

/// Days named relative to today.
const RELATIVE_DAYS: WordList = WordList::new(7, &["yesterday", "today", "tonight", "tomorrow"]);

/// Words that, after "last", "this" or "next", name a point in time: "last week".
const RELATIVE_PERIODS: WordList = WordList::new(
    8,
    &[
        "week",
        "month",
        "year",
        "night",
        "weekend",
        "morning",
        "afternoon",
        "evening",
        "summer",
        "winter",
        "spring",
        "autumn",
        "christmas",
    ],
);

/// Words that place a period relative to now.
const PERIOD_MODIFIERS: WordList = WordList::new(9, &["last", "this", "next", "past"]);

/// Prepositions that belong to a date phrase: "since Monday".
const DATE_PREPOSITIONS: WordList = WordList::new(
    10,
    &[
        "on", "since", "from", "until", "till", "by", "before", "after",
    ],
);

/// Words before a bare month that make it a date: "since March".
const MONTH_PREPOSITIONS: WordList = WordList::new(
    11,
    &[
        "in", "since", "from", "until", "till", "by", "early", "late", "mid", "last", "next",
        "this", "before", "after", "during",
    ],
);

/// Prepositions that belong to a duration phrase: "for a month", "over a week".
const DURATION_PREPOSITIONS: WordList = WordList::new(
    12,
    &[
        "for", "over", "almost", "nearly", "about", "around", "within", "after", "under",
    ],
);

/// Units of time, singular.
const TIME_SINGULAR: WordList = WordList::new(
    34,
    &[
        "second",
        "minute",
        "min",
        "hour",
        "hr",
        "day",
        "week",
        "fortnight",
        "month",
        "year",
    ],
);

/// Units of time, plural.
const TIME_PLURAL: WordList = WordList::new(
    35,
    &[
        "seconds",
        "minutes",
        "mins",
        "hours",
        "hrs",
        "days",
        "weeks",
        "fortnights",
        "months",
        "years",
    ],
);

/// Plural units that make a duration on their own after "for" or "over": "for weeks".
const BARE_PLURAL_UNITS: WordList =
    WordList::new(13, &["hours", "days", "weeks", "months", "years", "ages"]);

/// Words after an "a week" that make it a length of time: "a week late".
const DURATION_FOLLOWERS: WordList = WordList::new(
    14,
    &["late", "later", "now", "already", "overdue", "behind"],
);

/// Whether word `index` is a time unit, and whether it is plural.
fn time_unit_at(tokens: &Tagged, index: usize) -> Option<bool> {
    if tokens.is_in(index, TIME_SINGULAR) {
        Some(false)
    } else if tokens.is_in(index, TIME_PLURAL) {
        Some(true)
    } else {
        None
    }
}

/// Whether word `index` is a day of the month: "3", "03", "3rd", "31st".
fn is_day_of_month_at(tokens: &Tagged, index: usize) -> bool {
    let word = tokens.word(index);
    let day = if word.bytes().all(|b| b.is_ascii_digit()) && word.len() <= 2 {
        word.parse().ok()
    } else {
        ordinal_at(tokens, index)
            .flatten()
            .filter(|_| word.starts_with(|c: char| c.is_ascii_digit()))
    };
    day.is_some_and(|d: u32| (1..=31).contains(&d))
}

/// Whether `word` is a plausible year.
fn is_year(word: &str) -> bool {
    word.len() == 4
        && word
            .parse::<u32>()
            .is_ok_and(|year| (1900..=2100).contains(&year))
}

/// What a calendar phrase is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Calendar {
    Date,
    Duration,
}

/// A quantity at word `index`: the index of its last word, its value when known, and whether it
/// is the article "a" or "an".
fn quantity_at(tokens: &Tagged, index: usize) -> Option<(usize, Option<u32>, bool)> {
    if tokens.is(index, &["a", "an"]) {
        if tokens.is(index + 1, &["few"]) {
            return Some((index + 1, None, false));
        }
        if tokens.is(index + 1, &["couple"]) {
            let last = if tokens.is(index + 2, &["of"]) {
                index + 2
            } else {
                index + 1
            };
            return Some((last, Some(2), false));
        }
        return Some((index, Some(1), true));
    }
    if tokens.is(index, &["few", "several"]) {
        return Some((index, None, false));
    }
    if tokens.is(index, &["couple"]) && tokens.is(index + 1, &["of"]) {
        return Some((index + 1, Some(2), false));
    }
    let gap = tokens.gap_before(index);
    let part_of_number = gap.ends_with(['.', ',', '#', '$', '/', ':', '-']);
    number_at(tokens, index)
        .filter(|_| !part_of_number)
        .map(|value| (index, Some(value), false))
}

/// Small words that may start a date or duration: "the day before", "a week", "for weeks".
const CALENDAR_STARTS: WordList = WordList::new(
    36,
    &["the", "a", "an", "few", "several", "couple", "for", "over"],
);

/// The lists whose words may start a date or duration, besides numbers in digits.
const CALENDAR_TRIGGERS: u64 = mask_of(&[
    MONTHS,
    WEEKDAYS,
    RELATIVE_DAYS,
    PERIOD_MODIFIERS,
    NUMBER_NAMES,
    ORDINAL_NAMES,
    CALENDAR_STARTS,
]);

/// A date or duration phrase whose core starts at word `index`: its first and last word.
fn calendar_phrase_at(tokens: &Tagged, index: usize) -> Option<(usize, usize, Calendar)> {
    let word = tokens.word(index);
    let year_after = |at: usize| {
        let gap = tokens.gap_before(at);
        let gap_ok = !gap.is_empty() && gap.chars().all(|c| c.is_whitespace() || c == ',');
        at < tokens.len() && gap_ok && is_year(tokens.word(at))
    };
    // "3 May", "3rd of May 2026".
    if is_day_of_month_at(tokens, index) {
        let month = if tokens.is(index + 1, &["of"]) && tokens.spaced(index + 1) {
            index + 2
        } else {
            index + 1
        };
        if tokens.is_in(month, MONTHS) && tokens.spaced(month) {
            let last = if year_after(month + 1) {
                month + 1
            } else {
                month
            };
            return Some((index, last, Calendar::Date));
        }
    }
    // "May 3rd", "March 2026", "since January".
    if tokens.is_in(index, MONTHS) {
        let capitalised = word.starts_with(|c: char| c.is_uppercase());
        let weak = tokens.is_in(index, WEAK_MONTHS);
        let may = tokens.is(index, &["may"]);
        if tokens.spaced(index + 1) && is_day_of_month_at(tokens, index + 1) {
            let plain_may = may && !capitalised;
            let ordinal_day = !tokens.word(index + 1).bytes().all(|b| b.is_ascii_digit());
            if !plain_may || ordinal_day || year_after(index + 2) {
                let last = if year_after(index + 2) {
                    index + 2
                } else {
                    index + 1
                };
                return Some((index, last, Calendar::Date));
            }
        }
        if tokens.spaced(index + 1) && is_year(tokens.word(index + 1)) && (capitalised || !weak) {
            return Some((index, index + 1, Calendar::Date));
        }
        let introduced =
            index > 0 && tokens.spaced(index) && tokens.is_in(index - 1, MONTH_PREPOSITIONS);
        let full_name = word.len() > 3 || may;
        if introduced && full_name && (!weak || capitalised) {
            return Some((index, index, Calendar::Date));
        }
    }
    // "Monday", "Monday morning".
    if tokens.is_in(index, WEEKDAYS) {
        let last = if tokens.spaced(index + 1) && tokens.is_in(index + 1, DAY_PARTS) {
            index + 1
        } else {
            index
        };
        return Some((index, last, Calendar::Date));
    }
    // "yesterday", "the day before yesterday", "last week".
    if tokens.is_in(index, RELATIVE_DAYS) {
        return Some((index, index, Calendar::Date));
    }
    if tokens.is(index, &["the"])
        && tokens.is(index + 1, &["day"])
        && tokens.is(index + 2, &["before", "after"])
        && tokens.is(index + 3, &["yesterday", "tomorrow"])
    {
        return Some((index, index + 3, Calendar::Date));
    }
    if tokens.is_in(index, PERIOD_MODIFIERS)
        && tokens.spaced(index + 1)
        && tokens.is_in(index + 1, RELATIVE_PERIODS)
    {
        return Some((index, index + 1, Calendar::Date));
    }
    // "two weeks ago", "3 days", "for a month", "48 hours".
    if let Some((quantity_end, value, article)) = quantity_at(tokens, index) {
        let unit_index = quantity_end + 1;
        if tokens.spaced(unit_index) && (quantity_end == index || tokens.spaced(quantity_end)) {
            if let Some(plural) = time_unit_at(tokens, unit_index) {
                if tokens.spaced(unit_index + 1) && tokens.is(unit_index + 1, &["ago"]) {
                    return Some((index, unit_index + 1, Calendar::Date));
                }
                let singular_after_many = !plural && value.is_some_and(|v| v > 1);
                let introduced = index > 0
                    && tokens.spaced(index)
                    && tokens.is_in(index - 1, DURATION_PREPOSITIONS);
                let followed = tokens.spaced(unit_index + 1)
                    && tokens.is_in(unit_index + 1, DURATION_FOLLOWERS);
                if !singular_after_many && (!article || introduced || followed) {
                    return Some((index, unit_index, Calendar::Duration));
                }
            }
        }
    }
    if tokens.is(index, &["for", "over"])
        && tokens.spaced(index + 1)
        && tokens.is_in(index + 1, BARE_PLURAL_UNITS)
    {
        return Some((index, index + 1, Calendar::Duration));
    }
    None
}

/// The first word of a calendar phrase once the words that introduce it are added: "since"
/// in "since last Monday", "for" in "for a month".
fn with_introduction(tokens: &Tagged, first: usize, kind: Calendar) -> usize {
    let mut first = first;
    let takes =
        |at: usize, words: WordList| at > 0 && tokens.spaced(at) && tokens.is_in(at - 1, words);
    match kind {
        Calendar::Date => {
            if tokens.is_in(first, WEEKDAYS) && takes(first, PERIOD_MODIFIERS) {
                first -= 1;
            }
            if takes(first, DATE_PREPOSITIONS) {
                first -= 1;
            }
        }
        Calendar::Duration => {
            for _ in 0..2 {
                if takes(first, DURATION_PREPOSITIONS) {
                    first -= 1;
                }
            }
        }
    }
    first
}

/// Finds dates written with digits: "2026-05-03", "03/05/2026", "3.5.26".
fn find_numeric_dates(text: &str, found: &mut Vec<Fact>) {
    let bytes = text.as_bytes();
    let digits_from = |at: usize| {
        bytes[at.min(bytes.len())..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let mut at = 0;
    loop {
        at = next_wanted(bytes, at, |b| b.is_ascii_digit());
        if at == bytes.len() {
            break;
        }
        let starts = at == 0
            || !(bytes[at - 1].is_ascii_alphanumeric()
                || matches!(bytes[at - 1], b'.' | b'/' | b'-' | b'$' | b'#' | b','));
        if !starts {
            at += 1;
            continue;
        }
        let first = digits_from(at);
        let separator = bytes.get(at + first).copied();
        let mut matched = None;
        if let Some(sep @ (b'-' | b'/' | b'.')) = separator {
            let second_at = at + first + 1;
            let second = digits_from(second_at);
            let third_at = second_at + second + 1;
            let same_separator = bytes.get(second_at + second) == Some(&sep);
            let third = if same_separator {
                digits_from(third_at)
            } else {
                0
            };
            let end = third_at + third;
            let value =
                |from: usize, length: usize| text[from..from + length].parse::<u32>().unwrap_or(0);
            let runs_on = |b: &u8| {
                b.is_ascii_alphanumeric()
                    || (matches!(b, b'.' | b'/' | b'-')
                        && bytes.get(end + 1).is_some_and(u8::is_ascii_digit))
            };
            let clean_end = !bytes.get(end).is_some_and(runs_on);
            if same_separator && third > 0 && clean_end && (1..=2).contains(&second) {
                let middle = value(second_at, second);
                let iso = first == 4 && (1..=2).contains(&third) && sep != b'.';
                let day_first = (1..=2).contains(&first) && (third == 2 || third == 4);
                if iso
                    && (1..=12).contains(&middle)
                    && (1..=31).contains(&value(third_at, third))
                    && is_year(&text[at..at + 4])
                {
                    matched = Some(end);
                } else if day_first {
                    let (a, b) = (value(at, first), middle);
                    if (1..=31).contains(&a) && (1..=31).contains(&b) && (a <= 12 || b <= 12) {
                        matched = Some(end);
                    }
                }
            }
        }
        match matched {
            Some(end) => {
                found.push(fact(
                    text,
                    FactKind::Date,
                    at,
                    end,
                    text[at..end].to_owned(),
                ));
                at = end;
            }
            None => at += first.max(1),
        }
    }
}

/// Finds dates and durations written with words: "3 May", "on Monday", "last week", "two
/// weeks ago", "for a month", "48 hours"; the value is the phrase in lower case.
fn find_calendar_phrases(tokens: &Tagged, found: &mut Vec<Fact>) {
    let mut index = 0;
    while index < tokens.len() {
        let may_start =
            tokens.starts_with_digit(index) || tokens.is_in_any(index, CALENDAR_TRIGGERS);
        let phrase = if may_start {
            calendar_phrase_at(tokens, index)
        } else {
            None
        };
        let Some((first, last, kind)) = phrase else {
            index += 1;
            continue;
        };
        let first = with_introduction(tokens, first, kind);
        let (start, end) = (tokens.start(first), tokens.end(last));
        let value = tokens.text[start..end].to_lowercase();
        let kind = match kind {
            Calendar::Date => FactKind::Date,
            Calendar::Duration => FactKind::Duration,
        };
        found.push(fact(tokens.text, kind, start, end, value));
        index = last + 1;
    }
}

// ---------------------------------------------------------------------------------------------
// How many times the customer has contacted us.

/// Verbs of getting in touch.
const CONTACT_VERBS: WordList = WordList::new(
    15,
    &[
        "called",
        "call",
        "calling",
        "rang",
        "ring",
        "ringing",
        "phoned",
        "phone",
        "phoning",
        "emailed",
        "email",
        "emailing",
        "mailed",
        "wrote",
        "written",
        "write",
        "writing",
        "messaged",
        "message",
        "messaging",
        "contacted",
        "contact",
        "contacting",
        "chatted",
        "chat",
        "chatting",
        "asked",
        "ask",
        "asking",
        "chased",
        "chase",
        "chasing",
        "complained",
        "complain",
        "complaining",
        "reached",
        "reaching",
        "texted",
        "texting",
        "tweeted",
        "spoke",
        "spoken",
        "speaking",
        "raised",
        "reported",
        "told",
        "explained",
        "explaining",
    ],
);

/// Nouns for one attempt to get in touch.
const CONTACT_NOUNS: WordList = WordList::new(
    16,
    &[
        "email",
        "emails",
        "call",
        "calls",
        "message",
        "messages",
        "letter",
        "letters",
        "complaint",
        "complaints",
        "chat",
        "chats",
        "ticket",
        "tickets",
        "attempt",
        "attempts",
        "request",
        "requests",
        "voicemail",
        "voicemails",
        "phone",
        "text",
        "texts",
        "tweet",
        "tweets",
        "dm",
        "dms",
    ],
);

/// Words that may sit between "third time" and the contact verb: "third time now that I've had
/// to write".
const CONTACT_FILLERS: WordList = WordList::new(
    17,
    &[
        "i", "i'm", "im", "i've", "ive", "i'd", "am", "have", "has", "had", "been", "now", "that",
        "we", "you", "today", "this", "week", "month", "already", "to", "be", "having", "i'll",
        "will", "in", "a", "row",
    ],
);

/// Words that say "many" before "times".
const VAGUE_MANY: WordList = WordList::new(
    18,
    &[
        "multiple",
        "several",
        "many",
        "countless",
        "numerous",
        "umpteen",
        "dozens",
        "hundreds",
        "dozen",
        "hundred",
        "million",
        "thousand",
    ],
);

/// Words before a number of calls or e-mails that make it a count of contacts: "after 3 calls".
const CONTACT_COUNT_LEADS: WordList = WordList::new(
    19,
    &[
        "after",
        "made",
        "sent",
        "written",
        "despite",
        "over",
        "with",
        "following",
        "my",
    ],
);

/// A contact count fact.
fn contact_fact(tokens: &Tagged, first: usize, last: usize, count: Option<u32>) -> Fact {
    let value = count.map_or_else(|| "repeated".to_owned(), |n| n.to_string());
    let mut counted = fact(
        tokens.text,
        FactKind::ContactCount,
        tokens.start(first),
        tokens.end(last),
        value,
    );
    counted.count = count;
    counted
}

/// The index of a contact verb among the six words before word `index`, in the same clause.
fn contact_verb_before(tokens: &Tagged, index: usize) -> Option<usize> {
    let mut at = index;
    for _ in 0..6 {
        if at == 0 || !tokens.joined(at) {
            return None;
        }
        at -= 1;
        if tokens.is_in(at, CONTACT_VERBS) && !is_the_device(tokens, at) {
            return Some(at);
        }
    }
    None
}

/// Whether the word at `index` is "phone" as a thing someone owns ("updated my phone twice"),
/// not as a way of getting in touch ("phoned you twice").
fn is_the_device(tokens: &Tagged, index: usize) -> bool {
    tokens.is(index, &["phone"])
        && index > 0
        && tokens.joined(index)
        && tokens.is(
            index - 1,
            &[
                "my", "your", "his", "her", "their", "our", "the", "a", "new", "old",
            ],
        )
}

/// Words that may end or open a count of contacts: "five times", "twice", "again and again".
const CONTACT_STARTS: WordList = WordList::new(
    37,
    &[
        "twice",
        "thrice",
        "times",
        "occasions",
        "again",
        "over",
        "repeatedly",
    ],
);

/// The lists whose words may start or end a count of contacts, besides numbers in digits.
const CONTACT_TRIGGERS: u64 = mask_of(&[
    ORDINAL_NAMES,
    VAGUE_ORDINALS,
    NUMBER_NAMES,
    VAGUE_MANY,
    CONTACT_STARTS,
]);

/// Finds "third time I'm writing", "I've called five times", "this is my second email",
/// "again and again" after a contact verb, and "after 3 calls".
fn find_contact_counts(tokens: &Tagged, found: &mut Vec<Fact>) {
    for index in 0..tokens.len() {
        if !tokens.starts_with_digit(index) && !tokens.is_in_any(index, CONTACT_TRIGGERS) {
            continue;
        }
        // "third time I'm writing", "This is the 3rd time!"
        if let Some(count) = ordinal_at(tokens, index) {
            if count == Some(1) {
                continue;
            }
            if tokens.spaced(index + 1) && tokens.is(index + 1, &["time"]) {
                if let Some(last) = ordinal_time_end(tokens, index) {
                    found.push(contact_fact(tokens, index, last, count));
                }
            } else if tokens.spaced(index + 1) && tokens.is_in(index + 1, CONTACT_NOUNS) {
                found.push(contact_fact(tokens, index, index + 1, count));
            }
            continue;
        }
        // "I've called five times", "emailed you twice".
        let times = if tokens.is(index, &["twice", "thrice"]) {
            Some((
                index,
                Some(if tokens.is(index, &["twice"]) { 2 } else { 3 }),
            ))
        } else if tokens.is(index, &["times", "occasions"]) && index > 0 && tokens.spaced(index) {
            let mut quantity_start = index - 1;
            let count = if tokens.is_in(index - 1, VAGUE_MANY) {
                if tokens.is(index.wrapping_sub(2), &["so", "a", "too"]) && tokens.spaced(index - 1)
                {
                    quantity_start = index - 2;
                }
                Some(None)
            } else if tokens.is(index - 1, &["of"])
                && tokens.is(index.wrapping_sub(2), &["dozens", "hundreds", "lots"])
            {
                quantity_start = index - 2;
                Some(None)
            } else {
                number_at(tokens, index - 1).filter(|&n| n >= 2).map(Some)
            };
            count.map(|count| (quantity_start, count))
        } else {
            None
        };
        if let Some((quantity_start, count)) = times {
            if let Some(verb) = contact_verb_before(tokens, quantity_start) {
                found.push(contact_fact(tokens, verb, index, count));
            }
            continue;
        }
        // "written again and again", "called over and over".
        let repeated = (tokens.is(index, &["again"])
            && tokens.is(index + 1, &["and"])
            && tokens.is(index + 2, &["again"]))
            || (tokens.is(index, &["over"])
                && tokens.is(index + 1, &["and"])
                && tokens.is(index + 2, &["over"]));
        if repeated && tokens.spaced(index + 1) && tokens.spaced(index + 2) {
            if let Some(verb) = contact_verb_before(tokens, index) {
                let last = if tokens.is(index, &["over"])
                    && tokens.spaced(index + 3)
                    && tokens.is(index + 3, &["again"])
                {
                    index + 3
                } else {
                    index + 2
                };
                found.push(contact_fact(tokens, verb, last, None));
            }
            continue;
        }
        // "complained repeatedly".
        if tokens.is(index, &["repeatedly"]) {
            if let Some(verb) = contact_verb_before(tokens, index) {
                found.push(contact_fact(tokens, verb, index, None));
            }
            continue;
        }
        // "still no answer after 3 calls", "made many calls", "4 tweets and no answer".
        let count = if tokens.is_in(index, VAGUE_MANY) {
            Some(None)
        } else {
            number_at(tokens, index).filter(|&n| n >= 2).map(Some)
        };
        if let Some(count) = count {
            let plural_noun = tokens.spaced(index + 1)
                && tokens.is_in(index + 1, CONTACT_NOUNS)
                && tokens.folded(index + 1).ends_with('s');
            let led =
                index > 0 && tokens.spaced(index) && tokens.is_in(index - 1, CONTACT_COUNT_LEADS);
            if plural_noun && (led || opens_sentence(tokens, index)) {
                found.push(contact_fact(tokens, index, index + 1, count));
            }
        }
    }
}

/// Whether the word at `index` opens a sentence, after any @handles: "@shop 4 tweets and no
/// answer".
fn opens_sentence(tokens: &Tagged, index: usize) -> bool {
    let mut at = index;
    loop {
        if at == 0 || tokens.gap_before(at).contains(['.', '!', '?', '\n']) {
            return true;
        }
        at -= 1;
        if !tokens.is_handle(at) {
            return false;
        }
    }
}

/// Where a contact count that starts with the ordinal at `index` and "time" ends: at the contact
/// verb that follows it, or at "time" when the sentence frames it as a complaint ("This is the
/// 3rd time!"). `None` when "time" is about something else ("the second time it broke").
fn ordinal_time_end(tokens: &Tagged, index: usize) -> Option<usize> {
    let time = index + 1;
    let mut reached_clause_end = false;
    for at in (time + 1..).take(6) {
        if at >= tokens.len() || !tokens.joined(at) {
            reached_clause_end = true;
            break;
        }
        if tokens.is_in(at, CONTACT_VERBS) {
            let last = if tokens.is(at + 1, &["out"]) && tokens.spaced(at + 1) {
                at + 1
            } else {
                at
            };
            return Some(last);
        }
        if !tokens.is_in(at, CONTACT_FILLERS) {
            return None;
        }
    }
    let framed = index >= 2
        && tokens.is(index - 1, &["the", "my"])
        && tokens.is(index - 2, &["is", "it's", "its", "that's", "thats", "was"]);
    let opens_sentence = index == 0 || tokens.gap_before(index).contains(['.', '!', '?', '\n']);
    (reached_clause_end && (framed || opens_sentence)).then_some(time)
}

// ---------------------------------------------------------------------------------------------
// Products.

/// Verbs of buying or receiving that a product may follow: "I ordered a sofa".
const PURCHASE_VERBS: WordList = WordList::new(
    20,
    &[
        "order",
        "ordered",
        "bought",
        "buy",
        "purchased",
        "purchase",
        "received",
        "receive",
        "got",
        "delivered",
    ],
);

/// Determiners that may open a product's noun phrase after a purchase verb.
const PURCHASE_DETERMINERS: WordList = WordList::new(
    21,
    &["my", "the", "a", "an", "this", "that", "these", "those"],
);

/// Determiners that may open a product's noun phrase before a complaint verb: "my jacket arrived".
const SUBJECT_DETERMINERS: WordList =
    WordList::new(22, &["my", "the", "this", "that", "our", "these", "those"]);

/// Verbs that, after a noun phrase, say something happened to a product.
const PRODUCT_EVENTS: WordList = WordList::new(
    23,
    &[
        "arrived", "came", "broke", "stopped", "leaks", "leaked", "shrank", "snapped", "failed",
        "died", "cracked", "ripped", "tore",
    ],
);

/// Auxiliary words after a noun phrase that a complaint word may follow: "is broken".
const PRODUCT_AUXILIARIES: WordList = WordList::new(
    24,
    &[
        "is", "was", "has", "keeps", "isn't", "isnt", "wasn't", "wasnt", "doesn't", "doesnt",
        "didn't", "didnt", "won't", "wont", "does", "did", "will", "just", "already", "still",
        "had",
    ],
);

/// Words that say what is wrong with a product after an auxiliary.
const PRODUCT_COMPLAINTS: WordList = WordList::new(
    25,
    &[
        "broken",
        "damaged",
        "cracked",
        "torn",
        "faulty",
        "defective",
        "missing",
        "ripped",
        "scratched",
        "dented",
        "stained",
        "leaking",
        "dead",
        "work",
        "working",
        "turn",
        "charge",
        "fit",
        "start",
        "too",
        "stopped",
        "broke",
        "arrived",
        "fallen",
        "falling",
        "shrunk",
    ],
);

/// Words that end a product's noun phrase: function words, pronouns, time words and verbs.
const PHRASE_STOPS: WordList = WordList::new(
    26,
    &[
        "and",
        "or",
        "but",
        "with",
        "for",
        "from",
        "to",
        "of",
        "in",
        "on",
        "at",
        "by",
        "that",
        "which",
        "who",
        "is",
        "was",
        "are",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "it",
        "its",
        "i",
        "you",
        "he",
        "she",
        "we",
        "they",
        "me",
        "him",
        "her",
        "us",
        "them",
        "a",
        "an",
        "the",
        "my",
        "your",
        "this",
        "these",
        "those",
        "our",
        "yesterday",
        "today",
        "last",
        "ago",
        "still",
        "just",
        "already",
        "never",
        "not",
        "online",
        "instead",
        "because",
        "since",
        "as",
        "so",
        "than",
        "back",
        "again",
        "off",
        "up",
        "out",
        "arrived",
        "came",
        "broke",
        "stopped",
        "doesn't",
        "didn't",
        "won't",
        "isn't",
        "wasn't",
        "does",
        "did",
        "will",
        "would",
        "can",
        "could",
        "should",
        "keeps",
        "which",
        "when",
        "after",
        "before",
        "size",
        "colour",
        "color",
        "ago",
        "there",
        "here",
        "too",
        "very",
        "really",
        "but",
        "also",
        "even",
        "either",
        "now",
        "then",
        "yet",
        "if",
        "where",
        "what",
        "why",
        "how",
        "earlier",
        "later",
        "tonight",
        "tomorrow",
        "through",
        "thru",
        "thanks",
        "thank",
        "saying",
        "says",
        "said",
        "claiming",
        "telling",
        "asking",
        "showing",
        "stating",
        "happened",
        "hasn't",
        "haven't",
        "hadn't",
        "aren't",
        "weren't",
        "don't",
        "can't",
        "couldn't",
        "wouldn't",
        "shouldn't",
        "i'm",
        "im",
        "i've",
        "i'd",
        "i'll",
        "http",
        "https",
    ],
);

/// Heads that are not products: the order itself, messages, money and time.
const NOT_PRODUCTS: WordList = WordList::new(
    27,
    &[
        "order",
        "orders",
        "package",
        "parcel",
        "parcels",
        "delivery",
        "item",
        "items",
        "thing",
        "things",
        "stuff",
        "shipment",
        "box",
        "refund",
        "reply",
        "response",
        "answer",
        "email",
        "call",
        "message",
        "notification",
        "confirmation",
        "text",
        "letter",
        "voucher",
        "code",
        "discount",
        "credit",
        "number",
        "link",
        "update",
        "error",
        "problem",
        "issue",
        "question",
        "runaround",
        "impression",
        "feeling",
        "chance",
        "idea",
        "point",
        "money",
        "payment",
        "charge",
        "bill",
        "invoice",
        "receipt",
        "week",
        "day",
        "month",
        "year",
        "time",
        "while",
        "bit",
        "lot",
        "few",
        "couple",
        "hour",
        "minute",
        "one",
        "ones",
        "same",
        "other",
        "rest",
        "size",
        "colour",
        "color",
        "medium",
        "large",
        "small",
        "wrong",
        "right",
        "way",
        "service",
        "account",
        "app",
        "website",
        "site",
        "tracking",
        "label",
        "replacement",
        "return",
        "headache",
        "mess",
        "joke",
        "deal",
        "price",
        "cost",
        "fee",
        "half",
        "part",
        "product",
        "products",
    ],
);

/// Words that reduce a product phrase to nothing useful when they appear in it.
const SPOILERS: WordList = WordList::new(28, &["wrong", "same", "other", "right", "opposite"]);

/// Complaint adjectives left off the front of a product: "a broken lamp" is a "lamp".
const DAMAGE_ADJECTIVES: WordList = WordList::new(
    29,
    &[
        "broken",
        "damaged",
        "faulty",
        "defective",
        "cracked",
        "torn",
        "dented",
        "used",
        "ripped",
        "stained",
    ],
);

/// Adjectives that cannot end a product phrase.
const TRAILING_ADJECTIVES: WordList = WordList::new(
    30,
    &[
        "new",
        "old",
        "used",
        "big",
        "small",
        "cheap",
        "expensive",
        "nice",
        "lovely",
        "brand",
        "good",
        "great",
        "whole",
        "entire",
        "second",
        "hand",
        "whole",
    ],
);

/// Nouns of quantity that "of" may follow inside a product: "a pair of shoes".
const CONTAINERS: WordList = WordList::new(
    31,
    &[
        "pair", "set", "pack", "box", "bottle", "bag", "piece", "case", "tin", "jar", "roll",
    ],
);

/// Whether word `index` may be part of a product's noun phrase: not a function word, an adverb,
/// a number or a unit of time, so "a sofa 3 weeks ago" stops at "sofa".
fn is_content_word(tokens: &Tagged, index: usize) -> bool {
    let word = tokens.word(index);
    index < tokens.len()
        && word.chars().any(char::is_alphanumeric)
        && !tokens.is_in(index, PHRASE_STOPS)
        && !tokens.folded(index).ends_with("ly")
        && number_at(tokens, index).is_none()
        && time_unit_at(tokens, index).is_none()
}

/// Whether the text between two words of a product phrase keeps them together: whitespace or
/// one hyphen, as in "t-shirt".
fn joins_phrase(gap: &str) -> bool {
    !gap.is_empty() && (gap.chars().all(char::is_whitespace) || gap == "-")
}

/// A product fact for words `first..=last`, unless they are not a useful product.
fn product_fact(tokens: &Tagged, first: usize, last: usize) -> Option<Fact> {
    let mut first = first;
    if (first..=last).any(|at| tokens.is_in(at, SPOILERS)) {
        return None;
    }
    let mut last = last;
    while last >= first && tokens.is_in(last, TRAILING_ADJECTIVES) {
        last = last.checked_sub(1)?;
    }
    while first < last && tokens.is_in(first, DAMAGE_ADJECTIVES) {
        first += 1;
    }
    let head = tokens.word(last);
    if last < first || tokens.is_in(last, NOT_PRODUCTS) || !head.chars().any(char::is_alphabetic) {
        return None;
    }
    let (start, end) = (tokens.start(first), tokens.end(last));
    let value = tokens.text[start..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    Some(fact(tokens.text, FactKind::Product, start, end, value))
}

/// Finds products as the object of a purchase ("ordered a sofa", "bought a laptop") or the
/// subject of a complaint ("my blue rain jacket arrived torn"); the value leaves out the
/// determiner.
fn find_products(tokens: &Tagged, found: &mut Vec<Fact>) {
    const TRIGGERS: u64 = mask_of(&[PURCHASE_VERBS, PRODUCT_EVENTS, PRODUCT_AUXILIARIES]);
    for index in 0..tokens.len() {
        if !tokens.is_in_any(index, TRIGGERS) {
            continue;
        }
        // "I ordered a blue rain jacket", "bought me a laptop".
        if tokens.is_in(index, PURCHASE_VERBS) {
            let mut determiner = index + 1;
            if tokens.is(determiner, &["me", "us", "myself"]) && tokens.spaced(determiner) {
                determiner += 1;
            }
            if tokens.is_in(determiner, PURCHASE_DETERMINERS) && tokens.spaced(determiner) {
                let first = determiner + 1;
                let mut last = None;
                let mut at = first;
                while at < tokens.len() && at - first < 5 && joins_phrase(tokens.gap_before(at)) {
                    let container_of =
                        tokens.is(at, &["of"]) && at > first && tokens.is_in(at - 1, CONTAINERS);
                    if !is_content_word(tokens, at) && !container_of {
                        break;
                    }
                    if !container_of {
                        last = Some(at);
                    }
                    at += 1;
                }
                // "received a red one": the thing is not named.
                let pronoun = last.is_some_and(|last| {
                    tokens.is(last + 1, &["one", "ones"]) && tokens.spaced(last + 1)
                });
                if let Some(product) = last
                    .filter(|_| !pronoun)
                    .and_then(|last| product_fact(tokens, first, last))
                {
                    found.push(product);
                }
            }
        }
        // "my blue rain jacket arrived torn", "the espresso machine is broken".
        let event = tokens.is_in(index, PRODUCT_EVENTS);
        let complaint = tokens.is_in(index, PRODUCT_AUXILIARIES)
            && (1..=2).any(|ahead| {
                tokens.joined(index + ahead) && tokens.is_in(index + ahead, PRODUCT_COMPLAINTS)
            });
        if (event || complaint) && tokens.spaced(index) {
            let mut first = index;
            while first > 0
                && index - first < 4
                && is_content_word(tokens, first - 1)
                && joins_phrase(tokens.gap_before(first))
            {
                first -= 1;
            }
            let opened = first > 0
                && first < index
                && tokens.is_in(first - 1, SUBJECT_DETERMINERS)
                && tokens.spaced(first);
            if opened {
                if let Some(product) = product_fact(tokens, first, index - 1) {
                    found.push(product);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{assert_valid_evidence, strip_markers};

    /// Checks that the facts of the marked text are exactly the marked spans, with these kinds
    /// and values, in order.
    fn check(marked: &str, expected: &[(FactKind, &str)]) {
        let (text, spans) = strip_markers(marked);
        let facts = extract_facts(&text);
        let evidence: Vec<Evidence> = facts.iter().map(|f| f.evidence.clone()).collect();
        assert_valid_evidence(&text, &evidence);
        let found: Vec<(usize, usize, FactKind, &str)> = facts
            .iter()
            .map(|f| (f.evidence.start, f.evidence.end, f.kind, f.value.as_str()))
            .collect();
        let wanted: Vec<(usize, usize, FactKind, &str)> = spans
            .iter()
            .zip(expected)
            .map(|(&(start, end), &(kind, value))| (start, end, kind, value))
            .collect();
        assert_eq!(
            spans.len(),
            expected.len(),
            "markers and expectations of {marked:?}"
        );
        assert_eq!(found, wanted, "facts of {text:?}");
    }

    /// The first fact of `text`, which must have one.
    fn first_fact(text: &str) -> Fact {
        extract_facts(text).into_iter().next().expect("a fact")
    }

    use FactKind::*;

    #[test]
    fn every_word_list_is_compiled_into_the_lexicon() {
        crate::testing::assert_every_word_list_is_compiled(include_str!("facts.rs"));
        assert!(lexicon().bits_of("umpteenth") != 0);
    }

    #[test]
    fn order_numbers_are_found_after_hashes_and_keywords() {
        check("My order is [[#A10234]].", &[(OrderNumber, "A10234")]);
        check("order [[123456]] still missing", &[(OrderNumber, "123456")]);
        check(
            "order number [[12345-6789]]",
            &[(OrderNumber, "12345-6789")],
        );
        check("ref [[ABC123]] please", &[(OrderNumber, "ABC123")]);
        check("see ticket [[#4411]]", &[(OrderNumber, "4411")]);
        check("case [[778899]]", &[(OrderNumber, "778899")]);
        check(
            "tracking says [[1Z999AA10123456784]]",
            &[(OrderNumber, "1Z999AA10123456784")],
        );
        // A case id in capitals with dashes needs no order word; a model number or a date
        // with a time is not one.
        check(
            "@AirAsiaSupport [[CAS-19708536-CB92N2]] please check, and [[INC-4412345X]]",
            &[
                (OrderNumber, "CAS-19708536-CB92N2"),
                (OrderNumber, "INC-4412345X"),
            ],
        );
        check(
            "my [[WH-1000XM4]] broke on 2017-10-30T12 and COVID-19",
            &[(Product, "WH-1000XM4")],
        );
    }

    #[test]
    fn ids_listed_after_one_order_word_are_each_found() {
        check(
            "Booking ref [[MP79V2]] and [[QMAS91]] second one is my son's",
            &[(OrderNumber, "MP79V2"), (OrderNumber, "QMAS91")],
        );
        check(
            "orders [[123456]], [[123457]] & [[#123458]] are late",
            &[
                (OrderNumber, "123456"),
                (OrderNumber, "123457"),
                (OrderNumber, "123458"),
            ],
        );
        check(
            "tickets [[4411-A]], and [[4412-B]]",
            &[(OrderNumber, "4411-A"), (OrderNumber, "4412-B")],
        );
        // What follows "and" must be an id itself, and a list needs its separator.
        check(
            "order [[123456]] and 2 items missing, ref [[ABC123]] since 2024",
            &[(OrderNumber, "123456"), (OrderNumber, "ABC123")],
        );
        check("order [[55512]] and then 123456", &[(OrderNumber, "55512")]);
    }

    #[test]
    fn hashtags_and_run_together_quantities_are_not_order_numbers() {
        check(
            "Enjoying #Halloween2017 with #ios11, #2NE1 and #12News #3dollarburrito",
            &[],
        );
        check("New order is 30minutes late", &[]);
        // Ids written after a hash are still found, and any id after an order word.
        check("Flight [[#BA228]] again", &[(OrderNumber, "BA228")]);
        check("booking ref [[#YIU8NM]]", &[(OrderNumber, "YIU8NM")]);
        check("file ref [[kwiku14346]]", &[(OrderNumber, "kwiku14346")]);
    }

    #[test]
    fn nothing_is_read_inside_a_link() {
        check(
            "Read https://t.co/65MJCN35WF and www.shop.example/order/1234567/2017-10-31 now",
            &[],
        );
        check(
            "HTTPS://T.CO/ABCDEFGHIJ99 then order [[#55821]]",
            &[(OrderNumber, "55821")],
        );
    }

    #[test]
    fn internet_addresses_are_not_phone_numbers() {
        check("servers 137.221.83.74 and 100.41.128.86 time out", &[]);
        check("call me on [[850.266.3576]]", &[(Phone, "8502663576")]);
    }

    #[test]
    fn small_numbers_years_and_prices_are_not_order_numbers() {
        check(
            "I ordered 2 jackets in 2024 for [[$40]]",
            &[(Money, "40.00 USD")],
        );
        check("my order 2 is late, I'm #1 fan", &[]);
        check("&#39;quoted&#39;", &[]);
    }

    #[test]
    fn money_is_found_with_its_currency() {
        check("I paid [[$129.00]]", &[(Money, "129.00 USD")]);
        check("that's [[129 dollars]]", &[(Money, "129.00 USD")]);
        check(
            "[[€40]] and [[40 EUR]]",
            &[(Money, "40.00 EUR"), (Money, "40.00 EUR")],
        );
        check(
            "[[£12.50]] or [[USD 30]]",
            &[(Money, "12.50 GBP"), (Money, "30.00 USD")],
        );
        check("charged [[1,299.99 usd]]", &[(Money, "1299.99 USD")]);
        check("it cost [[C$15]]", &[(Money, "15.00 CAD")]);
    }

    #[test]
    fn money_in_other_currencies_and_their_abbreviations() {
        check(
            "my card got debited [[RM676.90]] on [[24/9/2017]]",
            &[(Money, "676.90 MYR"), (Date, "24/9/2017")],
        );
        check("only [[RM 2]] a month", &[(Money, "2.00 MYR")]);
        check(
            "paid [[Rs. 4,500]] and [[Rs200]] for shipping",
            &[(Money, "4500.00 INR"), (Money, "200.00 INR")],
        );
        check("charged [[R$ 59,90]] twice", &[(Money, "59.90 BRL")]);
        check(
            "[[₩15000]], [[₱250]] and [[AED 120]]",
            &[
                (Money, "15000.00 KRW"),
                (Money, "250.00 PHP"),
                (Money, "120.00 AED"),
            ],
        );
        check("that's [[300 ringgit]]", &[(Money, "300.00 MYR")]);
        // A dollar's code after a "$" amount says which dollar.
        check(
            "billed [[680$ cdn]] and [[$45 AUD]], not [[$10]]",
            &[
                (Money, "680.00 CAD"),
                (Money, "45.00 AUD"),
                (Money, "10.00 USD"),
            ],
        );
        // A room, a word that only ends in the letters, and a dotted code are not currencies.
        check("rm 12 and FORM 20 and Mrs. 3 and usd. 5", &[]);
    }

    #[test]
    fn money_carries_its_amount_and_code() {
        let money = first_fact("refund my £12.50 now");
        assert_eq!(
            (money.amount, money.currency.as_deref()),
            (Some(12.5), Some("GBP"))
        );
    }

    #[test]
    fn weights_and_bare_numbers_are_not_money() {
        check("the parcel weighs 5 pounds and has 3 parts", &[]);
    }

    #[test]
    fn dates_are_found_in_many_forms() {
        check("it came [[3 May]]", &[(Date, "3 may")]);
        check("due [[May 3rd]]", &[(Date, "may 3rd")]);
        check(
            "[[2026-05-03]] and [[03/05/2026]]",
            &[(Date, "2026-05-03"), (Date, "03/05/2026")],
        );
        check("I called [[on Monday]]", &[(Date, "on monday")]);
        check("waiting [[since Monday]]", &[(Date, "since monday")]);
        check("it was due [[yesterday]]", &[(Date, "yesterday")]);
        check("ordered [[last week]]", &[(Date, "last week")]);
        check("ordered [[two weeks ago]]", &[(Date, "two weeks ago")]);
    }

    #[test]
    fn durations_are_found_with_numbers_in_digits_or_words() {
        check("waited [[3 days]]", &[(Duration, "3 days")]);
        check("no reply [[for a month]]", &[(Duration, "for a month")]);
        check("stuck [[over a week]]", &[(Duration, "over a week")]);
        check("it took [[48 hours]]", &[(Duration, "48 hours")]);
        check("[[within 48 hours]]", &[(Duration, "within 48 hours")]);
        check("it's [[a week]] late", &[(Duration, "a week")]);
    }

    #[test]
    fn may_as_a_verb_and_frequencies_are_not_dates() {
        check("you may want to check, I use it once a week", &[]);
        check("a 3 day delivery", &[]);
    }

    #[test]
    fn contact_counts_are_found_with_their_number() {
        check(
            "this is the [[third time I'm writing]]",
            &[(ContactCount, "3")],
        );
        check("This is the [[3rd time]]!", &[(ContactCount, "3")]);
        check("I've [[called five times]]", &[(ContactCount, "5")]);
        check("I have [[emailed you 4 times]]", &[(ContactCount, "4")]);
        check("this is my [[second email]]", &[(ContactCount, "2")]);
        check("still no answer after [[3 calls]]", &[(ContactCount, "3")]);
        check(
            "@115873 [[4 tweets]] and no customer service response.",
            &[(ContactCount, "4")],
        );
        check(
            "I have made [[many calls]] to you",
            &[(ContactCount, "repeated")],
        );
        check(
            "@AmazonHelp [[Multiple calls]] to your call center",
            &[(ContactCount, "repeated")],
        );
        check(
            "I’ve [[complained repeatedly]] to no avail",
            &[(ContactCount, "repeated")],
        );
        check(
            "I've [[written again and again]]",
            &[(ContactCount, "repeated")],
        );
        check("I [[called several times]]", &[(ContactCount, "repeated")]);
        check(
            "I've [[written to you on 3 occasions]]",
            &[(ContactCount, "3")],
        );
    }

    #[test]
    fn vague_contact_counts_have_no_number() {
        assert_eq!(first_fact("I have written again and again").count, None);
        assert_eq!(first_fact("I called 3 times").count, Some(3));
    }

    #[test]
    fn single_contacts_and_other_repeats_are_not_contact_counts() {
        check("I called you [[yesterday]]", &[(Date, "yesterday")]);
        check("It broke for the second time.", &[]);
        check("you charged me 3 times", &[]);
        check(
            "after receiving 3 emails saying it was out for delivery",
            &[],
        );
        check("I got 2 emails from you and many texts", &[]);
        check("It failed repeatedly", &[]);
        check("the second time it broke I gave up", &[]);
        check("I've updated my phone twice and it still crashes", &[]);
        check("I [[phoned you twice]] about it", &[(ContactCount, "2")]);
    }

    #[test]
    fn products_are_the_objects_of_purchases() {
        check("I ordered a [[sofa]] from you", &[(Product, "sofa")]);
        check("I bought a [[laptop]] for my son", &[(Product, "laptop")]);
        check(
            "my [[blue rain jacket]] arrived torn",
            &[(Product, "blue rain jacket")],
        );
        check(
            "the [[espresso machine]] is broken",
            &[(Product, "espresso machine")],
        );
        check("I received a broken [[lamp]].", &[(Product, "lamp")]);
        check(
            "I ordered a [[sofa]] [[3 weeks ago]]",
            &[(Product, "sofa"), (Date, "3 weeks ago")],
        );
    }

    #[test]
    fn generic_things_are_not_products() {
        check("I got a reply and my order arrived", &[]);
        check("you sent the wrong one and I got the wrong size", &[]);
        check(
            "I ordered a [[blue sweater]] and received a red one",
            &[(Product, "blue sweater")],
        );
    }

    #[test]
    fn products_end_before_the_words_that_follow_them() {
        check("I've got my package thanks", &[]);
        check("my order hasn’t arrived", &[]);
        check("Bought a [[lasagne]] earlier", &[(Product, "lasagne")]);
        check(
            "I purchased an [[int’l ticket]] through your site",
            &[(Product, "int’l ticket")],
        );
        check(
            "I got a [[screenshot]] saying it is reserved",
            &[(Product, "screenshot")],
        );
        check("I got a phone call claiming to be you", &[]);
        check("I want to order this item https://t.co/jd4XZL76Ga", &[]);
        check("The rest either died or left", &[]);
    }

    #[test]
    fn emails_and_phones_are_normalised() {
        check(
            "mail [[Jo.Smith@Example.com]].",
            &[(Email, "jo.smith@example.com")],
        );
        check("call [[+1 555 123 4567]]", &[(Phone, "+15551234567")]);
        check("or [[(555) 123-4567]]", &[(Phone, "5551234567")]);
        check("mobile [[07700 900123]]", &[(Phone, "07700900123")]);
    }

    #[test]
    fn facts_do_not_overlap_and_come_in_order() {
        check(
            "Order [[#A10234]] cost [[$50]], ordered [[3 May]]?",
            &[
                (OrderNumber, "A10234"),
                (Money, "50.00 USD"),
                (Date, "3 may"),
            ],
        );
    }
}
