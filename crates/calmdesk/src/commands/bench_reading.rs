//! `calmdesk bench reading`: how fast calmdesk reads messages, measured the way it is used.
//!
//! The same texts are read four ways: in process on one thread (the Reading alone); through
//! `calmdesk analyze --jsonl` as a child process on one and on two threads (JSON in and out
//! included), in turn several times, medians printed; and, when Python's `vaderSentiment` is
//! installed, by VADER as the speed anchor.
//! Start-up is the time to parse the embedded models; peak memory is the child's high-water
//! mark while it reads every message.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;
use calmdesk_core::analysis;

/// Texts used when no data is at hand: short customer messages of the kinds calmdesk reads.
const BUILT_IN: &[&str] = &[
    "Where is my order? It was supposed to arrive last Monday.",
    "This is the third time I'm writing. Nobody answers!!!",
    "Thanks so much, the replacement arrived today and it's perfect.",
    "You charged me twice for order #A10234, I want my $129 back now.",
    "Could you please help me change the delivery address?",
    "Great, just great. Another week without my parcel.",
    "your agent hung up on me, useless company",
    "I'd like to return the jacket, it's too small.",
];

fn texts(input: Option<&Path>, data: &Path, count: usize) -> anyhow::Result<(Vec<String>, String)> {
    let (base, source) = match input {
        Some(path) => {
            let file = std::fs::File::open(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let mut texts = Vec::new();
            for line in BufReader::new(file).lines() {
                let value: serde_json::Value = serde_json::from_str(&line?)?;
                if let Some(text) = value.get("text").and_then(|t| t.as_str()) {
                    texts.push(text.to_owned());
                }
            }
            (texts, path.display().to_string())
        }
        None => {
            let tweets = data.join("tweeteval/sentiment/val_text.txt");
            match std::fs::read_to_string(&tweets) {
                Ok(text) => (
                    text.lines()
                        .filter(|l| !l.trim().is_empty())
                        .map(str::to_owned)
                        .collect(),
                    "TweetEval sentiment validation tweets".to_owned(),
                ),
                Err(_) => (
                    BUILT_IN.iter().map(|s| (*s).to_owned()).collect(),
                    "built-in customer messages".to_owned(),
                ),
            }
        }
    };
    anyhow::ensure!(!base.is_empty(), "no texts to read");
    let texts = base.iter().cycle().take(count).cloned().collect();
    Ok((texts, source))
}

/// Runs `analyze --jsonl` on `input` with `threads`; returns wall time and peak memory (KiB).
fn run_analyze(input: &Path, threads: usize) -> anyhow::Result<(Duration, u64)> {
    let exe = std::env::current_exe()?;
    let started = Instant::now();
    let mut child = Command::new(exe)
        .args(["analyze", "--jsonl"])
        .arg(input)
        .args(["--threads", &threads.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()?;
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak = 0u64;
    let status = loop {
        if let Ok(status) = std::fs::read_to_string(&status_path) {
            if let Some(kb) = status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
            {
                peak = peak.max(kb);
            }
        }
        if let Some(status) = child.try_wait()? {
            break status;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    anyhow::ensure!(status.success(), "analyze --jsonl failed");
    Ok((started.elapsed(), peak))
}

fn vader(input: &Path) -> Option<f64> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/vader_speed.py");
    let output = Command::new("python3")
        .arg(script)
        .arg(input)
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).ok()?;
    value.get("texts_per_second")?.as_f64()
}

/// The median of `values` (the mean of the middle two for an even count).
fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[middle],
        _ => (values[middle - 1] + values[middle]) / 2.0,
    }
}

pub fn run(
    messages: usize,
    input: Option<PathBuf>,
    data: &Path,
    pairs: usize,
) -> anyhow::Result<()> {
    let (texts, source) = texts(input.as_deref(), data, messages.max(1))?;
    let started = Instant::now();
    let (models, version) = crate::models::reading(None)?;
    let load = started.elapsed();

    let started = Instant::now();
    let mut heat = 0.0f32;
    for text in &texts {
        heat += analysis::read(&models, text).heat.score;
    }
    std::hint::black_box(heat);
    let in_process = texts.len() as f64 / started.elapsed().as_secs_f64();

    let dir = tempfile_dir()?;
    let file = dir.join("bench-reading.jsonl");
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&file)?);
        for text in &texts {
            serde_json::to_writer(&mut out, &serde_json::json!({ "text": text }))?;
            out.write_all(b"\n")?;
        }
        out.flush()?;
    }
    // One and two threads in turn, so a slow spell of the machine hits both alike; each pair
    // gives a ratio.
    let (mut ones, mut twos, mut ratios, mut peak) = (Vec::new(), Vec::new(), Vec::new(), 0);
    for _ in 0..pairs.max(1) {
        let (one, peak_one) = run_analyze(&file, 1)?;
        let (two, peak_two) = run_analyze(&file, 2)?;
        let rate = |d: Duration| texts.len() as f64 / d.as_secs_f64();
        ones.push(rate(one));
        twos.push(rate(two));
        ratios.push(rate(two) / rate(one));
        peak = peak.max(peak_one).max(peak_two);
    }
    let low = ratios.iter().copied().fold(f64::INFINITY, f64::min);
    let high = ratios.iter().copied().fold(0.0, f64::max);
    let (rate_one, rate_two, ratio) = (median(ones), median(twos), median(ratios));
    let vader_rate = vader(&file);
    let _ = std::fs::remove_dir_all(&dir);

    println!(
        "Texts: {} messages from {source}; models {}.\n",
        texts.len(),
        version
    );
    println!("| measure | result |");
    println!("|---|---|");
    println!(
        "| model load (every embedded Reading model, fused) | {:.1} ms |",
        load.as_secs_f64() * 1000.0
    );
    println!("| Reading in process, 1 thread | {in_process:.0} messages/s |");
    println!(
        "| `analyze --jsonl --threads 1` (JSON in and out), median of {pairs} | {rate_one:.0} messages/s |"
    );
    println!("| `analyze --jsonl --threads 2`, median of {pairs} | {rate_two:.0} messages/s |");
    println!(
        "| two threads against one, median of {pairs} pairs run in turn | {ratio:.2}× (pairs {low:.2}× to {high:.2}×) |"
    );
    println!(
        "| peak memory, `analyze --jsonl` | {:.0} MiB |",
        peak as f64 / 1024.0
    );
    match vader_rate {
        Some(rate) => println!(
            "| VADER `polarity_scores`, 1 thread, same texts | {rate:.0} texts/s (calmdesk 1 thread, median: {:.1}×) |",
            rate_one / rate
        ),
        None => println!("| VADER | not measured: `python3 -m pip install vaderSentiment` |"),
    }
    Ok(())
}

fn tempfile_dir() -> anyhow::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("calmdesk-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
