//! Readable, optionally coloured, text versions of what calmdesk computes, for a terminal.

use std::io::{self, Write};

use calmdesk_core::analysis::{HeatLevel, Reading};
use calmdesk_core::span::Evidence;

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const GREEN: &str = "\x1b[32m";
const UNDERLINE_RED: &str = "\x1b[4;31m";

fn paint(text: &str, code: &str, colour: bool) -> String {
    if colour {
        format!("{code}{text}{RESET}")
    } else {
        text.to_owned()
    }
}

/// The message with every evidence span marked: coloured on a terminal, `[[…]]` otherwise.
pub fn highlighted(text: &str, evidence: &[&Evidence], colour: bool) -> String {
    let mut spans: Vec<(usize, usize)> = evidence.iter().map(|e| (e.start, e.end)).collect();
    spans.sort_unstable();
    let mut out = String::new();
    let mut at = 0;
    for (start, end) in spans {
        if start < at
            || end > text.len()
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            continue;
        }
        out.push_str(&text[at..start]);
        let piece = &text[start..end];
        if colour {
            out.push_str(&paint(piece, UNDERLINE_RED, true));
        } else {
            out.push_str("[[");
            out.push_str(piece);
            out.push_str("]]");
        }
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

/// Writes a Reading for a person to read.
pub fn reading(
    out: &mut impl Write,
    text: &str,
    reading: &Reading,
    colour: bool,
) -> io::Result<()> {
    let heat_colour = match reading.heat.level {
        HeatLevel::Calm => GREEN,
        HeatLevel::Annoyed | HeatLevel::Upset => YELLOW,
        HeatLevel::Angry | HeatLevel::Hostile => RED,
    };
    writeln!(
        out,
        "{} {} ({:.2})",
        paint("heat:", BOLD, colour),
        paint(reading.heat.level.as_str(), heat_colour, colour),
        reading.heat.score
    )?;
    let mut all: Vec<&Evidence> = reading.heat.evidence.iter().collect();
    all.extend(&reading.abuse.spans);
    all.extend(reading.facts.iter().map(|f| &f.evidence));
    all.extend(reading.fault.reasons.iter().map(|r| &r.evidence));
    all.extend(&reading.intent_evidence);
    all.sort_by_key(|e| (e.start, std::cmp::Reverse(e.end)));
    let mut kept: Vec<&Evidence> = Vec::new();
    for e in all {
        if kept.last().is_none_or(|k| e.start >= k.end) {
            kept.push(e);
        }
    }
    writeln!(
        out,
        "{} {}",
        paint("message:", BOLD, colour),
        highlighted(text, &kept, colour)
    )?;
    let list = |items: Vec<(&str, f32)>| {
        if items.is_empty() {
            "none".to_owned()
        } else {
            items
                .iter()
                .map(|(l, p)| format!("{l} {p:.2}"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    writeln!(
        out,
        "{} {}",
        paint("emotions:", BOLD, colour),
        list(reading.emotions.applying())
    )?;
    let s = &reading.sentiment;
    writeln!(
        out,
        "{} negative {:.2}, neutral {:.2}, positive {:.2}",
        paint("sentiment:", BOLD, colour),
        s.negative,
        s.neutral,
        s.positive
    )?;
    let a = &reading.abuse;
    writeln!(
        out,
        "{} offensive {:.2}, hate {:.2}, threat {:.2}, profanity {}, aimed at the agent {}",
        paint("abuse:", BOLD, colour),
        a.offensive,
        a.hate,
        a.threat,
        if a.profanity { "yes" } else { "no" },
        if a.targets_agent {
            paint("yes", RED, colour)
        } else {
            "no".to_owned()
        }
    )?;
    writeln!(
        out,
        "{} complaint {:.2}, irony {:.2}, politeness {:.2}",
        paint("tone:", BOLD, colour),
        reading.complaint,
        reading.irony,
        reading.politeness
    )?;
    writeln!(
        out,
        "{} {}",
        paint("intents:", BOLD, colour),
        list(reading.intents.applying())
    )?;
    if reading.facts.is_empty() {
        writeln!(out, "{} none found", paint("facts:", BOLD, colour))?;
    } else {
        writeln!(out, "{}", paint("facts:", BOLD, colour))?;
        for fact in &reading.facts {
            let kind = serde_json::to_value(fact.kind).unwrap_or_default();
            let kind = kind.as_str().unwrap_or("fact").to_owned();
            writeln!(out, "  {kind}: {} (\"{}\")", fact.value, fact.evidence.text)?;
        }
    }
    let side = format!("{:?}", reading.fault.side).to_lowercase();
    let reasons: Vec<String> = reading
        .fault
        .reasons
        .iter()
        .map(|r| format!("{} (\"{}\")", r.reason, r.evidence.text))
        .collect();
    writeln!(
        out,
        "{} {}{}",
        paint("fault:", BOLD, colour),
        side,
        if reasons.is_empty() {
            String::new()
        } else {
            format!(": {}", reasons.join(", "))
        }
    )?;
    if !reading.complaint_core.removed.is_empty() {
        writeln!(
            out,
            "{} {}",
            paint("complaint, without the insults:", BOLD, colour),
            reading.complaint_core.text
        )?;
    }
    for d in &reading.diagnostics {
        writeln!(out, "{} {}", paint("note:", BOLD, colour), d.message)?;
    }
    Ok(())
}

/// Writes a Review for a person to read: the score, the draft with findings marked, each
/// finding with its suggestions, and the checklist.
pub fn review(
    out: &mut impl Write,
    draft: &str,
    review: &calmdesk_core::coach::Review,
    colour: bool,
) -> io::Result<()> {
    use calmdesk_core::coach::{Check, Severity};
    let score_colour = match review.score {
        80.. => GREEN,
        50..=79 => YELLOW,
        _ => RED,
    };
    writeln!(
        out,
        "{} {}",
        paint("score:", BOLD, colour),
        paint(&review.score.to_string(), score_colour, colour)
    )?;
    let marked: Vec<Evidence> = review
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info && f.end > f.start)
        .map(|f| Evidence::of(draft, f.start, f.end, "coach"))
        .collect();
    let mut refs: Vec<&Evidence> = marked.iter().collect();
    refs.sort_by_key(|e| (e.start, std::cmp::Reverse(e.end)));
    let mut kept: Vec<&Evidence> = Vec::new();
    for e in refs {
        if kept.last().is_none_or(|k| e.start >= k.end) {
            kept.push(e);
        }
    }
    writeln!(
        out,
        "{} {}",
        paint("draft:", BOLD, colour),
        highlighted(draft, &kept, colour)
    )?;
    for f in &review.findings {
        let (label, code) = match f.severity {
            Severity::Error => ("error", RED),
            Severity::Warning => ("warning", YELLOW),
            Severity::Info => ("info", GREEN),
        };
        let quoted = if f.text.is_empty() {
            String::new()
        } else {
            format!(" \"{}\"", f.text)
        };
        writeln!(
            out,
            "{} [{}]{quoted}: {}",
            paint(label, code, colour),
            f.rule,
            f.message
        )?;
        for s in &f.suggestions {
            writeln!(out, "    try: {s}")?;
        }
    }
    let show = |c: &Check| match c.value {
        Some(true) => "yes",
        Some(false) => "no",
        None => "n/a",
    };
    let c = &review.checklist;
    writeln!(
        out,
        "{} acknowledged {}, empathy {}, apologies {} (needed {}, owned {}), question {}, options {}, next step {}, timeline {}, satisfaction check {}, boundary {}",
        paint("checklist:", BOLD, colour),
        show(&c.acknowledged),
        show(&c.empathy),
        c.apology.count,
        c.apology.needed,
        c.apology.owned,
        show(&c.clarifying_question),
        show(&c.options),
        show(&c.next_step),
        show(&c.timeline),
        show(&c.satisfaction_check),
        show(&c.boundary)
    )?;
    for (name, check) in [
        ("acknowledged", &c.acknowledged),
        ("empathy", &c.empathy),
        ("question", &c.clarifying_question),
        ("options", &c.options),
        ("next step", &c.next_step),
        ("timeline", &c.timeline),
        ("satisfaction check", &c.satisfaction_check),
        ("boundary", &c.boundary),
    ] {
        if check.value == Some(false) {
            writeln!(out, "    {name}: {}", check.reason)?;
        }
    }
    let markers: Vec<String> = review
        .politeness_markers
        .iter()
        .map(|m| format!("{} \"{}\"", m.strategy, m.text))
        .collect();
    let markers = if markers.is_empty() {
        String::new()
    } else {
        format!(" ({})", markers.join(", "))
    };
    writeln!(
        out,
        "{} {:.2}{markers}",
        paint("politeness:", BOLD, colour),
        review.politeness
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_marked_without_colour_off_a_terminal() {
        let e = Evidence::of("you idiot", 4, 9, "abuse.insult_at_agent");
        assert_eq!(highlighted("you idiot", &[&e], false), "you [[idiot]]");
    }
}
