//! `upkeep serve`: the pages, a JSON API, badges and Prometheus metrics, from the store.

use crate::settings::{ConfigArgs, StoreArgs};
use anyhow::Context;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use upkeep_server::{State, router};

/// Serve the store's projects over HTTP: the report pages (`/`,
/// `/projects/NAME/`), the JSON contracts (`/api/v1/projects`,
/// `/api/v1/projects/NAME/report?since=&until=`, `…/contributions`), SVG
/// badges and shields.io endpoints (`/badge/NAME/bus-factor.svg`, `.json`) and
/// Prometheus metrics (`/metrics`).
///
/// It only reads: mine with `upkeep mine` (or a scheduled job) beside it. The
/// projects are upkeep.toml's [[projects]], or every mined repository.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The address to listen on; only this machine by default.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDRESS:PORT")]
    bind: SocketAddr,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    config: ConfigArgs,
}

/// Serves until interrupted (Ctrl-C or SIGTERM), then finishes the requests under way.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let db = args.store.location()?;
    if let upkeep_store::Location::File(path) = &db
        && !path.exists()
    {
        anyhow::bail!(
            "{} does not exist: mine something first (`upkeep mine REPOSITORY`)",
            path.display()
        );
    }
    let state = Arc::new(State::new(db, args.config.load()?)?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.bind)
            .await
            .with_context(|| format!("cannot listen on {}", args.bind))?;
        eprintln!(
            "serving {} project(s) on http://{} (Ctrl-C to stop)",
            state.projects.len(),
            listener.local_addr()?
        );
        axum::serve(listener, router(state))
            .with_graceful_shutdown(shutdown())
            .await
            .context("the server stopped")
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown() {
    let terminate = async {
        #[cfg(unix)]
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate => {}
    }
}
