//! Analysis: a customer's message becomes a [`Reading`].
//!
//! Models give the probabilities (emotions, sentiment, abuse, complaint, irony, politeness,
//! intents); exact rules give what must be exact and carry evidence (facts, fault, threats,
//! insults aimed at the agent, requests for a manager, legal and public threats). The heat
//! combines both. Reading never fails: messy input gives a Reading plus diagnostics.

pub mod input;
pub mod json;
pub mod models;
pub mod reading;
pub mod scores;
mod word_rows;

pub use input::{decode, Diagnostic};
pub use json::write_reading;
pub use models::{Models, READING_MODELS};
pub use reading::{
    read, Abuse, Heat, HeatLevel, Reading, Sentiment, Signal, NO_INTENT, RULES_VERSION,
};
pub use scores::LabelScores;

#[cfg(test)]
mod tests;
