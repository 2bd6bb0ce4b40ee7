//! The many-to-many benchmark of issue 14: an N × N skim (default 100 ×
//! 100) on the generated multimodal network of about 1.2 million links
//! (`GenerateConfig::million_links`), through `answer::PreparedNetwork`, the
//! way a server asks it. Prints one JSON object: generation and lowering
//! time, the skim's wall time, rows, reachable rows and threads. It is
//! not a test and is not timed in CI; `bench/skim.sh` runs it.
//!
//! ```sh
//! cargo run --release -p corridor-engine --example skim_bench -- --n 100 --reps 3
//! cargo run --release -p corridor-engine --example skim_bench -- --n 100 --reps 3 --engine cch
//! cargo run --release -p corridor-engine --example skim_bench -- --n 1000 --reps 3 --engine cch --check 10
//! ```
//!
//! With `--engine cch` the first rep also builds the hierarchy (order and
//! contraction, kept by the prepared network); `skim_s_first` shows it, and
//! the best and median are over the other reps. `--check K` compares the
//! rows of the first K origins with a Dijkstra skim (every column within
//! 1e-9 relative) and exits non-zero on a mismatch.

use corridor_engine::answer::PreparedNetwork;
use corridor_fixtures::generate::{GenerateConfig, multimodal};
use corridor_model::{RoutingEngine, SkimQuery};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use std::time::Instant;

fn main() {
    let mut n = 100usize;
    let mut reps = 3usize;
    let mut seed = 1u64;
    let mut engine = RoutingEngine::Dijkstra;
    let mut check = 0usize;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut num = |name: &str| -> usize {
            let v = it.next().unwrap_or_else(|| panic!("{name} needs a value"));
            v.parse()
                .unwrap_or_else(|_| panic!("{name}: \"{v}\" is not a whole number"))
        };
        match flag.as_str() {
            "--n" => n = num("--n"),
            "--reps" => reps = num("--reps").max(1),
            "--seed" => seed = num("--seed") as u64,
            "--check" => check = num("--check"),
            "--engine" => {
                engine = match it.next().as_deref() {
                    Some("cch") => RoutingEngine::Cch,
                    Some("dijkstra") => RoutingEngine::Dijkstra,
                    Some("auto") => RoutingEngine::Auto,
                    other => panic!("--engine takes dijkstra, cch or auto, not {other:?}"),
                }
            }
            "--bench" => {}
            other => panic!("unknown argument {other}"),
        }
    }
    let t = Instant::now();
    let net = multimodal(&GenerateConfig::million_links(seed));
    let generate_s = t.elapsed().as_secs_f64();
    let links = net.links.len();
    let mut ids: Vec<String> = net.nodes.iter().map(|x| x.source_id.to_string()).collect();
    ids.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
    let from = ids[..n].to_vec();
    let to = ids[n..2 * n].to_vec();
    let t = Instant::now();
    let prepared = PreparedNetwork::new(net);
    let lower_s = t.elapsed().as_secs_f64();
    let mut query = SkimQuery::new(from, to);
    query.engine = engine;
    let mut times = Vec::new();
    let mut reachable = 0;
    let mut rows = 0;
    let mut last = None;
    for _ in 0..reps {
        let t = Instant::now();
        let m = prepared.skim(&query).expect("skim");
        times.push(t.elapsed().as_secs_f64());
        rows = m.rows.len();
        reachable = m.rows.iter().filter(|r| r.reachable()).count();
        last = Some(m);
    }
    let mismatches = check_rows(&prepared, &query, last.as_ref(), check);
    // With the cch engine the first skim also orders and contracts: the
    // best and median are over the other reps when there are any.
    let first = times[0];
    let mut rest = if engine.resolve(n) == RoutingEngine::Cch && times.len() > 1 {
        times[1..].to_vec()
    } else {
        times
    };
    rest.sort_by(f64::total_cmp);
    println!(
        "{{\"links\": {links}, \"n\": {n}, \"engine\": \"{}\", \"skim_s_first\": {first:.3}, \"threads\": {}, \"generate_s\": {generate_s:.3}, \"lower_s\": {lower_s:.3}, \"skim_s_best\": {:.3}, \"skim_s_median\": {:.3}, \"rows\": {rows}, \"reachable\": {reachable}, \"checked_origins\": {check}, \"mismatches\": {mismatches}}}",
        engine.as_str(),
        rayon::current_num_threads(),
        rest[0],
        rest[rest.len() / 2],
    );
    if mismatches > 0 {
        std::process::exit(1);
    }
}

/// The rows of the first `k` origins of `got` against a Dijkstra skim of
/// those origins: reachability equal and every column within 1e-9
/// (relative). Returns the number of differing rows.
fn check_rows(
    prepared: &PreparedNetwork,
    query: &SkimQuery,
    got: Option<&corridor_model::results::SkimResult>,
    k: usize,
) -> usize {
    let (Some(got), true) = (got, k > 0) else {
        return 0;
    };
    let mut q = query.clone();
    q.from.truncate(k);
    q.engine = RoutingEngine::Dijkstra;
    let want = prepared.skim(&q).expect("dijkstra skim");
    let close = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-300),
        (a, b) => a.is_none() && b.is_none(),
    };
    got.rows
        .iter()
        .zip(&want.rows)
        .filter(|(g, w)| {
            !(close(g.cost, w.cost)
                && close(g.hours, w.hours)
                && close(g.km, w.km)
                && close(g.co2_kg, w.co2_kg))
        })
        .count()
}
