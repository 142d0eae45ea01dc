//! Bulk seeding for benchmarks: many cases quickly, without the per-change audit entries that
//! the normal write path records. Never used by the API.

use super::{now, to_ms, Store};
use crate::domain::{CaseStatus, Id};
use crate::error::DeskError;

/// Rows per INSERT statement.
const ROWS_PER_STATEMENT: usize = 100;

impl Store {
    /// Adds `count` cases spread over `customers` new customers and the given assignees, with
    /// statuses in rotation and one case in twenty escalated. For benchmarks only.
    pub async fn seed_cases(
        &self,
        count: usize,
        customers: usize,
        assignees: &[Id],
    ) -> Result<(), DeskError> {
        let at = to_ms(now());
        let mut tx = self.begin().await?;
        let first_customer: Id = sqlx::query_scalar(
            "INSERT INTO customers (name, created_at, updated_at) VALUES ('seed 0', $1, $1) \
             RETURNING id",
        )
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        for chunk in (1..customers)
            .collect::<Vec<_>>()
            .chunks(ROWS_PER_STATEMENT)
        {
            let values: Vec<String> = chunk
                .iter()
                .map(|i| format!("('seed {i}', {at}, {at})"))
                .collect();
            sqlx::query(&format!(
                "INSERT INTO customers (name, created_at, updated_at) VALUES {}",
                values.join(", ")
            ))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        let statuses = CaseStatus::ALL;
        let indices: Vec<usize> = (0..count).collect();
        for batch in indices.chunks(10 * ROWS_PER_STATEMENT) {
            let mut tx = self.begin().await?;
            for chunk in batch.chunks(ROWS_PER_STATEMENT) {
                let values: Vec<String> = chunk
                    .iter()
                    .map(|&i| {
                        let customer = first_customer + (i % customers.max(1)) as Id;
                        let status = statuses[i % statuses.len()].as_str();
                        let assignee = if assignees.is_empty() {
                            "NULL".to_owned()
                        } else {
                            assignees[i % assignees.len()].to_string()
                        };
                        let escalated = if i % 20 == 0 {
                            at.to_string()
                        } else {
                            "NULL".into()
                        };
                        format!(
                            "({customer}, 'seeded case {i}', '{status}', 'email', {assignee}, \
                             'normal', {escalated}, {at}, {at})"
                        )
                    })
                    .collect();
                sqlx::query(&format!(
                    "INSERT INTO cases (customer_id, subject, status, channel, assignee_id, \
                     priority, escalated_at, opened_at, updated_at) VALUES {}",
                    values.join(", ")
                ))
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        }
        sqlx::query("ANALYZE").execute(&self.write).await?;
        Ok(())
    }
}
