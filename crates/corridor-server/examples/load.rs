//! A load test for `corridor serve`: fires route requests at a running
//! server on the loopback from C connections (HTTP/1.1 keep-alive) until N
//! are answered or the time bound passes, and prints requests/s, latency
//! percentiles and errors (any status but 200). With `--with-assign` one
//! assignment of the grain example's demand is kept running the whole
//! time (the next starts when one ends), so the figures are routes
//! answered while an assignment runs (`--assign-gap`, default the CLI's
//! 1e-5, makes each one longer). `--pid` adds the server's memory.
//!
//! ```sh
//! cargo run --release -p corridor-server --example load -- \
//!     --addr 127.0.0.1:8080 --requests 20000 --concurrency 64 [--with-assign] [--pid PID]
//! ```
//!
//! `bench/serve.sh` starts a server and runs both cases. Only loopback
//! addresses are accepted.

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The knobs, from the command line.
struct LoadConfig {
    addr: SocketAddr,
    requests: usize,
    concurrency: usize,
    network: String,
    with_assign: bool,
    assign_threads: Option<usize>,
    assign_gap: Option<f64>,
    pid: Option<u32>,
    max_seconds: u64,
}

fn usage() -> ! {
    eprintln!(
        "usage: load [--addr 127.0.0.1:8080] [--requests 20000] [--concurrency 64] \
         [--network grain-corridors] [--with-assign] [--assign-threads N] [--assign-gap G] [--pid PID] [--max-seconds 300]"
    );
    std::process::exit(2)
}

fn parse_args() -> LoadConfig {
    let mut c = LoadConfig {
        addr: "127.0.0.1:8080".parse().unwrap(),
        requests: 20_000,
        concurrency: 64,
        network: "grain-corridors".into(),
        with_assign: false,
        assign_threads: None,
        assign_gap: None,
        pid: None,
        max_seconds: 300,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--addr" => c.addr = value().parse().unwrap_or_else(|_| usage()),
            "--requests" => c.requests = value().parse().unwrap_or_else(|_| usage()),
            "--concurrency" => c.concurrency = value().parse().unwrap_or_else(|_| usage()),
            "--network" => c.network = value(),
            "--with-assign" => c.with_assign = true,
            "--assign-threads" => {
                c.assign_threads = Some(value().parse().unwrap_or_else(|_| usage()))
            }
            "--assign-gap" => c.assign_gap = Some(value().parse().unwrap_or_else(|_| usage())),
            "--pid" => c.pid = Some(value().parse().unwrap_or_else(|_| usage())),
            "--max-seconds" => c.max_seconds = value().parse().unwrap_or_else(|_| usage()),
            _ => usage(),
        }
    }
    if !c.addr.ip().is_loopback() {
        eprintln!(
            "load: {} is not a loopback address; this tool only loads a local server",
            c.addr
        );
        std::process::exit(2);
    }
    c.concurrency = c.concurrency.max(1);
    c
}

/// Route questions on the grain example, taken in turn.
fn route_bodies() -> Vec<Bytes> {
    let pairs = [
        ("vinnytsia", "gdansk"),
        ("poltava", "constanta"),
        ("kropyvnytskyi", "rotterdam"),
        ("ternopil", "gdansk"),
        ("khmelnytskyi", "constanta"),
        ("kyiv", "rotterdam"),
    ];
    pairs
        .iter()
        .map(|(f, t)| {
            Bytes::from(format!(
                r#"{{"from": "{f}", "to": "{t}", "commodity": "grain", "tonnes": 1000}}"#
            ))
        })
        .collect()
}

