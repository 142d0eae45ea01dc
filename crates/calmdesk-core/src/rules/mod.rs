//! Exact rules: the part of reading a customer's message that hand-written rules can do reliably.

pub mod words;

#[cfg(test)]
mod testing;
