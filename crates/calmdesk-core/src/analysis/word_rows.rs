//! Each word's share of the fused table, remembered per thread.
//!
//! A word stands for its unigram and its character n-grams: about a dozen rows of the fused
//! table for a six-letter word. Their weighted sum depends on the word alone (see
//! `text::features::visit`), so the Reading sums them the first time a thread meets the word
//! and reuses the sum for as long as the same models are in use. Messages share most of their
//! words, so a word usually costs one lookup in memory the processor already holds, instead of
//! a dozen rows of a table too large for its caches. What is remembered never changes a result:
//! a sum is the same whether it was just made or made earlier.

use std::cell::RefCell;

/// Words remembered per thread; when full, the memory is emptied and fills again.
const CAPACITY: usize = 1 << 15;

/// Slots of the open-addressing index: twice the capacity, so probes stay short.
const SLOTS: usize = CAPACITY * 2;

/// The most bytes of word text remembered per thread, so a message of endless made-up words
/// cannot grow the memory without bound.
const TEXT_LIMIT: usize = 1 << 20;

/// Remembered rows, each `width` sums long, for the models numbered `owner`.
#[derive(Debug, Default)]
pub(crate) struct WordRows {
    owner: u64,
    width: usize,
    /// 0 for an empty slot, else an entry's index + 1.
    slots: Vec<u32>,
    /// Each entry's hash and where its word lies in `text`.
    keys: Vec<(u32, u32, u32)>,
    text: String,
    rows: Vec<f32>,
}

impl WordRows {
    fn reset(&mut self, owner: u64, width: usize) {
        self.owner = owner;
        self.width = width;
        self.slots.clear();
        self.slots.resize(SLOTS, 0);
        self.keys.clear();
        self.text.clear();
        self.rows.clear();
    }

    /// The row of `word` (whose well-mixed hash is `hash`) for the models numbered `owner`,
    /// made by `fill` (given a row of zeros) the first time it is asked for.
    pub(crate) fn row(
        &mut self,
        owner: u64,
        width: usize,
        word: &str,
        hash: u32,
        fill: impl FnOnce(&mut [f32]),
    ) -> &[f32] {
        if self.owner != owner || self.width != width || self.slots.is_empty() {
            self.reset(owner, width);
        }
        let mask = SLOTS - 1;
        let mut slot = hash as usize & mask;
        while let Some(entry) = self.slots[slot].checked_sub(1) {
            let (h, start, len) = self.keys[entry as usize];
            if h == hash && &self.text[start as usize..(start + len) as usize] == word {
                let at = entry as usize * width;
                return &self.rows[at..at + width];
            }
            slot = (slot + 1) & mask;
        }
        if self.keys.len() == CAPACITY || self.text.len() + word.len() > TEXT_LIMIT {
            self.reset(owner, width);
            slot = hash as usize & mask;
        }
        let entry = self.keys.len();
        let fits = word.len() <= TEXT_LIMIT;
        let (start, len) = if fits {
            let start = self.text.len();
            self.text.push_str(word);
            (start as u32, word.len() as u32)
        } else {
            // Too long to remember: made every time, under a key no word matches.
            (0, u32::MAX)
        };
        self.keys.push((hash, start, len));
        let at = entry * width;
        self.rows.resize(at + width, 0.0);
        fill(&mut self.rows[at..at + width]);
        if fits {
            self.slots[slot] = entry as u32 + 1;
        }
        &self.rows[at..at + width]
    }
}

thread_local! {
    static WORD_ROWS: RefCell<WordRows> = RefCell::default();
}

/// Runs `f` with this thread's remembered rows (or with empty ones, when they are in use
/// further up the stack).
pub(crate) fn with<R>(f: impl FnOnce(&mut WordRows) -> R) -> R {
    WORD_ROWS.with(|rows| match rows.try_borrow_mut() {
        Ok(mut rows) => f(&mut rows),
        Err(_) => f(&mut WordRows::default()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill_with(value: f32) -> impl FnOnce(&mut [f32]) {
        move |row: &mut [f32]| row.fill(value)
    }

    #[test]
    fn a_row_is_made_once_and_found_again() {
        let mut rows = WordRows::default();
        assert_eq!(rows.row(1, 2, "late", 7, fill_with(1.0)), [1.0, 1.0]);
        // Found: the second fill is not called.
        assert_eq!(rows.row(1, 2, "late", 7, fill_with(2.0)), [1.0, 1.0]);
        // Same hash, other word: its own row.
        assert_eq!(rows.row(1, 2, "lost", 7, fill_with(3.0)), [3.0, 3.0]);
        assert_eq!(rows.row(1, 2, "late", 7, fill_with(4.0)), [1.0, 1.0]);
        // Other models: everything is made again.
        assert_eq!(rows.row(2, 2, "late", 7, fill_with(5.0)), [5.0, 5.0]);
    }

    #[test]
    fn a_full_memory_starts_again_and_stays_correct() {
        let mut rows = WordRows::default();
        for i in 0..CAPACITY + 10 {
            let word = format!("w{i}");
            let value = i as f32;
            assert_eq!(rows.row(1, 1, &word, i as u32, fill_with(value)), [value]);
        }
        assert!(rows.keys.len() <= CAPACITY);
        assert_eq!(rows.row(1, 1, "w3", 3, fill_with(-1.0)), [-1.0]);
        let long = "a".repeat(TEXT_LIMIT + 1);
        assert_eq!(rows.row(1, 1, &long, 9, fill_with(8.0)), [8.0]);
        assert_eq!(rows.row(1, 1, &long, 9, fill_with(9.0)), [9.0]);
    }
}
