//! `calmdesk export`: the record as JSON Lines, one case per line with its customer and
//! timeline, oldest case first.

use std::fs::File;
use std::io::{BufWriter, Write};

use anyhow::Context;

use crate::cli::ExportArgs;
use crate::config::Config;

/// Cases read per query.
const BATCH: i64 = 500;

pub async fn run(config: &Config, args: ExportArgs) -> anyhow::Result<()> {
    let store = config.open_store().await?;
    let mut out: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    let mut written = 0usize;
    match args.case {
        Some(id) => {
            let record = store.case_record(id).await?;
            serde_json::to_writer(&mut out, &record)?;
            out.write_all(b"\n")?;
            written += 1;
        }
        None => {
            let mut after = 0;
            loop {
                let ids = store.case_ids_after(after, BATCH).await?;
                for id in &ids {
                    let record = store.case_record(*id).await?;
                    serde_json::to_writer(&mut out, &record)?;
                    out.write_all(b"\n")?;
                    written += 1;
                }
                match ids.last() {
                    Some(last) if ids.len() as i64 == BATCH => after = *last,
                    _ => break,
                }
            }
        }
    }
    out.flush()?;
    if let Some(path) = &args.out {
        eprintln!("wrote {written} cases to {}", path.display());
    }
    store.close().await;
    Ok(())
}
