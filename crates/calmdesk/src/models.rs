//! The trained models: embedded in the binary at build time, or read from a folder given
//! with `--models DIR`, with a reading version (the set's fingerprint and the rules version)
//! that says what made a stored Reading.

use std::path::Path;

use anyhow::Context;
use calmdesk_core::analysis::{Models, RULES_VERSION};
use calmdesk_core::model::LinearModel;

include!(concat!(env!("OUT_DIR"), "/embedded_models.rs"));
include!("fingerprint.rs");

/// A set of models and the version of the Readings they make.
#[derive(Debug, Clone)]
pub struct ModelSet {
    pub models: Vec<LinearModel>,
    /// The reading version (see [`reading_version`]).
    pub version: String,
}

/// The version of the Readings that models with this fingerprint make: `m-` and 16 hex digits
/// of a hash over every model's name and bytes, then `.r` and the version of the rules that
/// make a Reading from the models' outputs (`RULES_VERSION`). Stored Readings of another
/// version are read again by `calmdesk reread`.
fn reading_version(fingerprint: String) -> String {
    format!("{fingerprint}.r{RULES_VERSION}")
}

/// The reading version of models read from files: (file stem, bytes).
fn files_version(files: &[(String, Vec<u8>)]) -> String {
    reading_version(fingerprint(
        files.iter().map(|(n, b)| (n.as_str(), b.as_slice())),
    ))
}

impl ModelSet {
    /// The models sorted into the roles a Reading needs.
    pub fn reading_models(&self) -> anyhow::Result<Models> {
        Models::from_models(self.models.clone()).context("these models cannot make a Reading")
    }
}

