//! `corridor serve [NETWORK...]`: the HTTP API and the map page
//! (`corridor-server`). This file only turns flags into a
//! `corridor_server::ServeConfig`; loading, listening and shutting down
//! are the server crate's.

use anyhow::Result;
use corridor_server::ServeConfig;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Networks to serve (`.toml` files, CSV bundle folders, TNTP
    /// `_net.tntp` files, compiled `.corridor` files), each named by its
    /// file or folder name without extension. None: the shipped examples `triangle` and
    /// `grain-corridors`. A folder's `scenarios/*.toml` are its scenarios.
    pub networks: Vec<PathBuf>,
    /// Address to listen on (loopback by default: the API has no
    /// authentication).
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Port to listen on (0: any free port, printed at start).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// A folder of scenario `.toml` files for every network (repeatable).
    #[arg(long)]
    pub scenarios: Vec<PathBuf>,
    /// Let pages from this origin (e.g. `http://localhost:3000`) call the
    /// API; without it browsers allow only the server's own page.
    #[arg(long)]
    pub cors: Option<String>,
    /// Seconds a request may take before it is answered 504.
    #[arg(long, default_value_t = 60)]
    pub timeout: u64,
    /// Requests in flight at once; more are answered 503 at once.
    #[arg(long, default_value_t = 256)]
    pub concurrency: usize,
    /// Largest request body, in bytes.
    #[arg(long, default_value_t = 1 << 20)]
    pub body_limit: usize,
    /// Most iterations an assignment request may ask for.
    #[arg(long, default_value_t = 10_000)]
    pub max_assign_iterations: usize,
    /// Long questions (criticality, sweep, invest) running at once; more
    /// wait in a queue.
    #[arg(long, default_value_t = 2)]
    pub jobs: usize,
    /// Jobs held at once, finished or not: the oldest finished one makes
    /// room for a new one; when none has finished, new ones are refused.
    #[arg(long, default_value_t = 100)]
    pub jobs_kept: usize,
    /// Seconds a finished job's answer is kept.
    #[arg(long, default_value_t = 3600)]
    pub job_ttl: u64,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let config = ServeConfig {
        networks: args.networks,
        scenarios: args.scenarios,
        bind: args.bind,
        port: args.port,
        cors: args.cors,
        timeout: Duration::from_secs(args.timeout.max(1)),
        concurrency: args.concurrency.max(1),
        body_limit: args.body_limit,
        max_assign_iterations: args.max_assign_iterations,
        jobs: args.jobs.max(1),
        jobs_kept: args.jobs_kept.max(1),
        job_ttl: Duration::from_secs(args.job_ttl),
        ..ServeConfig::default()
    };
    corridor_server::run(config)?;
    Ok(ExitCode::SUCCESS)
}
