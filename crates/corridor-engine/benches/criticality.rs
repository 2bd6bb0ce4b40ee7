//! Criticality throughput: elements closed per second, with 1 and 2
//! threads, on the grain example (every element, the README's question)
//! and on a generated multimodal network of about 100,000 links
//! (`GenerateConfig`: 4 countries of 112 × 112 road grids plus rail,
//! river and sea; capacities on every link), grain from a node in the
//! westmost country to one in the eastmost. On the large network a
//! strided sample of the elements (one part of `CRITICALITY_BENCH_PARTS`,
//! default 20: every 20th element, so used and unused ones in their
//! proportion) is closed; elements per second is the sample over its time.
//!
//! Prints, per network and thread count, the median of three runs: the
//! elements closed, how many carried flow (solved again), seconds,
//! elements per second and re-solves per second.
//!
//! `cargo bench -p corridor-engine --bench criticality`
//! (`CRITICALITY_BENCH_SMALL=1` swaps the large network for a 5,000-link
//! one, to check the harness quickly.)

use corridor_engine::{CapacityQuery, CriticalityConfig, criticality};
use corridor_fixtures::generate::{GenerateConfig, multimodal};
use corridor_model::{Endpoint, Network, Part};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::Instant;

fn grain() -> (Network, CapacityQuery) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/grain-corridors"
    );
    let net = corridor_io::read_network(std::path::Path::new(path))
        .expect("the grain example reads")
        .into_network()
        .expect("and has no errors");
    let ends = |ids: &[&str]| ids.iter().map(|p| Endpoint::new(*p)).collect();
    let q = CapacityQuery {
        from: ends(&[
            "vinnytsia",
            "kropyvnytskyi",
            "poltava",
            "khmelnytskyi",
            "ternopil",
        ]),
        to: ends(&["gdansk", "constanta", "rotterdam"]),
        commodity: Some("grain".into()),
        ..CapacityQuery::default()
    };
    (net, q)
}

fn generated(small: bool) -> (Network, CapacityQuery) {
    let side = if small { 24 } else { 112 };
    let cfg = GenerateConfig {
        n_countries: 4,
        grid_width: side,
        grid_height: side,
        spacing_deg: 0.05,
        ..GenerateConfig::million_links(11)
    };
    let mut net = multimodal(&cfg);
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    for l in &mut net.links {
        l.capacity_t_per_day = Some(rng.random_range(2_000.0..20_000.0));
    }
    // The open node furthest west and the one furthest east.
    let open = || net.nodes.iter().filter(|n| n.open);
    let west = open()
        .min_by(|a, b| a.lon.total_cmp(&b.lon))
        .expect("nodes");
    let east = open()
        .max_by(|a, b| a.lon.total_cmp(&b.lon))
        .expect("nodes");
    let q = CapacityQuery {
        from: vec![Endpoint::new(west.source_id.clone())],
        to: vec![Endpoint::new(east.source_id.clone())],
        commodity: Some("grain".into()),
        ..CapacityQuery::default()
    };
    (net, q)
}

fn run(name: &str, net: &Network, q: &CapacityQuery, part: Option<Part>) {
    println!(
        "{name}: {} nodes, {} links, {} terminals, {} borders{}",
        net.n_nodes(),
        net.n_links(),
        net.terminals.len(),
        net.borders.len(),
        part.map_or(String::new(), |p| format!(
            "; closing every {}th element",
            p.of
        ))
    );
    for threads in [1, 2] {
        let config = CriticalityConfig {
            threads: Some(threads),
            part,
            ..CriticalityConfig::default()
        };
        let mut runs: Vec<(f64, usize, usize)> = (0..3)
            .map(|_| {
                let t = Instant::now();
                let r = criticality(net, q, &config).expect("answers");
                let used = r.elements.iter().filter(|e| e.used).count();
                (t.elapsed().as_secs_f64(), r.elements.len(), used)
            })
            .collect();
        runs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (secs, elements, used) = runs[1];
        println!(
            "  {threads} thread(s): {elements} elements ({used} carried flow, solved again) in {secs:.3} s: {:.1} elements/s, {:.2} re-solves/s",
            elements as f64 / secs,
            used as f64 / secs
        );
    }
}

fn main() {
    let (net, q) = grain();
    run("grain-corridors", &net, &q, None);
    let small = std::env::var_os("CRITICALITY_BENCH_SMALL").is_some();
    let of = std::env::var("CRITICALITY_BENCH_PARTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let (net, q) = generated(small);
    run("generated", &net, &q, Some(Part { index: 0, of }));
}
