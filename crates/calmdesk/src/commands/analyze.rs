//! `calmdesk analyze`: read one message, or a stream of them as JSON Lines on every core.

use std::borrow::Cow;
use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::path::PathBuf;

use anyhow::Context;
use calmdesk_core::analysis::{self, Models};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::Value;

use crate::cli::AnalyzeArgs;

/// Lines read and analysed together; results are written in input order.
const BATCH: usize = 8192;

pub fn run(args: AnalyzeArgs) -> anyhow::Result<()> {
    let (models, _) = crate::models::reading(args.models.as_deref())?;
    if let Some(source) = &args.jsonl {
        return run_jsonl(&models, source, args.threads);
    }
    let (text, mut diagnostics) = match &args.text {
        Some(text) => (text.clone(), Vec::new()),
        None => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .context("cannot read the message from standard input")?;
            analysis::decode(&bytes)
        }
    };
    let mut reading = analysis::read(&models, &text);
    diagnostics.append(&mut reading.diagnostics);
    reading.diagnostics = diagnostics;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &reading)?;
        writeln!(out)?;
    } else {
        let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        crate::render::reading(&mut out, &text, &reading, colour)?;
    }
    Ok(())
}

/// The fields of an input line: its text, and everything else.
#[derive(serde::Deserialize)]
struct Input {
    text: Option<Value>,
    #[serde(flatten)]
    rest: serde_json::Map<String, Value>,
}

/// The text of a line that is exactly one JSON object with one field, `"text"`, holding a
/// string; None for anything else (other fields, other types, bad JSON, lone surrogates), which
/// serde_json then reads with its exact errors. Borrowed when the string has no escapes.
fn text_only(line: &str) -> Option<Cow<'_, str>> {
    let rest = line.trim_matches(is_json_space);
    let rest = rest.strip_prefix('{')?.trim_start_matches(is_json_space);
    let rest = rest
        .strip_prefix("\"text\"")?
        .trim_start_matches(is_json_space);
    let rest = rest.strip_prefix(':')?.trim_start_matches(is_json_space);
    let body = rest.strip_prefix('"')?;
    let bytes = body.as_bytes();
    // The string ends at the first quote not escaped; control characters are not allowed in it.
    let mut end = 0;
    let mut escaped = false;
    loop {
        match *bytes.get(end)? {
            b'"' => break,
            b'\\' => {
                escaped = true;
                end += 2;
            }
            0x00..=0x1f => return None,
            _ => end += 1,
        }
    }
    let after = body.get(end + 1..)?.trim_start_matches(is_json_space);
    if after != "}" {
        return None;
    }
    let raw = &body[..end];
    if !escaped {
        return Some(Cow::Borrowed(raw));
    }
    unescape(raw).map(Cow::Owned)
}

fn is_json_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// The text of a JSON string's body with its escapes resolved; None for a bad escape.
fn unescape(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let escape = rest.as_bytes().get(at + 1)?;
        rest = &rest[at + 2..];
        match escape {
            b'"' => out.push('"'),
            b'\\' => out.push('\\'),
            b'/' => out.push('/'),
            b'b' => out.push('\u{8}'),
            b'f' => out.push('\u{c}'),
            b'n' => out.push('\n'),
            b'r' => out.push('\r'),
            b't' => out.push('\t'),
            b'u' => {
                let unit = hex4(rest)?;
                rest = &rest[4..];
                let c = if (0xd800..0xdc00).contains(&unit) {
                    let low = hex4(rest.strip_prefix("\\u")?)?;
                    if !(0xdc00..0xe000).contains(&low) {
                        return None;
                    }
                    rest = &rest[6..];
                    char::from_u32(0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00))?
                } else {
                    char::from_u32(unit)?
                };
                out.push(c);
            }
            _ => return None,
        }
    }
    out.push_str(rest);
    Some(out)
}

/// The four hex digits at the start of `text`.
fn hex4(text: &str) -> Option<u32> {
    let digits = text.get(..4)?;
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(digits, 16).ok()
}

/// One input line made into one output line, appended to `out` with its newline.
fn analyse_line(models: &Models, line: Option<&str>, number: usize, out: &mut Vec<u8>) {
    match line {
        None => error_line(out, number, "the line is not valid UTF-8"),
        Some(line) => match text_only(line) {
            // The common line, `{"text": "…"}` alone, is read without a JSON value in between.
            Some(text) => analysis::write_reading(out, &analysis::read(models, &text)),
            None => analyse_object(models, line, number, out),
        },
    }
    out.push(b'\n');
}

/// Any other line, read by serde_json: its other fields come back under `"input"`.
fn analyse_object(models: &Models, line: &str, number: usize, out: &mut Vec<u8>) {
    let input: Input = match serde_json::from_str(line) {
        Ok(input) => input,
        Err(error) => return error_line(out, number, &format!("not a JSON object: {error}")),
    };
    let Some(Value::String(text)) = input.text else {
        return error_line(out, number, "each line needs a \"text\" string");
    };
    analysis::write_reading(out, &analysis::read(models, &text));
    if !input.rest.is_empty() {
        // The Reading's closing brace makes way for the input's fields.
        out.pop();
        out.extend_from_slice(b",\"input\":");
        if serde_json::to_writer(&mut *out, &input.rest).is_err() {
            out.extend_from_slice(b"null");
        }
        out.push(b'}');
    }
}

