//! `calmdesk import`: read conversations from files and store them as cases, idempotently.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::Context;
use calmdesk_desk::domain::Actor;
use calmdesk_desk::import::{self, Format, Skipped};
use calmdesk_desk::Store;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::ImportArgs;
use crate::config::Config;

/// What importing one file did.
#[derive(Debug, Default)]
struct FileSummary {
    conversations: usize,
    cases_created: usize,
    /// Cases that got new messages, for the escalation rules.
    cases_touched: Vec<i64>,
    messages_added: usize,
    messages_existing: usize,
    skipped: Vec<Skipped>,
}

/// How many skip reasons to print per file before summarising the rest.
const SHOWN_SKIPS: usize = 20;

pub async fn run(config: &Config, args: ImportArgs) -> anyhow::Result<()> {
    let forced = args
        .format
        .as_deref()
        .map(|name| {
            Format::parse_name(name).with_context(|| {
                format!("--format must be eml, mbox, csv, jsonl or twcs, not {name:?}")
            })
        })
        .transpose()?;
    // A broken policy stops the import before anything is written.
    let policy = super::plan::policy(args.policy.as_deref())?;
    let mut parsed = Vec::new();
    for path in &args.files {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let format = match forced {
            Some(format) => format,
            None => detect(path, &bytes)?,
        };
        let file = import::parse(format, &bytes)
            .with_context(|| format!("cannot import {}", path.display()))?;
        parsed.push((path, file));
    }
    let store = config.open_store().await?;
    let mut total = FileSummary::default();
    for (path, file) in parsed {
        let summary = import_file(&store, path, file).await?;
        print_summary(
            &mut std::io::stdout(),
            &path.display().to_string(),
            &summary,
        )?;
        total.conversations += summary.conversations;
        total.cases_created += summary.cases_created;
        total.cases_touched.extend(summary.cases_touched);
        total.messages_added += summary.messages_added;
        total.messages_existing += summary.messages_existing;
        total.skipped.extend(summary.skipped);
    }
    if args.files.len() > 1 {
        writeln!(
            std::io::stdout(),
            "total: {} conversations, {} new cases, {} messages added, {} already stored, {} skipped",
            total.conversations,
            total.cases_created,
            total.messages_added,
            total.messages_existing,
            total.skipped.len()
        )?;
    }
    let (models, version) = crate::models::reading(None)?;
    let read = super::reread::reread_all(&store, &models, &version).await?;
    if read > 0 {
        writeln!(std::io::stdout(), "read {read} new customer messages")?;
    }
    // The same escalation rules as the server's, under the policy `--policy` names.
    total.cases_touched.sort_unstable();
    total.cases_touched.dedup();
    let mut escalated = 0;
    for case_id in &total.cases_touched {
        let case = calmdesk_server::escalation::check_case(&store, &models, &policy, *case_id)
            .await
            .with_context(|| format!("checking case {case_id} for escalation"))?;
        escalated += usize::from(case.is_some());
    }
    if escalated > 0 {
        writeln!(
            std::io::stdout(),
            "escalated {escalated} cases to the manager queue"
        )?;
    }
    store.close().await;
    Ok(())
}

fn detect(path: &Path, bytes: &[u8]) -> anyhow::Result<Format> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let head = &bytes[..bytes.len().min(4096)];
    Format::detect(name, head).with_context(|| {
        format!(
            "cannot tell the format of {}; name it with --format eml|mbox|csv|jsonl|twcs",
            path.display()
        )
    })
}

async fn import_file(
    store: &Store,
    path: &Path,
    file: import::Parsed,
) -> anyhow::Result<FileSummary> {
    let progress = ProgressBar::with_draw_target(
        Some(file.conversations.len() as u64),
        if std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        },
    );
    progress.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} conversations ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    progress.set_message(path.display().to_string());
    let actor = Actor::system("import");
    let mut summary = FileSummary {
        conversations: file.conversations.len(),
        skipped: file.skipped,
        ..FileSummary::default()
    };
    for conversation in &file.conversations {
        match store.import_conversation(conversation, &actor).await {
            Ok(outcome) => {
                summary.cases_created += usize::from(outcome.case_created);
                if outcome.messages_added > 0 {
                    summary.cases_touched.push(outcome.case_id);
                }
                summary.messages_added += outcome.messages_added;
                summary.messages_existing += outcome.messages_existing;
            }
            Err(calmdesk_desk::DeskError::Invalid { field, message }) => {
                summary.skipped.push(Skipped {
                    location: format!("conversation {}", conversation.external_id),
                    reason: format!("{field}: {message}"),
                });
            }
            Err(other) => {
                progress.abandon();
                return Err(other).with_context(|| {
                    format!(
                        "importing {} stopped at {}",
                        path.display(),
                        conversation.external_id
                    )
                });
            }
        }
        progress.inc(1);
    }
    progress.finish_and_clear();
    Ok(summary)
}

fn print_summary(out: &mut impl Write, name: &str, summary: &FileSummary) -> std::io::Result<()> {
    writeln!(
        out,
        "{name}: {} conversations, {} new cases, {} messages added, {} already stored, {} skipped",
        summary.conversations,
        summary.cases_created,
        summary.messages_added,
        summary.messages_existing,
        summary.skipped.len()
    )?;
    for skip in summary.skipped.iter().take(SHOWN_SKIPS) {
        writeln!(out, "  skipped {}: {}", skip.location, skip.reason)?;
    }
    if summary.skipped.len() > SHOWN_SKIPS {
        writeln!(
            out,
            "  … and {} more skipped",
            summary.skipped.len() - SHOWN_SKIPS
        )?;
    }
    Ok(())
}
