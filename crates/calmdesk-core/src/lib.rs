//! The pure logic of calmdesk: reading a customer's message, coaching a reply, planning a case,
//! applying a company's policy, and simulating difficult customers.
//!
//! A key design decision: this crate does no IO. It takes text, rules, model bytes and the
//! current time as arguments and returns values, so the same input always gives the same output
//! and every part can be tested and benchmarked without a database, a network or a clock. It has
//! no async code and depends on no database or HTTP crate; the desk stores what it returns and
//! the server and command line show it.
//!
//! - `span`: evidence as byte spans into the original text.
//! - `rules`: exact phrase rules (facts, fault, abuse, threats, manager requests).
//! - `text`: hashed word and character n-grams, the models' view of text.
//! - `model`: compact linear models: inference, the file format, training and metrics.
//! - `analysis`: a customer's message becomes a Reading, from the models and the rules.
//! - `policy`: a company's return and refund policy as decision tables: facts in, options out.
//! - `coach`: an agent's draft reply becomes a Review, by the default pack and company packs.
//! - `playbook`: a case becomes a Plan: its stage, next steps, wording, options, escalation.

pub mod analysis;
pub mod coach;
pub mod model;
pub mod playbook;
pub mod policy;
pub mod rules;
pub mod span;
pub mod text;

#[cfg(test)]
mod testing;
