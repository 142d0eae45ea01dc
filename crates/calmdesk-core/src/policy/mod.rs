//! A company's return and refund policy as data: facts in, ranked options out.
//!
//! - `facts`: what the desk knows about a case, and the small date reader.
//! - `model`: the TOML policy file as types.
//! - `load`: reading a policy file with errors that name their line, and running its examples.
//! - `evaluate`: applying a policy to facts, with options, questions and a trace.

pub mod evaluate;
pub mod facts;
pub mod load;
pub mod model;

pub use evaluate::{evaluate, Outcome, PolicyOption, TraceStep};
pub use facts::{Agent, Customer, Day, Facts, OptionKind, Order, Reason, Role};
pub use load::{parse, run_examples, ExampleResult, PolicyError};
pub use model::Policy;

#[cfg(test)]
mod tests;
