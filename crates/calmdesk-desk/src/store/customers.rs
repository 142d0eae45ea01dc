//! Customers: found by any of their e-mail addresses or handles, created on first contact.

use super::audit::{record, snapshot, Change};
use super::rows::{CustomerRow, CUSTOMER_COLUMNS};
use super::{now, to_cents, to_ms, Store, Tx};
use crate::domain::*;
use crate::error::DeskError;

/// The identities a new customer is known by, normalised: e-mail addresses lowercased.
fn identities(email: Option<&str>, handle: Option<&str>) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(e) = email.map(str::trim).filter(|e| !e.is_empty()) {
        out.push(("email", e.to_lowercase()));
    }
    if let Some(h) = handle.map(str::trim).filter(|h| !h.is_empty()) {
        out.push(("handle", h.to_owned()));
    }
    out
}

async fn customer_by_identity(
    tx: &mut Tx,
    kind: &str,
    value: &str,
) -> Result<Option<Id>, DeskError> {
    Ok(sqlx::query_scalar(
        "SELECT customer_id FROM customer_identities WHERE kind = $1 AND value = $2",
    )
    .bind(kind)
    .bind(value)
    .fetch_optional(&mut **tx)
    .await?)
}

async fn add_identity(
    tx: &mut Tx,
    customer_id: Id,
    kind: &str,
    value: &str,
) -> Result<(), DeskError> {
    sqlx::query(
        "INSERT INTO customer_identities (customer_id, kind, value) VALUES ($1, $2, $3) \
         ON CONFLICT (kind, value) DO NOTHING",
    )
    .bind(customer_id)
    .bind(kind)
    .bind(value)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The customer with one of these identities, or a new one; identities the customer did not
/// have yet are added to them.
pub(crate) async fn find_or_create(
    tx: &mut Tx,
    customer: &NewCustomer,
    actor: &Actor,
) -> Result<Id, DeskError> {
    let known = identities(customer.email.as_deref(), customer.handle.as_deref());
    let mut found = None;
    for (kind, value) in &known {
        if let Some(id) = customer_by_identity(tx, kind, value).await? {
            found = Some(id);
            break;
        }
    }
    let id = match found {
        Some(id) => id,
        None => {
            let at = to_ms(now());
            let id: Id = sqlx::query_scalar(
                "INSERT INTO customers (name, created_at, updated_at) VALUES ($1, $2, $2) \
                 RETURNING id",
            )
            .bind(customer.name.trim())
            .bind(at)
            .fetch_one(&mut **tx)
            .await?;
            record(
                tx,
                actor,
                Change {
                    case_id: None,
                    entity: "customer",
                    entity_id: id,
                    action: "created",
                    before: None,
                    after: Some(serde_json::json!({
                        "name": customer.name.trim(),
                        "email": customer.email,
                        "handle": customer.handle,
                    })),
                },
            )
            .await?;
            id
        }
    };
    for (kind, value) in &known {
        add_identity(tx, id, kind, value).await?;
    }
    Ok(id)
}

async fn load_identities(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    customer_id: Id,
) -> Result<Vec<(String, String)>, DeskError> {
    Ok(sqlx::query_as(
        "SELECT kind, value FROM customer_identities WHERE customer_id = $1 ORDER BY id",
    )
    .bind(customer_id)
    .fetch_all(executor)
    .await?)
}

pub(crate) async fn load(tx: &mut Tx, id: Id) -> Result<Customer, DeskError> {
    let row: Option<CustomerRow> = sqlx::query_as(&format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let row = row.ok_or(DeskError::not_found("customer", id))?;
    let identities = load_identities(&mut **tx, id).await?;
    Ok(row.into_customer(identities))
}

impl Store {
    /// One customer with their identities.
    pub async fn get_customer(&self, id: Id) -> Result<Customer, DeskError> {
        let row: Option<CustomerRow> = sqlx::query_as(&format!(
            "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(self.reader())
        .await?;
        let row = row.ok_or(DeskError::not_found("customer", id))?;
        let identities = load_identities(self.reader(), id).await?;
        Ok(row.into_customer(identities))
    }

    /// Customers, newest first, a page at a time.
    pub async fn list_customers(
        &self,
        before_id: Option<Id>,
        limit: i64,
    ) -> Result<Page<Customer>, DeskError> {
        let rows: Vec<CustomerRow> = sqlx::query_as(&format!(
            "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id < $1 ORDER BY id DESC LIMIT $2"
        ))
        .bind(before_id.unwrap_or(i64::MAX))
        .bind(limit + 1)
        .fetch_all(self.reader())
        .await?;
        let more = rows.len() as i64 > limit;
        let mut items = Vec::new();
        for row in rows.into_iter().take(limit as usize) {
            let identities = load_identities(self.reader(), row.id).await?;
            items.push(row.into_customer(identities));
        }
        let next_cursor = more
            .then(|| items.last().map(|c| c.id.to_string()))
            .flatten();
        Ok(Page { items, next_cursor })
    }

    /// Changes a customer's name or value fields, or adds an identity.
    pub async fn update_customer(
        &self,
        id: Id,
        changes: &CustomerChanges,
        actor: &Actor,
    ) -> Result<Customer, DeskError> {
        changes.validate()?;
        let mut tx = self.begin().await?;
        let before = load(&mut tx, id).await?;
        for (kind, value) in identities(changes.email.as_deref(), changes.handle.as_deref()) {
            match customer_by_identity(&mut tx, kind, &value).await? {
                Some(owner) if owner != id => {
                    return Err(DeskError::conflict(
                        kind,
                        format!("{value} belongs to customer {owner}"),
                    ))
                }
                _ => add_identity(&mut tx, id, kind, &value).await?,
            }
        }
        sqlx::query(
            "UPDATE customers SET name = $1, tier = $2, lifetime_value_cents = $3, orders = $4, \
             customer_since = $5, updated_at = $6 WHERE id = $7",
        )
        .bind(
            changes
                .name
                .as_deref()
                .map(str::trim)
                .unwrap_or(&before.name),
        )
        .bind(changes.tier.clone().or(before.tier.clone()))
        .bind(to_cents(changes.lifetime_value.or(before.lifetime_value)))
        .bind(changes.orders.or(before.orders))
        .bind(changes.customer_since.or(before.customer_since).map(to_ms))
        .bind(to_ms(now()))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let after = load(&mut tx, id).await?;
        record(
            &mut tx,
            actor,
            Change {
                case_id: None,
                entity: "customer",
                entity_id: id,
                action: "updated",
                before: snapshot(&before),
                after: snapshot(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}

#[cfg(test)]
mod tests {
    use super::identities;

    #[test]
    fn emails_are_lowercased_and_blank_identities_dropped() {
        assert_eq!(
            identities(Some(" Ana@Example.COM "), Some("")),
            vec![("email", "ana@example.com".to_owned())]
        );
    }
}
