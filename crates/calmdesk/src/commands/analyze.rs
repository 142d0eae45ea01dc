//! `calmdesk analyze`: read one message, or a stream of them as JSON Lines on every core.

use std::borrow::Cow;
use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::path::PathBuf;

use anyhow::Context;
use calmdesk_core::analysis::{self, Models};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::Value;

use crate::cli::AnalyzeArgs;

/// Lines read and analysed together on one thread; results are written in input order.
const BATCH: usize = 8192;

/// Lines a worker takes at a time when there are several: small enough that the workers finish
/// together and none waits long for the others, large enough that handing work over costs
/// nothing to speak of.
const CHUNK: usize = 512;

/// Chunks handed out per worker and not yet written: room for each worker to find its next
/// chunk waiting, and a bound on memory when the output is read slowly.
const AHEAD: usize = 4;

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
    if threads == 1 {
        let mut lines = Lines::default();
        let mut buffer = Vec::new();
        while lines.read_batch(&mut input, BATCH)? {
            buffer.clear();
            lines.analyse(models, &mut buffer);
            out.write_all(&buffer)?;
            progress.inc(lines.len() as u64);
        }
    } else {
        run_workers(models, threads, &mut input, &mut out, &progress)?;
    }
    out.flush()?;
    progress.finish_and_clear();
    Ok(())
}

/// A batch of input lines: their bytes in one buffer, and where each line lies with its number.
#[derive(Default)]
struct Lines {
    data: Vec<u8>,
    spans: Vec<(usize, usize, usize)>,
    /// Lines read so far, blank ones included.
    number: usize,
}

impl Lines {
    fn len(&self) -> usize {
        self.spans.len()
    }

    /// Reads up to `limit` lines that are not blank; false when the input is over.
    fn read_batch(&mut self, input: &mut impl BufRead, limit: usize) -> anyhow::Result<bool> {
        self.data.clear();
        self.spans.clear();
        while self.spans.len() < limit {
            let start = self.data.len();
            let read = input
                .read_until(b'\n', &mut self.data)
                .with_context(|| format!("cannot read line {}", self.number + 1))?;
            if read == 0 {
                break;
            }
            self.number += 1;
            let line = &self.data[start..];
            let line = line.strip_suffix(b"\n").unwrap_or(line);
            if line.iter().all(u8::is_ascii_whitespace) {
                self.data.truncate(start);
                continue;
            }
            self.spans.push((self.number, start, start + line.len()));
        }
        Ok(!self.spans.is_empty())
    }

    /// Analyses the lines, in order, into `out`. A line that is not UTF-8 becomes an error
    /// object in its place, like bad JSON.
    fn analyse(&self, models: &Models, out: &mut Vec<u8>) {
        for &(n, start, end) in &self.spans {
            analyse_line(
                models,
                std::str::from_utf8(&self.data[start..end]).ok(),
                n,
                out,
            );
        }
    }
}

/// A chunk of lines for a worker, by its place in the input, with a buffer for its output;
/// both come back with the output, to be used again.
struct Job {
    place: usize,
    lines: Lines,
    out: Vec<u8>,
}

/// `analyze --jsonl` on `threads` workers that live as long as the input, so each keeps what it
/// remembers between messages (the Reading's per-word sums). This thread reads the input in
/// chunks of [`CHUNK`] lines, which the workers take as they come free, and writes the output
/// of each chunk in input order as soon as it and every chunk before it are back; the workers
/// go on with later chunks meanwhile.
fn run_workers(
    models: &Models,
    threads: usize,
    input: &mut impl BufRead,
    out: &mut impl Write,
    progress: &ProgressBar,
) -> anyhow::Result<()> {
    use std::collections::BTreeMap;
    use std::sync::{mpsc, Arc, Mutex};
    let stopped = || anyhow::anyhow!("an analysis thread stopped");
    std::thread::scope(|scope| {
        let (job_tx, job_rx) = mpsc::channel::<Job>();
        let job_rx = Arc::new(Mutex::new(job_rx));
        // A worker that panics sends nothing for its chunk but `None`, so this thread stops
        // rather than waiting for output that will not come.
        let (done_tx, done_rx) = mpsc::channel::<Option<Job>>();
        for _ in 0..threads {
            let (job_rx, done_tx) = (Arc::clone(&job_rx), done_tx.clone());
            scope.spawn(move || loop {
                let job = match job_rx.lock() {
                    Ok(jobs) => jobs.recv(),
                    Err(_) => break,
                };
                let Ok(mut job) = job else { break };
                let analysed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    job.out.clear();
                    job.lines.analyse(models, &mut job.out);
                }));
                if done_tx.send(analysed.ok().map(|()| job)).is_err() {
                    break;
                }
            });
        }
        drop(done_tx);
        let mut spare: Vec<(Lines, Vec<u8>)> = Vec::new();
        let mut back: BTreeMap<usize, Job> = BTreeMap::new();
        let (mut sent, mut written, mut number) = (0, 0, 0);
        let mut more = true;
        while more || written < sent {
            if more && sent - written < threads * AHEAD {
                let (mut lines, buffer) = spare.pop().unwrap_or_default();
                lines.number = number;
                more = lines.read_batch(input, CHUNK)?;
                number = lines.number;
                if more {
                    let job = Job {
                        place: sent,
                        lines,
                        out: buffer,
                    };
                    job_tx.send(job).map_err(|_| stopped())?;
                    sent += 1;
                }
                // Take what is back without waiting, so reading goes on while workers work.
                while let Ok(done) = done_rx.try_recv() {
                    let job = done.ok_or_else(stopped)?;
                    back.insert(job.place, job);
                }
            } else {
                let job = done_rx.recv().map_err(|_| stopped())?.ok_or_else(stopped)?;
                back.insert(job.place, job);
            }
            while let Some(job) = back.remove(&written) {
                out.write_all(&job.out)?;
                progress.inc(job.lines.len() as u64);
                spare.push((job.lines, job.out));
                written += 1;
            }
        }
        drop(job_tx);
        Ok(())
    })
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
