//! `calmdesk serve`: the HTTP server with its background jobs.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use calmdesk_desk::domain::{Actor, Role};
use calmdesk_server::{AppState, ReloadError, Reloader, Rules};
use tokio::net::TcpListener;

use crate::cli::ServeArgs;
use crate::config::Config;

/// The user `--demo` signs in as.
pub const DEMO_ADMIN: &str = "demo-admin";

pub async fn run(config: &Config, args: ServeArgs) -> anyhow::Result<()> {
    let (models, version) = crate::models::reading(args.models.as_deref())?;
    let models = Arc::new(models);
    // A broken pack or policy stops the server before it listens, never after.
    let packs = Arc::new(crate::packs::load(args.packs.as_deref())?);
    let policy = Arc::new(super::plan::policy(args.policy.as_deref())?);
    let store = config.open_store().await?;
    let addr = args.addr.unwrap_or_else(|| config.addr.clone());
    let listener = TcpListener::bind(&addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let local = listener.local_addr()?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "calmdesk listening on http://{local}")?;
    if args.demo {
        let summary = crate::demo::load_demo(&store).await?;
        super::reread::reread_all(&store, &models, &version).await?;
        let actor = Actor::system("demo");
        let token = match store.find_user(DEMO_ADMIN).await? {
            Some(user) => store.issue_token(user.id, &actor).await?,
            None => store.add_user(DEMO_ADMIN, Role::Admin, &actor).await?,
        };
        writeln!(
            out,
            "demo: {} cases loaded ({} were there already)",
            summary.cases_created, summary.cases_existing
        )?;
        writeln!(
            out,
            "try: curl -H 'Authorization: Bearer {}' http://{local}/api/v1/cases",
            token.token
        )?;
        writeln!(out, "demo admin token: {}", token.token)?;
    }
    out.flush()?;
    drop(out);
    let instance = args
        .instance
        .unwrap_or_else(|| format!("calmdesk-{}", std::process::id()));
    let interval = args.job_interval.unwrap_or(config.job_interval_secs);
    if !(interval.is_finite() && interval > 0.0) {
        anyhow::bail!("--job-interval must be a positive number of seconds");
    }
    let jobs = tokio::spawn(calmdesk_server::jobs::follow_up_loop(
        store.clone(),
        instance,
        Duration::from_secs_f64(interval),
    ));
    let state = AppState::new(store.clone(), models, version.into(), packs, policy)
        .with_reloader(reloader(args.policy.clone(), args.packs.clone()));
    let overdue = tokio::spawn(calmdesk_server::jobs::overdue_promise_loop(
        state.clone(),
        Duration::from_secs_f64(interval),
    ));
    let hangup = tokio::spawn(reload_on_hangup(state.clone()));
    calmdesk_server::serve(listener, state, shutdown_signal()).await?;
    hangup.abort();
    overdue.abort();
    jobs.abort();
    store.close().await;
    Ok(())
}

/// What reads the policy (the file, or the shipped default) and the rule packs (the folder,
/// or none) again for a reload: both are parsed before either replaces what is in force.
pub fn reloader(policy: Option<PathBuf>, packs: Option<PathBuf>) -> Reloader {
    Arc::new(move || {
        let policy = super::plan::policy(policy.as_deref()).map_err(|e| ReloadError {
            field: "policy",
            message: format!("{e:#}"),
        })?;
        let packs = crate::packs::load(packs.as_deref()).map_err(|e| ReloadError {
            field: "packs",
            message: format!("{e:#}"),
        })?;
        Ok(Rules {
            policy: Arc::new(policy),
            packs: Arc::new(packs),
        })
    })
}

/// Reads the policy and rule packs again on every SIGHUP; a broken file is logged with its
/// file, line and reason, and the rules in force stay.
async fn reload_on_hangup(state: AppState) {
    #[cfg(unix)]
    {
        let Ok(mut hangup) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
        else {
            return;
        };
        while hangup.recv().await.is_some() {
            let state = state.clone();
            let _ = tokio::task::spawn_blocking(move || state.reload()).await;
        }
    }
    #[cfg(not(unix))]
    let _ = state;
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
