//! The customizable contraction hierarchy benchmark of issue 14 ("one-to-one
//! at continental scale"): on the generated multimodal network of about 1.2
//! million links (`GenerateConfig::million_links`), lowered for grain and
//! the time objective as `routing_bench` does, it times the nested-dissection
//! order (node coordinates), the contraction, the customization (median of
//! `--reps`) and one-to-one queries with and without path unpacking, then
//! checks 10,000 pairs (100 sources × 100 targets) against one-to-all
//! Dijkstra, and every unpacked path's weight. Prints one JSON object; exits
//! non-zero on any mismatch. With `--matrix N` it also times an N × N
//! bucket many-to-many (`matrix_s`, after the customization, four extra
//! sums per arc as `skim` carries) and checks its first 10 rows against
//! one-to-one queries. Not a test; `bench/cch.sh` runs it.
//!
//! ```sh
//! cargo run --release -p corridor-engine --example cch_bench -- --pairs 1000 --reps 3
//! ```

use corridor_engine::route::ArcTable;
use corridor_engine::{Avoid, LowerConfig, Objective, lower};
use corridor_fixtures::generate::{GenerateConfig, multimodal};
use corridor_graph::cch::{Cch, CchQuery, many_to_many, nested_dissection_order};
use corridor_graph::{ShortestPath, VertexIdx};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::Instant;

struct Args {
    pairs: usize,
    reps: usize,
    seed: u64,
    small: bool,
    check_sources: usize,
    matrix: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        pairs: 1000,
        reps: 3,
        seed: 1,
        small: false,
        check_sources: 100,
        matrix: 0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut num = |name: &str| -> Result<u64, String> {
            let v = it.next().ok_or(format!("{name} needs a value"))?;
            v.parse()
                .map_err(|_| format!("{name}: \"{v}\" is not a whole number"))
        };
        match flag.as_str() {
            "--pairs" => a.pairs = num("--pairs")?.max(1) as usize,
            "--reps" => a.reps = num("--reps")?.max(1) as usize,
            "--seed" => a.seed = num("--seed")?,
            "--check-sources" => a.check_sources = num("--check-sources")? as usize,
            "--matrix" => a.matrix = num("--matrix")? as usize,
            "--small" => a.small = true,
            "--bench" => {}
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(a)
}

fn median(xs: &mut [f64]) -> f64 {
    xs.sort_by(f64::total_cmp);
    match xs.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => xs[n / 2],
        n => (xs[n / 2 - 1] + xs[n / 2]) / 2.0,
    }
}

fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn main() {
    let args = parse_args().unwrap_or_else(|e| {
        eprintln!("cch_bench: {e}");
        std::process::exit(2);
    });
    let cfg = if args.small {
        GenerateConfig {
            grid_width: 40,
            grid_height: 40,
            ..GenerateConfig::million_links(args.seed)
        }
    } else {
        GenerateConfig::million_links(args.seed)
    };
    let net = multimodal(&cfg);
    let commodity = net
        .commodities
        .iter()
        .find(|c| c.source_id == "grain")
        .expect("generated networks carry grain")
        .clone();
    let lowered = lower(&net, &LowerConfig::default());
    let table = ArcTable::new(&net, &lowered, &commodity, &Avoid::default());
    let weight = table.weights(Objective::Time, &net, &commodity);
    drop(table);
    let g = &lowered.csr;
    let (n, m) = (g.n_vertices(), g.n_arcs());
    eprintln!("{} links lowered to {n} vertices, {m} arcs", net.n_links());
    let coords: Vec<(f64, f64)> = lowered
        .vertex_node
        .iter()
        .map(|&v| (net.node(v).lon, net.node(v).lat))
        .collect();

    let t = Instant::now();
    let order = nested_dissection_order(g, Some(&coords));
    let order_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let cch = Cch::new(g, &order);
    let contract_s = t.elapsed().as_secs_f64();
    eprintln!(
        "order {order_s:.2} s, contraction {contract_s:.2} s, {} edges",
        cch.n_edges()
    );
    let mut t_custom = Vec::new();
    let mut metric = None;
    for _ in 0..args.reps {
        let t = Instant::now();
        metric = Some(cch.customize(&weight));
        t_custom.push(t.elapsed().as_secs_f64());
    }
    let metric = metric.expect("at least one rep");

    let mut rng = ChaCha8Rng::seed_from_u64(args.seed ^ 0xCC4);
    let mut pick = || VertexIdx(rng.random_range(0..n as u32));
    let pairs: Vec<(VertexIdx, VertexIdx)> = (0..args.pairs).map(|_| (pick(), pick())).collect();
    let mut q = CchQuery::new(n);
    let (mut t_query, mut t_path) = (Vec::new(), Vec::new());
    for &(s, t) in &pairs {
        let c = Instant::now();
        q.run(&metric, &[(s, 0.0)], &[(t, 0.0)]);
        t_query.push(c.elapsed().as_secs_f64());
        let c = Instant::now();
        q.run(&metric, &[(s, 0.0)], &[(t, 0.0)]);
        let _ = q.path_arcs(&metric);
        t_path.push(c.elapsed().as_secs_f64());
    }

    // The 10,000-pair check: one-to-all Dijkstra per source.
    let tails = g.tails();
    let mut sp = ShortestPath::new(n);
    let (mut checked, mut mismatches, mut reachable) = (0usize, 0usize, 0usize);
    let t = Instant::now();
    for _ in 0..args.check_sources {
        let s = pick();
        sp.run(g, &weight, &[(s, 0.0)], None);
        for _ in 0..100 {
            let t = pick();
            let got = q.run(&metric, &[(s, 0.0)], &[(t, 0.0)]);
            let want = sp.reached(t).then(|| sp.dist(t));
            let path_ok = got.is_none_or(|d| {
                let path = q.path_arcs(&metric);
                let mut at = s;
                let mut sum = 0.0;
                for a in &path {
                    if tails[a.index()] != at {
                        return false;
                    }
                    at = g.head(*a);
                    sum += weight[a.index()];
                }
                at == t && close(sum, d)
            });
            let same = match (got, want) {
                (Some(a), Some(b)) => close(a, b),
                (None, None) => true,
                _ => false,
            };
            if !(same && path_ok) {
                mismatches += 1;
                eprintln!("mismatch {s} -> {t}: cch {got:?}, dijkstra {want:?}, path ok {path_ok}");
            }
            reachable += usize::from(want.is_some());
            checked += 1;
        }
    }
    let check_s = t.elapsed().as_secs_f64();

    // An N × N matrix by buckets, four extras per arc (as skim carries),
    // its first rows checked against one-to-one queries.
    let (mut matrix_s, mut matrix_mismatches) = (0.0, 0usize);
    if args.matrix > 0 {
        let k = args.matrix;
        let mut ends =
            || -> Vec<Vec<(VertexIdx, f64)>> { (0..k).map(|_| vec![(pick(), 0.0)]).collect() };
        let (sources, targets) = (ends(), ends());
        let extra: Vec<[f64; 4]> = weight.iter().map(|&w| [w, 1.0, 2.0, 3.0]).collect();
        let t = Instant::now();
        let matrix = many_to_many(&metric, &sources, &targets, &extra);
        matrix_s = t.elapsed().as_secs_f64();
        for (i, s) in sources.iter().take(10).enumerate() {
            for (j, t) in targets.iter().enumerate() {
                let want = q.run(&metric, s, t);
                if matrix[i * k + j].map(|x| x.0) != want {
                    matrix_mismatches += 1;
                }
            }
        }
        mismatches += matrix_mismatches;
    }

    println!(
        concat!(
            "{{\"links\": {}, \"vertices\": {}, \"arcs\": {}, \"cch_edges\": {}, ",
            "\"elimination_tree_height\": {}, \"lower_triangles\": {}, \"order_s\": {:.3}, \"contract_s\": {:.3}, ",
            "\"customize_s\": {:.3}, \"query_ms\": {:.4}, \"query_path_ms\": {:.4}, ",
            "\"cch_bytes_per_arc\": {:.1}, \"metric_bytes_per_arc\": {:.1}, ",
            "\"threads\": {}, \"pairs\": {}, \"reps\": {}, \"checked_pairs\": {}, ",
            "\"reachable_pairs\": {}, \"mismatches\": {}, \"check_s\": {:.2}, ",
            "\"matrix_n\": {}, \"matrix_s\": {:.3}}}"
        ),
        net.n_links(),
        n,
        m,
        cch.n_edges(),
        cch.elimination_tree_height(),
        cch.n_lower_triangles(),
        order_s,
        contract_s,
        median(&mut t_custom),
        median(&mut t_query) * 1e3,
        median(&mut t_path) * 1e3,
        cch.heap_bytes() as f64 / m as f64,
        metric.heap_bytes() as f64 / m as f64,
        rayon::current_num_threads(),
        pairs.len(),
        args.reps,
        checked,
        reachable,
        mismatches,
        check_s,
        args.matrix,
        matrix_s,
    );
    if mismatches > 0 {
        std::process::exit(1);
    }
}
