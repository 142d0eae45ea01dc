//! Training and evaluation of the models calmdesk ships.
//!
//! `datasets` reads the public labelled data into tasks with fixed validation splits,
//! `recipe` says how each task is trained, `blending` blends a model with the others' outputs, `second_stage` fits and folds a stage over the sentiment model's outputs on its own task's rows, `evaluate` scores a model by its data set's own
//! metric, `heat_check` measures the hand-set heat against labelled stand-ins, `intent_check` the intents on messages unlike Bitext's, `card` writes the model cards and `tune` cross-validates training settings on the
//! train split. `teacher`
//! holds the sentiment teacher's labels for tweets of the other data sets.

pub mod blending;
pub mod card;
pub mod datasets;
pub mod evaluate;
pub mod heat_check;
pub mod intent_check;
pub mod recipe;
pub mod second_stage;
pub mod teacher;
pub mod tune;
