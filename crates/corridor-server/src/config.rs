//! What `corridor serve` is told: which networks and scenario folders to
//! load, where to listen, and the limits that keep one client from taking
//! the server down (request timeout, body size, requests in flight, heavy
//! jobs at once, assignment iterations, long questions at once and how
//! long their answers are kept). The CLI fills it from flags; tests and
//! embedders build it in code.

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::time::Duration;

/// The knobs of the server. `Default` is what `corridor serve` with no
/// flags uses.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    /// Network files or folders; empty serves the shipped examples
    /// (`triangle` and `grain-corridors`, with its scenarios).
    pub networks: Vec<PathBuf>,
    /// Folders whose `*.toml` files are scenarios of every network (on top
    /// of a network folder's own `scenarios/`).
    pub scenarios: Vec<PathBuf>,
    /// Loopback unless told otherwise: the server has no authentication.
    pub bind: IpAddr,
    /// 0 lets the system pick (the log line says which).
    pub port: u16,
    /// The one origin browsers may call the API from; `None` sends no CORS
    /// headers, so only the server's own page can read its answers.
    pub cors: Option<String>,
    /// A request still running after this answers 504. Heavy work already
    /// on the blocking pool finishes in the background, still holding its
    /// heavy-job slot (see `heavy_jobs`).
    pub timeout: Duration,
    /// Requests in flight at once; the next one is shed with 503.
    pub concurrency: usize,
    /// Largest request body, in bytes (413 above).
    pub body_limit: usize,
    /// Heavy answers (assignments, capacity, comparisons, Pareto sets,
    /// networks edited by scenarios) running at once on the blocking pool;
    /// more wait for a slot within their timeout.
    pub heavy_jobs: usize,
    /// Most iterations an assignment request may ask for (`max_iter`): an
    /// assignment cannot be stopped once started, so this bounds how long a
    /// request can hold a heavy-job slot.
    pub max_assign_iterations: usize,
    /// Long questions (criticality, sweep, invest: jobs) running at once;
    /// more wait in the queue. Each already uses every core it is given.
    pub jobs: usize,
    /// Jobs the server holds at once, queued, running or finished: a new
    /// job drops the oldest finished one, and is refused (503) when all
    /// are unfinished.
    pub jobs_kept: usize,
    /// How long a finished job's answer stays; then it is dropped (404).
    pub job_ttl: Duration,
}

impl Default for ServeConfig {
    fn default() -> Self {
        Self {
            networks: Vec::new(),
            scenarios: Vec::new(),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 8080,
            cors: None,
            timeout: Duration::from_secs(60),
            concurrency: 256,
            body_limit: 1 << 20,
            heavy_jobs: std::thread::available_parallelism().map_or(2, |n| n.get().max(2)),
            max_assign_iterations: 10_000,
            jobs: 2,
            jobs_kept: 100,
            job_ttl: Duration::from_secs(3600),
        }
    }
}
