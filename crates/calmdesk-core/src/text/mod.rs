//! Text as the models see it: hashed word and character n-grams.

pub mod cues;
pub mod features;
pub mod negation;
pub mod strategies;
pub mod valence;
