//! `calmdesk analyze`: read one message, or a stream of them as JSON Lines on every core.

use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::path::PathBuf;

use anyhow::Context;
use calmdesk_core::analysis::{self, Models, Reading};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::Value;

use crate::cli::AnalyzeArgs;

/// Lines read and analysed together; results are written in input order.
const BATCH: usize = 8192;

pub fn run(args: AnalyzeArgs) -> anyhow::Result<()> {
    let models = crate::models::load(args.models.as_deref())?.reading_models()?;
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

/// A Reading with the input line's other fields passed through.
#[derive(serde::Serialize)]
struct Line<'a> {
    #[serde(flatten)]
    reading: &'a Reading,
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    input: serde_json::Map<String, Value>,
}

/// The fields of an input line: its text, and everything else.
#[derive(serde::Deserialize)]
struct Input {
    text: Option<Value>,
    #[serde(flatten)]
    rest: serde_json::Map<String, Value>,
}

/// One input line made into one output line.
fn analyse_line(models: &Models, line: Option<&str>, number: usize) -> String {
    let Some(line) = line else {
        return error_line(number, "the line is not valid UTF-8");
    };
    let input: Input = match serde_json::from_str(line) {
        Ok(input) => input,
        Err(error) => return error_line(number, &format!("not a JSON object: {error}")),
    };
    let Some(Value::String(text)) = input.text else {
        return error_line(number, "each line needs a \"text\" string");
    };
    let reading: Reading = analysis::read(models, &text);
    let line = Line {
        reading: &reading,
        input: input.rest,
    };
    serde_json::to_string(&line).unwrap_or_else(|e| error_line(number, &e.to_string()))
}

fn error_line(number: usize, message: &str) -> String {
    serde_json::json!({"error": {"code": "invalid_line", "message": message, "line": number}})
        .to_string()
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
    let mut lines = BufReader::new(input).split(b'\n');
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut number = 0usize;
    loop {
        let mut batch: Vec<(usize, Option<String>)> = Vec::with_capacity(BATCH);
        for line in lines.by_ref() {
            number += 1;
            let bytes = line.with_context(|| format!("cannot read line {number}"))?;
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            // A line that is not UTF-8 becomes an error object in its place, like bad JSON.
            batch.push((number, String::from_utf8(bytes).ok()));
            if batch.len() == BATCH {
                break;
            }
        }
        if batch.is_empty() {
            break;
        }
        let results: Vec<String> = if threads == 1 || batch.len() < 64 {
            batch
                .iter()
                .map(|(n, l)| analyse_line(models, l.as_deref(), *n))
                .collect()
        } else {
            let chunk = batch.len().div_ceil(threads);
            std::thread::scope(|scope| {
                let handles: Vec<_> = batch
                    .chunks(chunk)
                    .map(|part| {
                        scope.spawn(move || {
                            part.iter()
                                .map(|(n, l)| analyse_line(models, l.as_deref(), *n))
                                .collect::<Vec<String>>()
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| {
                        h.join()
                            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                    })
                    .collect()
            })
        };
        for line in results {
            out.write_all(line.as_bytes())?;
            out.write_all(b"\n")?;
        }
        progress.inc(batch.len() as u64);
    }
    out.flush()?;
    progress.finish_and_clear();
    Ok(())
}
