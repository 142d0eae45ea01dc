//! Integration tests: the real server on 127.0.0.1:0 over a fresh database of each engine,
//! and the real binary for the command line, crash and multi-instance tests.

mod auth;
mod cli;
mod coach_guardrail;
mod coach_policy;
mod durability;
mod escalation;
mod helpers;
mod instances;
mod lifecycle;
mod malformed;
mod reading;