/// The grain example's demand as an assignment body.
fn assign_body(threads: Option<usize>, gap: Option<f64>) -> Bytes {
    let csv =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/grain-corridors/demand.csv");
    let text = std::fs::read_to_string(&csv).expect("examples/grain-corridors/demand.csv");
    let rows: Vec<String> = text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            format!(
                r#"{{"origin": "{}", "destination": "{}", "commodity": "{}", "amount": {}}}"#,
                c[0], c[1], c[2], c[3]
            )
        })
        .collect();
    let threads = threads.map_or(String::new(), |t| format!(r#", "threads": {t}"#));
    let gap = gap.map_or(String::new(), |g| format!(r#", "gap": {g:e}"#));
    Bytes::from(format!(
        r#"{{"demand": [{}]{threads}{gap}}}"#,
        rows.join(", ")
    ))
}

async fn connect(addr: SocketAddr) -> Option<SendRequest<Full<Bytes>>> {
    let stream = tokio::net::TcpStream::connect(addr).await.ok()?;
    stream.set_nodelay(true).ok()?;
    let (sender, conn) = http1::handshake(TokioIo::new(stream)).await.ok()?;
    tokio::spawn(conn);
    Some(sender)
}

/// POSTs `body`; `Some(status)` once the whole answer is read.
async fn post(
    sender: &mut SendRequest<Full<Bytes>>,
    addr: SocketAddr,
    path: &str,
    body: Bytes,
) -> Option<u16> {
    sender.ready().await.ok()?;
    let req = hyper::Request::post(path)
        .header("host", addr.to_string())
        .header("content-type", "application/json")
        .body(Full::new(body))
        .ok()?;
    let res = sender.send_request(req).await.ok()?;
    let status = res.status().as_u16();
    res.into_body().collect().await.ok()?;
    Some(status)
}

/// Latencies (µs) and errors of one connection's requests.
#[derive(Default)]
struct Tally {
    micros: Vec<u64>,
    errors: usize,
}

async fn route_worker(
    c: Arc<LoadConfig>,
    bodies: Arc<Vec<Bytes>>,
    next: Arc<AtomicUsize>,
    deadline: Instant,
) -> Tally {
    let path = format!("/api/networks/{}/route", c.network);
    let mut tally = Tally::default();
    let mut sender = None;
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= c.requests || Instant::now() > deadline {
            return tally;
        }
        if sender.is_none() {
            sender = connect(c.addr).await;
        }
        let Some(s) = sender.as_mut() else {
            tally.errors += 1;
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let start = Instant::now();
        match post(s, c.addr, &path, bodies[i % bodies.len()].clone()).await {
            Some(200) => tally.micros.push(start.elapsed().as_micros() as u64),
            Some(_) => tally.errors += 1,
            None => {
                tally.errors += 1;
                sender = None;
            }
        }
    }
}

/// Keeps one assignment running until `stop`; returns each one's seconds
/// and how many failed.
async fn assign_loop(c: Arc<LoadConfig>, stop: Arc<AtomicBool>) -> (Vec<f64>, usize) {
    let path = format!("/api/networks/{}/assign", c.network);
    let body = assign_body(c.assign_threads, c.assign_gap);
    let (mut seconds, mut failed) = (Vec::new(), 0);
    while !stop.load(Ordering::Relaxed) {
        let Some(mut s) = connect(c.addr).await else {
            failed += 1;
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        let start = Instant::now();
        match post(&mut s, c.addr, &path, body.clone()).await {
            Some(200) => seconds.push(start.elapsed().as_secs_f64()),
            _ => failed += 1,
        }
    }
    (seconds, failed)
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let k = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[k.min(sorted.len() - 1)] as f64 / 1000.0
}

/// `VmRSS` and `VmHWM` of a process, in MiB.
fn memory(pid: u32) -> Option<(f64, f64)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kib = |key: &str| -> Option<f64> {
        let line = text.lines().find(|l| l.starts_with(key))?;
        line.split_whitespace().nth(1)?.parse::<f64>().ok()
    };
    Some((kib("VmRSS:")? / 1024.0, kib("VmHWM:")? / 1024.0))
}

async fn run(c: LoadConfig) {
    let c = Arc::new(c);
    let bodies = Arc::new(route_bodies());
    let next = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let assigning = c
        .with_assign
        .then(|| tokio::spawn(assign_loop(Arc::clone(&c), Arc::clone(&stop))));
    if c.with_assign {
        // Let the first assignment start before routes are timed.
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let start = Instant::now();
    let deadline = start + Duration::from_secs(c.max_seconds);
    let workers: Vec<_> = (0..c.concurrency)
        .map(|_| {
            tokio::spawn(route_worker(
                Arc::clone(&c),
                Arc::clone(&bodies),
                Arc::clone(&next),
                deadline,
            ))
        })
        .collect();
    let mut all = Tally::default();
    for w in workers {
        let t = w.await.expect("worker");
        all.micros.extend(t.micros);
        all.errors += t.errors;
    }
    let wall = start.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    all.micros.sort_unstable();
    let ok = all.micros.len();
    println!(
        "routes: {} answered, {} errors in {wall:.2} s ({} connections{})",
        ok,
        all.errors,
        c.concurrency,
        if c.with_assign {
            ", one assignment always running"
        } else {
            ""
        }
    );
    println!("  requests/s {:.0}", ok as f64 / wall);
    println!(
        "  latency ms  p50 {:.2}  p90 {:.2}  p99 {:.2}  max {:.2}",
        percentile(&all.micros, 50.0),
        percentile(&all.micros, 90.0),
        percentile(&all.micros, 99.0),
        percentile(&all.micros, 100.0)
    );
    if let Some(task) = assigning {
        let (seconds, failed) = task.await.expect("assignments");
        let mean = seconds.iter().sum::<f64>() / seconds.len().max(1) as f64;
        println!(
            "assignments: {} done, {failed} failed, {mean:.3} s each on average (the last one finished after the routes)",
            seconds.len()
        );
    }
    if let Some((rss, hwm)) = c.pid.and_then(memory) {
        println!("server memory: {rss:.1} MiB resident now, {hwm:.1} MiB at most");
    }
    if ok == 0 || all.errors > 0 {
        std::process::exit(1);
    }
}

fn main() {
    let c = parse_args();
    // One thread: the client takes as little as it can of the cores the
    // server runs on.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run(c));
}
