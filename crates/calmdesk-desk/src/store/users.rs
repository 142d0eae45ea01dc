//! Users and their API tokens. Tokens are random, shown once, and stored only as SHA-256
//! hashes, so a copy of the database does not let anyone sign in.

use rand::RngCore;
use sha2::{Digest, Sha256};

use super::audit::{record, snapshot, Change};
use super::rows::{UserRow, USER_COLUMNS};
use super::timeline::is_unique_violation;
use super::{now, to_ms, Store, Tx};
use crate::domain::*;
use crate::error::DeskError;

/// A user together with a token just made for them; the token is not stored and cannot be
/// shown again.
#[derive(Debug, Clone)]
pub struct NewToken {
    pub user: User,
    pub token: String,
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("cdk_{}", hex::encode(bytes))
}

fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

async fn load(tx: &mut Tx, id: Id) -> Result<User, DeskError> {
    let row: Option<UserRow> =
        sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    row.map(User::from).ok_or(DeskError::not_found("user", id))
}

async fn insert_token(tx: &mut Tx, user_id: Id) -> Result<String, DeskError> {
    let token = new_token();
    sqlx::query("INSERT INTO api_tokens (user_id, token_hash, created_at) VALUES ($1, $2, $3)")
        .bind(user_id)
        .bind(hash_token(&token))
        .bind(to_ms(now()))
        .execute(&mut **tx)
        .await?;
    Ok(token)
}

impl Store {
    /// Creates a user and a first API token for them.
    pub async fn add_user(
        &self,
        name: &str,
        role: Role,
        actor: &Actor,
    ) -> Result<NewToken, DeskError> {
        check_user_name(name)?;
        let mut tx = self.begin().await?;
        let id: Id = sqlx::query_scalar(
            "INSERT INTO users (name, role, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(name)
        .bind(role.as_str())
        .bind(to_ms(now()))
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                DeskError::conflict("name", format!("a user named {name} exists already"))
            } else {
                e.into()
            }
        })?;
        let token = insert_token(&mut tx, id).await?;
        let user = load(&mut tx, id).await?;
        record(
            &mut tx,
            actor,
            Change {
                case_id: None,
                entity: "user",
                entity_id: id,
                action: "created",
                before: None,
                after: snapshot(&user),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(NewToken { user, token })
    }

    /// Makes another token for an existing user; earlier tokens keep working.
    pub async fn issue_token(&self, user_id: Id, actor: &Actor) -> Result<NewToken, DeskError> {
        let mut tx = self.begin().await?;
        let user = load(&mut tx, user_id).await?;
        let token = insert_token(&mut tx, user_id).await?;
        record(
            &mut tx,
            actor,
            Change {
                case_id: None,
                entity: "user",
                entity_id: user_id,
                action: "token_issued",
                before: None,
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(NewToken { user, token })
    }

    /// The enabled user a token belongs to, if any.
    pub async fn authenticate(&self, token: &str) -> Result<Option<User>, DeskError> {
        let row: Option<UserRow> = sqlx::query_as(&format!(
            "SELECT {} FROM users JOIN api_tokens t ON t.user_id = users.id \
             WHERE t.token_hash = $1 AND users.disabled_at IS NULL",
            USER_COLUMNS
                .split(", ")
                .map(|c| format!("users.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .bind(hash_token(token))
        .fetch_optional(self.reader())
        .await?;
        Ok(row.map(User::from))
    }

    /// Every user, by id.
    pub async fn list_users(&self) -> Result<Vec<User>, DeskError> {
        let rows: Vec<UserRow> =
            sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY id"))
                .fetch_all(self.reader())
                .await?;
        Ok(rows.into_iter().map(User::from).collect())
    }

    /// One user by id.
    pub async fn get_user(&self, id: Id) -> Result<User, DeskError> {
        let row: Option<UserRow> =
            sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
                .bind(id)
                .fetch_optional(self.reader())
                .await?;
        row.map(User::from).ok_or(DeskError::not_found("user", id))
    }

    /// One user by name.
    pub async fn find_user(&self, name: &str) -> Result<Option<User>, DeskError> {
        let row: Option<UserRow> =
            sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE name = $1"))
                .bind(name)
                .fetch_optional(self.reader())
                .await?;
        Ok(row.map(User::from))
    }

    /// Changes a user's role.
    pub async fn set_role(&self, id: Id, role: Role, actor: &Actor) -> Result<User, DeskError> {
        let mut tx = self.begin().await?;
        let before = load(&mut tx, id).await?;
        sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
            .bind(role.as_str())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let after = load(&mut tx, id).await?;
        record(
            &mut tx,
            actor,
            Change {
                case_id: None,
                entity: "user",
                entity_id: id,
                action: "role_changed",
                before: snapshot(&before),
                after: snapshot(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Disables a user and revokes their tokens. The user stays in the record, so their name
    /// remains on what they wrote.
    pub async fn disable_user(&self, id: Id, actor: &Actor) -> Result<User, DeskError> {
        let mut tx = self.begin().await?;
        let before = load(&mut tx, id).await?;
        sqlx::query("UPDATE users SET disabled_at = $1 WHERE id = $2 AND disabled_at IS NULL")
            .bind(to_ms(now()))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM api_tokens WHERE user_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let after = load(&mut tx, id).await?;
        record(
            &mut tx,
            actor,
            Change {
                case_id: None,
                entity: "user",
                entity_id: id,
                action: "disabled",
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
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 4 + 64);
        assert_eq!(hash_token(&a).len(), 64);
        assert_ne!(hash_token(&a), a);
    }
}
