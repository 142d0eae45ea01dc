//! The calmdesk HTTP server: the JSON API under `/api/v1`, its OpenAPI document, token
//! authentication, and the background job that queues due follow-ups.
//!
//! Handlers are thin: they extract and check the request (see `extract`), call the desk, and map
//! the result; the one error shape lives in `error`. [`app`] builds the whole router so tests
//! and the binary serve exactly the same thing.

pub mod error;
pub mod extract;
pub mod jobs;
mod reading;
mod routes;

use std::future::Future;

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

/// What every handler can reach.
#[derive(Debug, Clone)]
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