fn error_line(out: &mut Vec<u8>, number: usize, message: &str) {
    let error =
        serde_json::json!({"error": {"code": "invalid_line", "message": message, "line": number}});
    if serde_json::to_writer(&mut *out, &error).is_err() {
        out.extend_from_slice(b"{}");
    }
}

fn run_jsonl(models: &Models, source: &str, threads: Option<usize>) -> anyhow::Result<()> {
    let input: Box<dyn Read> = if source == "-" {
        Box::new(std::io::stdin())
    } else {
        let path = PathBuf::from(source);
        Box::new(std::fs::File::open(&path).with_context(|| format!("cannot read {source}"))?)
    };
    let threads = threads
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        })
        .max(1);
    let progress = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {pos} messages read ({per_sec})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut input = BufReader::with_capacity(1 << 16, input);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut number = 0usize;
    // One buffer holds a batch's lines, and each thread writes its lines into one buffer,
    // all kept from batch to batch.
    let mut data: Vec<u8> = Vec::new();
    let mut batch: Vec<(usize, usize, usize)> = Vec::with_capacity(BATCH);
    let mut outputs: Vec<Vec<u8>> = vec![Vec::new(); threads];
    loop {
        data.clear();
        batch.clear();
        while batch.len() < BATCH {
            let start = data.len();
            let read = input
                .read_until(b'\n', &mut data)
                .with_context(|| format!("cannot read line {}", number + 1))?;
            if read == 0 {
                break;
            }
            number += 1;
            let line = &data[start..];
            let line = line.strip_suffix(b"\n").unwrap_or(line);
            if line.iter().all(u8::is_ascii_whitespace) {
                data.truncate(start);
                continue;
            }
            batch.push((number, start, start + line.len()));
        }
        if batch.is_empty() {
            break;
        }
        // A line that is not UTF-8 becomes an error object in its place, like bad JSON.
        let line = |&(n, start, end): &(usize, usize, usize)| {
            (n, std::str::from_utf8(&data[start..end]).ok())
        };
        if threads == 1 || batch.len() < 64 {
            let buffer = &mut outputs[0];
            buffer.clear();
            for (n, text) in batch.iter().map(line) {
                analyse_line(models, text, n, buffer);
            }
            out.write_all(buffer)?;
        } else {
            let chunk = batch.len().div_ceil(threads);
            std::thread::scope(|scope| {
                for (part, buffer) in batch.chunks(chunk).zip(outputs.iter_mut()) {
                    scope.spawn(move || {
                        buffer.clear();
                        for (n, text) in part.iter().map(line) {
                            analyse_line(models, text, n, buffer);
                        }
                    });
                }
            });
            for buffer in &outputs {
                out.write_all(buffer)?;
            }
        }
        progress.inc(batch.len() as u64);
    }
    out.flush()?;
    progress.finish_and_clear();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What serde_json reads as the text of a line that has only a text.
    fn by_serde(line: &str) -> Option<String> {
        let value: serde_json::Map<String, Value> = serde_json::from_str(line).ok()?;
        if value.len() != 1 {
            return None;
        }
        value.get("text")?.as_str().map(str::to_owned)
    }

    #[test]
    fn a_line_with_only_a_text_is_read_as_serde_json_reads_it() {
        for line in [
            r#"{"text": "Where is my parcel?"}"#,
            r#"  {"text":"plain"}  "#,
            "{\"text\":\"tabs and \\\"quotes\\\" \\\\ \\/ \\b\\f\\n\\r\\t\"}\r",
            r#"{"text": "caf\u00e9 \u6f22 \ud83d\ude21 \u0000"}"#,
            r#"{"text": "é 😡 raw"}"#,
            r#"{"text": ""}"#,
        ] {
            let fast = text_only(line).map(Cow::into_owned);
            assert!(fast.is_some(), "{line}");
            assert_eq!(fast, by_serde(line), "{line}");
        }
    }

    #[test]
    fn any_other_line_is_left_to_serde_json() {
        for line in [
            r#"{"id": 7, "text": "x"}"#,
            r#"{"text": "x", "id": 7}"#,
            r#"{"text": 5}"#,
            r#"{"text": "lone \ud800 surrogate"}"#,
            r#"{"text": "bad \x escape"}"#,
            r#"{"text": "short \u12"}"#,
            "{\"text\": \"raw \u{1} control\"}",
            r#"{"text": "unterminated}"#,
            r#"{"text": "x"} trailing"#,
            r#"["text"]"#,
            "oops",
            "",
        ] {
            assert_eq!(text_only(line), None, "{line}");
        }
    }
}
