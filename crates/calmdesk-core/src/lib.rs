//! The pure logic of calmdesk: reading a customer's message, coaching a reply, planning a case,
//! applying a company's policy, and simulating difficult customers.
//!
//! A key design decision: this crate does no IO. It takes text, rules and the current time as
//! arguments and returns values, so the same input always gives the same output and every part
//! can be tested and benchmarked without a database, a network or a clock. It has no async
//! code and depends on no database or HTTP crate; the desk stores what it returns and the
//! server and command line show it.
//!
//! The record of cases (the desk) comes first; the analysis, coach, playbook, policy and
//! simulator modules are built here on top of it.
