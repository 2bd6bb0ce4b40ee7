//! Criticality throughput: elements closed per second, with 1 and 2
//! threads, on the grain example (every element, the README's question)
//! and on a generated multimodal network of about 100,000 links
//! (`GenerateConfig`: 4 countries of 112 × 112 road grids plus rail,
//! river and sea; capacities on every link), grain from a node in the
//! westmost country to one in the eastmost. On the large network a
//! strided sample of the elements (one part of `CRITICALITY_BENCH_PARTS`,
//! default 100: every 100th element, so used and unused ones in their
//! proportion) is closed; elements per second is the sample over its time.
//!
//! Elements that carry flow are re-solved warm (the base flow repaired,
//! `corridor_graph::warm_flow`), falling back to a solve from scratch when
//! the repaired flow exceeds a capacity shared across layers. On the grain
//! example the same sweep is also timed with every re-solve from scratch
//! (`warm: false`), for comparison; on the large network that takes over a
//! second per re-solve, so only with `CRITICALITY_BENCH_SCRATCH=1`.
//!
//! Prints, per network, method and thread count, the median of
//! `CRITICALITY_BENCH_RUNS` runs (default 3 on the grain example, 1 on
//! the large network, so the bench ends in minutes): the elements closed, how
//! they were answered (from the base, warm, warm falling back to scratch,
//! from scratch), the shortest-path augmentations of the repairs, seconds,
//! elements per second and re-solves per second.
//!
//! `cargo bench -p corridor-engine --bench criticality`
//! (`CRITICALITY_BENCH_SMALL=1` swaps the large network for a 5,000-link
//! one, to check the harness quickly.)

use corridor_engine::{CapacityQuery, CriticalityConfig, CriticalityStats, criticality_with_stats};
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

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn run(
    name: &str,
    (net, q): (&Network, &CapacityQuery),
    part: Option<Part>,
    warm: bool,
    runs: usize,
) {
    println!(
        "{name}: {} nodes, {} links, {} terminals, {} borders{}; re-solves {}",
        net.n_nodes(),
        net.n_links(),
        net.terminals.len(),
        net.borders.len(),
        part.map_or(String::new(), |p| format!(
            "; closing every {}th element",
            p.of
        )),
        if warm { "warm" } else { "from scratch" }
    );
    let runs = env_number("CRITICALITY_BENCH_RUNS", runs).max(1);
    // The fixed cost: the base solve (and its warm state) with only the
    // first element closed.
    let first = CriticalityConfig {
        threads: Some(1),
        part: Some(Part {
            index: 0,
            of: usize::MAX,
        }),
        warm,
        ..CriticalityConfig::default()
    };
    let t = Instant::now();
    criticality_with_stats(net, q, &first).expect("answers");
    println!(
        "  base alone (one element closed): {:.3} s",
        t.elapsed().as_secs_f64()
    );
    for threads in [1, 2] {
        let config = CriticalityConfig {
            threads: Some(threads),
            part,
            warm,
            ..CriticalityConfig::default()
        };
        let mut times: Vec<(f64, usize, CriticalityStats)> = (0..runs)
            .map(|_| {
                let t = Instant::now();
                let (r, stats) = criticality_with_stats(net, q, &config).expect("answers");
                (t.elapsed().as_secs_f64(), r.elements.len(), stats)
            })
            .collect();
        times.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (secs, elements, st) = times[runs / 2];
        let resolved = st.warm + st.from_scratch;
        println!(
            "  {threads} thread(s): {elements} elements ({} from the base, {} warm, {} warm fell back to scratch, {} from scratch in all; {} augmentations) in {secs:.3} s: {:.1} elements/s, {:.2} re-solves/s",
            st.from_base,
            st.warm,
            st.fallbacks,
            st.from_scratch,
            st.augmentations,
            elements as f64 / secs,
            resolved as f64 / secs
        );
    }
}

fn main() {
    let (net, q) = grain();
    run("grain-corridors", (&net, &q), None, true, 3);
    run("grain-corridors", (&net, &q), None, false, 3);
    let small = std::env::var_os("CRITICALITY_BENCH_SMALL").is_some();
    let of = env_number("CRITICALITY_BENCH_PARTS", 100);
    let (net, q) = generated(small);
    let part = Some(Part { index: 0, of });
    run("generated", (&net, &q), part, true, 1);
    if std::env::var_os("CRITICALITY_BENCH_SCRATCH").is_some() {
        run("generated", (&net, &q), part, false, 1);
    }
}
