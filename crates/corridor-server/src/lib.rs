//! Corridor over HTTP: `corridor serve` answers the CLI's questions as a
//! JSON API and serves the map page. Only this crate knows HTTP.
//!
//! Every answer is the CLI's bytes for the same question: a handler reads
//! a `corridor_model::query` type from the body, asks
//! `corridor_engine::answer` and writes with `corridor_io::report`, as the
//! command does (`tests/api.rs` compares each endpoint with the CLI's
//! golden outputs). Networks and scenarios are read once at start
//! ([`AppState::load`]); requests name networks and scenarios, never
//! files. [`app`] is the router with its limits (timeout, body size,
//! requests in flight, heavy jobs on the blocking pool), [`serve`] listens
//! until SIGTERM or ctrl-c, [`run`] does both on a runtime of its own for
//! the CLI.

mod api;
mod api_error;
mod assets;
mod catalogue;
mod config;
mod extract;
mod jobs;
mod layers;
mod long_questions;
pub mod openapi;
mod questions;

pub use api_error::ApiError;
pub use catalogue::{AppState, NetworkEntry, Projects, ScenarioFile, network_name};
pub use config::ServeConfig;

use axum::Router;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Why the server could not start or stopped. The cause of a variant with
/// a `source` is its `source()` (print the chain, as the CLI does).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("cannot read network {}", path.display())]
    Read {
        path: PathBuf,
        source: corridor_io::Error,
    },
    #[error("{} has {} error(s):\n{}", path.display(), errors.len(), errors.join("\n"))]
    Invalid { path: PathBuf, errors: Vec<String> },
    #[error("cannot read scenario {}", path.display())]
    Scenario {
        path: PathBuf,
        source: corridor_io::Error,
    },
    #[error("cannot read projects {}", path.display())]
    Projects {
        path: PathBuf,
        source: corridor_io::Error,
    },
    #[error(
        "network \"{network}\": a project's scenario and one of its scenarios are both named \"{scenario}\"; rename one ([scenario] name = ...)"
    )]
    ProjectName { network: String, scenario: String },
    #[error("cannot read the scenario folder {}", path.display())]
    ScenarioFolder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: cannot tell the network's name (its file or folder name)", .0.display())]
    NoName(PathBuf),
    #[error(
        "two networks are named \"{0}\"; a network's name is its file or folder name without extension, so rename one"
    )]
    DuplicateName(String),
    #[error(
        "no NETWORK given and the shipped examples are not in ./examples; run from a Corridor checkout or name the networks to serve"
    )]
    NoExamples,
    #[error("{0}")]
    Engine(corridor_engine::Error),
    #[error("cannot listen on {addr}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the server stopped: {0}")]
    Serve(std::io::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The whole API and the map page, with the limits of `config`.
pub fn app(state: AppState, config: &ServeConfig) -> Router {
    layers::wrap(api::router(state), config)
}

/// Loads the networks, listens on `config.bind:config.port` and answers
/// until SIGTERM or ctrl-c; requests in flight then finish first.
pub async fn serve(config: ServeConfig) -> Result<()> {
    let state = {
        let config = config.clone();
        tokio::task::spawn_blocking(move || AppState::load(&config))
            .await
            .map_err(|e| Error::Serve(std::io::Error::other(e)))??
    };
    let names: Vec<&str> = state.networks().map(|n| n.name()).collect();
    let names = names.join(", ");
    let addr = SocketAddr::new(config.bind, config.port);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| Error::Bind { addr, source })?;
    let local = listener.local_addr().map_err(Error::Serve)?;
    tracing::info!("listening on http://{local} (networks: {names})");
    axum::serve(listener, app(state, &config))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(Error::Serve)?;
    tracing::info!("stopped");
    Ok(())
}

/// [`serve`] on a runtime of its own, with logs to stderr (`RUST_LOG`
/// filters them; default `info`). Heavy jobs still running at shutdown
/// get ten seconds.
pub fn run(config: ServeConfig) -> Result<()> {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Already set (an embedding program's own): keep theirs.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(Error::Serve)?;
    let result = runtime.block_on(serve(config));
    runtime.shutdown_timeout(Duration::from_secs(10));
    result
}

/// Resolves on ctrl-c or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing the requests in flight");
}
