//! The calmdesk HTTP server: the JSON API under `/api/v1`, its OpenAPI document, token
//! authentication, and the background job that queues due follow-ups.
//!
//! Handlers are thin: they extract and check the request (see `extract`), call the desk, and map
//! the result; the one error shape lives in `error`. [`app`] builds the whole router so tests
//! and the binary serve exactly the same thing.

pub mod error;
pub mod escalation;
pub mod extract;
pub mod jobs;
mod reading;
mod routes;

use std::future::Future;
use std::sync::RwLock;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use std::sync::Arc;

use calmdesk_core::analysis::Models;
use calmdesk_core::coach::Pack;
use calmdesk_core::policy::Policy;
use calmdesk_desk::Store;
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

pub use routes::openapi;

/// The largest request body the API reads, in bytes.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// The company policy and the coach's rule packs, which a reload replaces together.
#[derive(Debug, Clone)]
pub struct Rules {
    pub policy: Arc<Policy>,
    pub packs: Arc<Vec<Pack>>,
}

/// Why a reload was refused: which of the two (`policy` or `packs`) and `file:line: reason`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReloadError {
    pub field: &'static str,
    pub message: String,
}

/// Reads the policy and the packs again from where they came from (files, or the built-in
/// default); supplied by the binary, which knows the paths.
pub type Reloader = Arc<dyn Fn() -> Result<Rules, ReloadError> + Send + Sync>;

/// What every handler can reach.
///
/// `packs` and `policy` are the ones in force when the state was cloned: axum clones the state
/// for every request, and a clone takes the rules in force at that moment, so a request uses
/// one policy and one set of packs from start to end, and a reload applies to the next request.
pub struct AppState {
    pub store: Store,
    /// The models that read customer messages.
    pub models: Arc<Models>,
    /// The fingerprint of those models, stored with every Reading.
    pub models_version: Arc<str>,
    /// Company rule packs the coach applies after its default pack.
    pub packs: Arc<Vec<Pack>>,
    /// The company policy plans are made under.
    pub policy: Arc<Policy>,
    live: Arc<RwLock<Rules>>,
    reloader: Option<Reloader>,
}

impl AppState {
    /// The state of a server without a way to reload its rules.
    pub fn new(
        store: Store,
        models: Arc<Models>,
        models_version: Arc<str>,
        packs: Arc<Vec<Pack>>,
        policy: Arc<Policy>,
    ) -> AppState {
        let live = Arc::new(RwLock::new(Rules {
            policy: policy.clone(),
            packs: packs.clone(),
        }));
        AppState {
            store,
            models,
            models_version,
            packs,
            policy,
            live,
            reloader: None,
        }
    }

    /// Lets `POST /api/v1/admin/reload` (and [`AppState::reload`]) read the rules again.
    pub fn with_reloader(mut self, reloader: Reloader) -> AppState {
        self.reloader = Some(reloader);
        self
    }

    /// The rules in force now.
    pub fn rules(&self) -> Rules {
        self.live
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Reads the policy and packs again. Both are parsed before either replaces what is in
    /// force: on any error the rules in force stay, and the error names the file, line and
    /// reason. `None` when this state has no reloader.
    pub fn reload(&self) -> Option<Result<Rules, ReloadError>> {
        let reloader = self.reloader.as_ref()?;
        let result = reloader();
        match &result {
            Ok(rules) => {
                *self
                    .live
                    .write()
                    .unwrap_or_else(|poisoned| poisoned.into_inner()) = rules.clone();
                tracing::info!(
                    policy = %rules.policy.policy.name,
                    version = %rules.policy.policy.version,
                    packs = rules.packs.len(),
                    "reloaded the policy and rule packs"
                );
            }
            Err(error) => tracing::error!(
                field = error.field,
                error = %error.message,
                "reload refused; the policy and rule packs in force stay"
            ),
        }
        Some(result)
    }
}

impl Clone for AppState {
    /// A clone takes the rules in force now (see [`AppState`]).
    fn clone(&self) -> AppState {
        let rules = self.rules();
        AppState {
            store: self.store.clone(),
            models: self.models.clone(),
            models_version: self.models_version.clone(),
            packs: rules.packs,
            policy: rules.policy,
            live: self.live.clone(),
            reloader: self.reloader.clone(),
        }
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("store", &self.store)
            .field("models_version", &self.models_version)
            .field("policy", &self.policy.policy.name)
            .field("packs", &self.packs.len())
            .field("reloads", &self.reloader.is_some())
            .finish_non_exhaustive()
    }
}

/// The whole HTTP application.
pub fn app(state: AppState) -> Router {
    routes::router(state)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(TraceLayer::new_for_http())
}

/// Serves the application on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await
}
