//! Training and evaluation of the models calmdesk ships.
//!
//! `datasets` reads the public labelled data into tasks with fixed validation splits,
//! `recipe` says how each task is trained, `blending` blends a model with the others' outputs, `evaluate` scores a model by its data set's own
//! metric, `card` writes the model cards and `tune` cross-validates training settings on the
//! train split. `teacher`
//! holds the sentiment teacher's labels for tweets of the other data sets.

pub mod blending;
pub mod card;
pub mod datasets;
pub mod evaluate;
pub mod recipe;
pub mod teacher;
pub mod tune;