/// Every embedded model, parsed.
pub fn embedded() -> anyhow::Result<ModelSet> {
    let models = EMBEDDED
        .iter()
        .map(|(name, bytes)| {
            LinearModel::from_bytes(bytes).with_context(|| format!("the embedded model {name}"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(ModelSet {
        models,
        version: reading_version(EMBEDDED_VERSION.to_owned()),
    })
}

/// Every `*.cdm` model in a folder, by file name.
pub fn load_dir(dir: &Path) -> anyhow::Result<ModelSet> {
    let files = read_dir(dir)?;
    let models = files
        .iter()
        .map(|(stem, bytes)| {
            LinearModel::from_bytes(bytes)
                .with_context(|| format!("{}", dir.join(format!("{stem}.cdm")).display()))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let version = files_version(&files);
    Ok(ModelSet { models, version })
}

/// The `*.cdm` files of a folder, sorted by name: (file stem, bytes).
fn read_dir(dir: &Path) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read the models folder {}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "cdm"))
        .collect();
    paths.sort();
    let mut files = Vec::new();
    for path in &paths {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        files.push((stem, bytes));
    }
    Ok(files)
}

/// The models a Reading needs and their reading version, from `dir` when given, else the embedded
/// ones. Faster than [`load`] then [`ModelSet::reading_models`]: the Reading models' weights
/// go from the file bytes straight into their fused table, and the embedded models' table was
/// made when they were embedded, so it is borrowed as it is.
pub fn reading(dir: Option<&Path>) -> anyhow::Result<(Models, String)> {
    let context = "these models cannot make a Reading";
    match dir {
        Some(dir) => {
            let files = read_dir(dir)?;
            let bytes: Vec<(&str, &[u8])> = files
                .iter()
                .map(|(n, b)| (n.as_str(), b.as_slice()))
                .collect();
            let models = Models::from_bytes(&bytes).context(context)?;
            Ok((models, files_version(&files)))
        }
        None => {
            // The table made when the models were embedded, when they could make one.
            let models = match EMBEDDED_TABLE {
                Some(table) => Models::from_bytes_and_table(EMBEDDED, table),
                None => Models::from_bytes(EMBEDDED),
            }
            .context(context)?;
            Ok((models, reading_version(EMBEDDED_VERSION.to_owned())))
        }
    }
}

/// The models to use: those in `dir` when given, else the embedded ones.
pub fn load(dir: Option<&Path>) -> anyhow::Result<ModelSet> {
    match dir {
        Some(dir) => load_dir(dir),
        None => embedded(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reading_models_fused_from_file_bytes_read_as_those_fused_from_parsed_models() {
        let parsed = embedded().unwrap().reading_models().unwrap();
        let (from_bytes, _) = reading(None).unwrap();
        for text in [
            "This is the THIRD time I write: order #A-1234 never arrived!!",
            "thanks, that works for me",
            "you are useless, idiot",
            "",
        ] {
            let (a, b) = (
                calmdesk_core::analysis::read(&parsed, text),
                calmdesk_core::analysis::read(&from_bytes, text),
            );
            assert!((a.heat.score - b.heat.score).abs() < 2e-4, "{text:?}");
            for (x, y) in a
                .emotions
                .probabilities
                .iter()
                .chain(&a.intents.probabilities)
                .zip(
                    b.emotions
                        .probabilities
                        .iter()
                        .chain(&b.intents.probabilities),
                )
            {
                assert!((x - y).abs() < 2e-4, "{text:?}: {x} against {y}");
            }
        }
    }

    #[test]
    fn the_embedded_table_is_the_one_the_embedded_models_make() {
        let made = Models::from_bytes(EMBEDDED).unwrap();
        let table = EMBEDDED_TABLE.expect("the embedded models make a Reading");
        assert_eq!(made.fused_table(), Some(table));
        // A table made for other models is refused, not read.
        let short = &table[..table.len() - 2];
        assert!(Models::from_bytes_and_table(EMBEDDED, short).is_err());
    }

    #[test]
    fn the_embedded_models_make_a_reading_and_have_a_stable_fingerprint() {
        let set = embedded().unwrap();
        assert!(set.reading_models().is_ok());
        assert_eq!(set.version, embedded().unwrap().version);
        let (hash, rules) = set.version.split_once(".r").unwrap();
        assert!(
            hash.starts_with("m-") && hash.len() == 18,
            "{}",
            set.version
        );
        assert_eq!(rules, RULES_VERSION.to_string());
        let (_, version) = reading(None).unwrap();
        assert_eq!(version, set.version);
        // The build computed it; it must be what the bytes give now.
        assert_eq!(hash, fingerprint(EMBEDDED.iter().map(|(n, b)| (*n, *b))));
    }

    /// Messages that reach every rule of the Reading and each step of the heat.
    const RULE_MESSAGES: &[&str] = &[
        "",
        "😡😡😡",
        "cancel order",
        "thanks, that works for me",
        "This is the third time I'm writing, where is my refund?!",
        "This is my second email about order 4471.",
        "I have contacted you guys so many times about this.",
        "I've updated my phone twice, how do I reset it?",
        "You charged me twice for order #A10234 (129.99 USD). This is the 3rd time I have called. \
         You are a useless idiot, let me speak to your manager.",
        "where is my damn parcel? I ordered it two weeks ago",
        "I'll see you in court. My lawyer will hear about this, and so will Twitter.",
        "I know where you live, you will regret this",
        "Great, just great. Another broken blender. WHY IS THIS SO HARD!!!",
        "I ordered the wrong size, can I exchange it? I returned it after 45 days.",
        "The courier left it in the rain and the box arrived damaged; I want a replacement.",
        "I'm switching to Acme, cancel my account. Email me at jo@example.com or +44 20 7946 0958.",
        "<p>Hi&nbsp;there, my order <b>#B-77</b> never arrived since Monday</p>",
        "Your staff member was rude to me and promised a call back that never came.",
        "fuck you",
        "Could you please help me track my order? Thank you so much!",
        "Fix it or I'm leaving for Spotify. Honestly you guys are the worst. Never again.",
        "If this isn't sorted by Friday I'm going to the BBB and posting everywhere.",
        "I ordered a blue sweater (order 55821) and received a red one.",
        "Ordered 3 chairs, only 2 arrived. You charged me 2x 19,99 EUR.",
        "@Shop 4 tweets and no answer. My flight was canceled, I'm still being charged \
         #Halloween2017, see https://t.co/65MJCN35WF or 137.221.83.74",
        "My card got debited RM676.90 and Rs. 200 for booking ref MP79V2 and QMAS91; why is my \
         daughter's gift lost?",
        "System down again, dropped calls all week, my flight to Leeds was delayed and my \
         missing baggage? Put me in touch with someone higher; we will not be renewed with you.",
        "My bad, but CAS-19708536-CB92N2 cost 680$ cdn: they say they'll call back but they never \
         do, I keep getting error messages and my train is running late. Lost this loyal customer",
        "Why the fuck you employ people who don't know their jobs? It was supposed to be my gift, \
         I'm fucking sick and tired of this shit!!! WTF",
        "@AskPlayStation please help, I have a question",
        "I want my money back for the game that never came, and where is my parcel?",
        "I accidentally bought a psp game, and I mistakenly ordered the wrong size too",
        "Star Wars Battlefront 2 Elite Trooper Deluxe Edition Playstation 4",
    ];

    #[test]
    fn the_same_reading_version_always_gives_the_same_readings() {
        let (models, version) = reading(None).unwrap();
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut out = Vec::new();
        for text in RULE_MESSAGES {
            out.clear();
            calmdesk_core::analysis::write_reading(
                &mut out,
                &calmdesk_core::analysis::read(&models, text),
            );
            for &b in &out {
                hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        let line = format!("{version} {hash:016x}");
        let recorded = include_str!("reading_versions.txt")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .find_map(|l| l.split_once(' ').filter(|(v, _)| *v == version));
        match recorded {
            Some((_, readings)) => assert_eq!(
                readings.trim(),
                format!("{hash:016x}"),
                "the Readings of reading version {version} have changed: raise RULES_VERSION \
                 in calmdesk-core's analysis/reading.rs, then add the line the test asks for \
                 to src/reading_versions.txt"
            ),
            None => {
                panic!("reading version {version} is new: add `{line}` to src/reading_versions.txt")
            }
        }
    }
}
