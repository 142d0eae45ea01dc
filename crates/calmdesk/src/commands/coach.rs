//! `calmdesk coach`: review a draft reply or note in the context of the conversation, one at a
//! time or as JSON Lines.

use std::io::{BufRead, BufReader, IsTerminal, Read, Write};

use anyhow::Context;
use calmdesk_core::analysis::Models;
use calmdesk_core::coach::{self, DraftKind, Pack, Review, Turn};
use serde::Deserialize;

use crate::cli::CoachArgs;

/// A review request: the conversation so far and the draft.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    #[serde(default)]
    pub conversation: Vec<Turn>,
    pub draft: String,
    #[serde(default = "reply")]
    pub kind: DraftKind,
}

fn reply() -> DraftKind {
    DraftKind::Reply
}

/// A context file: either `{"conversation": [...]}` or a bare list of turns.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum ContextFile {
    Wrapped { conversation: Vec<Turn> },
    Bare(Vec<Turn>),
}

pub fn run(args: CoachArgs) -> anyhow::Result<()> {
    let (models, _) = crate::models::reading(args.models.as_deref())?;
    let packs = crate::packs::load(args.packs.as_deref())?;
    if let Some(source) = &args.jsonl {
        return run_jsonl(&models, &packs, source);
    }
    let draft = match (&args.draft, &args.file) {
        (Some(text), None) => text.clone(),
        (None, Some(path)) => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the draft {}", path.display()))?,
        (None, None) => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("cannot read the draft from standard input")?;
            text
        }
        (Some(_), Some(_)) => {
            anyhow::bail!("give the draft as an argument or with --file, not both")
        }
    };
    let conversation = match &args.context {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the context {}", path.display()))?;
            match serde_json::from_str::<ContextFile>(&text).with_context(|| {
                format!(
                    "{} must be {{\"conversation\": [{{\"role\": \"customer|agent\", \"text\": ...}}]}}",
                    path.display()
                )
            })? {
                ContextFile::Wrapped { conversation } | ContextFile::Bare(conversation) => conversation,
            }
        }
        None => Vec::new(),
    };
    let kind = match args.kind.as_str() {
        "reply" => DraftKind::Reply,
        "note" => DraftKind::Note,
        other => anyhow::bail!("--kind must be reply or note, not {other:?}"),
    };
    let review = coach::review(&models, &conversation, &draft, kind, &packs);
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &review)?;
        writeln!(out)?;
    } else {
        let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        crate::render::review(&mut out, &draft, &review, colour)?;
    }
    Ok(())
}

/// One request line made into one Review line, or an error object in its place.
pub fn review_line(models: &Models, packs: &[Pack], line: &str, number: usize) -> String {
    match serde_json::from_str::<Request>(line) {
        Ok(request) => {
            let review: Review = coach::review(
                models,
                &request.conversation,
                &request.draft,
                request.kind,
                packs,
            );
            serde_json::to_string(&review).unwrap_or_default()
        }
        Err(error) => serde_json::json!({
            "error": {"code": "invalid_line", "message": error.to_string(), "line": number}
        })
        .to_string(),
    }
}

fn run_jsonl(models: &Models, packs: &[Pack], source: &str) -> anyhow::Result<()> {
    let input: Box<dyn Read> = if source == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(source).with_context(|| format!("cannot read {source}"))?)
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (index, line) in BufReader::new(input).split(b'\n').enumerate() {
        let number = index + 1;
        let bytes = line.with_context(|| format!("cannot read line {number}"))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let result = match std::str::from_utf8(&bytes) {
            Ok(line) => review_line(models, packs, line, number),
            Err(_) => serde_json::json!({
                "error": {"code": "invalid_line", "message": "the line is not valid UTF-8", "line": number}
            })
            .to_string(),
        };
        out.write_all(result.as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}
