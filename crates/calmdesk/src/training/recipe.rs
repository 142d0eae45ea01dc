//! How each task is trained: model kind, hash buckets and passes over the data.
//!
//! Bucket counts are chosen per task so that every shipped model together stays small (the
//! weights are two bytes each): tasks with many outputs get fewer buckets.

use calmdesk_core::model::train::TrainConfig;
use calmdesk_core::model::ModelKind;

use super::datasets::{TaskData, TaskId, TaskKind};

/// The model kind a task trains.
pub fn kind(task: &TaskData) -> ModelKind {
    match task.kind {
        TaskKind::MultiLabel => ModelKind::MultiLabel,
        TaskKind::MultiClass if task.labels.len() == 2 => ModelKind::Binary,
        TaskKind::MultiClass => ModelKind::MultiClass,
    }
}

/// The training configuration of a task.
pub fn config(id: TaskId) -> TrainConfig {
    let base = TrainConfig::DEFAULT;
    match id {
        TaskId::Emotions => TrainConfig {
            buckets_log2: 16,
            epochs: 5,
            ..base
        },
        TaskId::Intents => TrainConfig {
            buckets_log2: 14,
            epochs: 8,
            ..base
        },
        TaskId::Sentiment | TaskId::TweetEmotion => TrainConfig {
            buckets_log2: 16,
            ..base
        },
        TaskId::EmpathyEr | TaskId::EmpathyIp | TaskId::EmpathyEx => TrainConfig {
            buckets_log2: 16,
            ..base
        },
        _ => TrainConfig {
            buckets_log2: 18,
            ..base
        },
    }
}
