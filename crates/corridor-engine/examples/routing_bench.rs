//! The Corridor side of the routing benchmark (`bench/routing.py` runs it
//! and then the Python peers on the very same graph).
//!
//! It generates a synthetic multimodal network of about 1.2 million links
//! (`corridor_fixtures::generate`), lowers it for one commodity and objective
//! through the engine, reports lowering time and bytes per arc, dumps the
//! lowered graph's usable arcs (tail, head, weight) and the query vertices as
//! `.npy` files, and times one-to-all and one-to-one queries. It prints one
//! JSON object on stdout. It does not run the peers and it is not a test.
//!
//! ```sh
//! cargo run --release -p corridor-engine --example routing_bench -- \
//!     --out bench/out --sources 5 --pairs 40 --reps 3
//! ```

use corridor_engine::route::ArcTable;
use corridor_engine::{Avoid, LowerConfig, Lowered, Objective, lower};
use corridor_fixtures::generate::{GenerateConfig, multimodal};
use corridor_graph::astar::Landmarks;
use corridor_graph::{AStar, BidirectionalDijkstra, Csr, ReverseGraph, ShortestPath, VertexIdx};
use corridor_model::network::haversine_km;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

struct Args {
    out: PathBuf,
    sources: usize,
    pairs: usize,
    reps: usize,
    seed: u64,
    small: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        out: PathBuf::from("bench/out"),
        sources: 5,
        pairs: 40,
        reps: 3,
        seed: 1,
        small: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        let num = |s: String, name: &str| {
            s.parse::<u64>()
                .map_err(|_| format!("{name}: \"{s}\" is not a whole number"))
        };
        match flag.as_str() {
            "--out" => a.out = PathBuf::from(value("--out")?),
            "--sources" => a.sources = num(value("--sources")?, "--sources")? as usize,
            "--pairs" => a.pairs = num(value("--pairs")?, "--pairs")? as usize,
            "--reps" => a.reps = num(value("--reps")?, "--reps")?.max(1) as usize,
            "--seed" => a.seed = num(value("--seed")?, "--seed")?,
            "--small" => a.small = true,
            // `cargo bench` passes this to every target.
            "--bench" => {}
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(a)
}

/// Landmarks for the ALT potential: more tighten the bound, each costs two
/// one-to-all runs to build and 16 bytes per vertex.
const LANDMARKS: usize = 8;

fn median(xs: &mut [f64]) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    }
}

/// Writes a 1-D `.npy` array (format 1.0) atomically: temp file, rename.
fn write_npy(path: &Path, descr: &str, n: usize, bytes: &[u8]) -> std::io::Result<()> {
    let mut header = format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': ({n},), }}");
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let tmp = path.with_extension("npy.tmp");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        f.write_all(b"\x93NUMPY\x01\x00")?;
        f.write_all(&(header.len() as u16).to_le_bytes())?;
        f.write_all(header.as_bytes())?;
        f.write_all(bytes)?;
        f.flush()?;
    }
    std::fs::rename(&tmp, path)
}

fn u32_bytes(xs: &[u32]) -> Vec<u8> {
    xs.iter().flat_map(|x| x.to_le_bytes()).collect()
}
fn f64_bytes(xs: &[f64]) -> Vec<u8> {
    xs.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// A* potential for `target`: great-circle km to it times the least weight
/// per great-circle km of any arc, a lower bound by the triangle inequality
/// (arcs within one node, transfers and border crossings, weigh >= 0).
struct GreatCircle {
    lon: Vec<f64>,
    lat: Vec<f64>,
    per_km: f64,
}

impl GreatCircle {
    fn new(
        net: &corridor_model::Network,
        lowered: &Lowered,
        tails: &[VertexIdx],
        w: &[f64],
    ) -> Self {
        let lon: Vec<f64> = lowered
            .vertex_node
            .iter()
            .map(|&n| net.node(n).lon)
            .collect();
        let lat: Vec<f64> = lowered
            .vertex_node
            .iter()
            .map(|&n| net.node(n).lat)
            .collect();
        let mut per_km = f64::INFINITY;
        for (a, &wa) in w.iter().enumerate() {
            let (t, h) = (tails[a].index(), lowered.csr.heads()[a].index());
            let km = haversine_km(lon[t], lat[t], lon[h], lat[h]);
            if wa.is_finite() && km > 1e-9 {
                per_km = per_km.min(wa / km);
            }
        }
        // A little slack for rounding in the haversine.
        Self {
            lon,
            lat,
            per_km: if per_km.is_finite() {
                per_km * (1.0 - 1e-9)
            } else {
                0.0
            },
        }
    }
    fn to(&self, t: VertexIdx) -> impl Fn(VertexIdx) -> f64 + '_ {
        let (tl, ta) = (self.lon[t.index()], self.lat[t.index()]);
        move |v: VertexIdx| {
            haversine_km(self.lon[v.index()], self.lat[v.index()], tl, ta) * self.per_km
        }
    }
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("routing_bench: {e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = std::fs::create_dir_all(&args.out) {
        eprintln!("routing_bench: {}: {e}", args.out.display());
        std::process::exit(1);
    }
    let cfg = if args.small {
        GenerateConfig {
            grid_width: 60,
            grid_height: 60,
            ..GenerateConfig::million_links(args.seed)
        }
    } else {
        GenerateConfig::million_links(args.seed)
    };

    let t = Instant::now();
    let net = multimodal(&cfg);
    let generate_s = t.elapsed().as_secs_f64();
    eprintln!(
        "generated {} nodes, {} links in {generate_s:.2} s",
        net.n_nodes(),
        net.n_links()
    );

    let commodity = net
        .commodities
        .iter()
        .find(|c| c.source_id == "grain")
        .expect("generated networks carry grain")
        .clone();
    let objective = Objective::Time;
    let t = Instant::now();
    let lowered = lower(&net, &LowerConfig::default());
    let lower_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let table = ArcTable::new(&net, &lowered, &commodity, &Avoid::default());
    let weight = table.weights(objective, &net, &commodity);
    drop(table);
    let weights_s = t.elapsed().as_secs_f64();
    let g: &Csr = &lowered.csr;
    let (n, m) = (g.n_vertices(), g.n_arcs());
    let routing_bytes = g.heap_bytes() + weight.capacity() * 8;
    eprintln!("lowered to {n} vertices, {m} arcs in {lower_s:.2} s (+{weights_s:.2} s weights)");

    // Queries: vertices drawn uniformly, the same for every engine.
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed ^ 0xBE4C);
    let sources: Vec<VertexIdx> = (0..args.sources)
        .map(|_| VertexIdx(rng.random_range(0..n as u32)))
        .collect();
    let pairs: Vec<(VertexIdx, VertexIdx)> = (0..args.pairs)
        .map(|_| {
            let s = rng.random_range(0..n as u32);
            (VertexIdx(s), VertexIdx(rng.random_range(0..n as u32)))
        })
        .collect();

    // Dump the usable arcs for the peers.
    let tails = g.tails();
    let usable: Vec<usize> = (0..m).filter(|&a| weight[a].is_finite()).collect();
    let dump = |name: &str, descr: &str, k: usize, bytes: Vec<u8>| {
        let p = args.out.join(name);
        if let Err(e) = write_npy(&p, descr, k, &bytes) {
            eprintln!("routing_bench: {}: {e}", p.display());
            std::process::exit(1);
        }
    };
    let k = usable.len();
    dump(
        "tail.npy",
        "<u4",
        k,
        u32_bytes(&usable.iter().map(|&a| tails[a].0).collect::<Vec<_>>()),
    );
    dump(
        "head.npy",
        "<u4",
        k,
        u32_bytes(&usable.iter().map(|&a| g.heads()[a].0).collect::<Vec<_>>()),
    );
    dump(
        "weight.npy",
        "<f8",
        k,
        f64_bytes(&usable.iter().map(|&a| weight[a]).collect::<Vec<_>>()),
    );
    let raw: Vec<u32> = sources.iter().map(|s| s.0).collect();
    dump("sources.npy", "<u4", raw.len(), u32_bytes(&raw));
    let flat: Vec<u32> = pairs.iter().flat_map(|&(s, t)| [s.0, t.0]).collect();
    dump("pairs.npy", "<u4", flat.len(), u32_bytes(&flat));

    // One-to-all.
    let mut sp = ShortestPath::new(n);
    let mut one_to_all = Vec::new();
    let mut reached = 0usize;
    for (i, &s) in sources.iter().enumerate() {
        for _ in 0..args.reps {
            let t = Instant::now();
            sp.run(g, &weight, &[(s, 0.0)], None);
            one_to_all.push(t.elapsed().as_secs_f64());
        }
        reached += sp.touched().len();
        dump(
            &format!("corridor_dist_{i}.npy"),
            "<f8",
            n,
            f64_bytes(sp.distances()),
        );
    }

    // One-to-one: Dijkstra stopped at the target, bidirectional, A*.
    let t = Instant::now();
    let rev = ReverseGraph::new(g);
    let rev_weight = rev.weights(&weight);
    let reverse_s = t.elapsed().as_secs_f64();
    let gc = GreatCircle::new(&net, &lowered, &tails, &weight);
    let t = Instant::now();
    let landmarks = Landmarks::new(g, &weight, &rev, &rev_weight, LANDMARKS, sources[0]);
    let landmarks_s = t.elapsed().as_secs_f64();
    let mut bd = BidirectionalDijkstra::new(n);
    let mut astar = AStar::new(n);
    let (mut t_dij, mut t_bd, mut t_astar) = (Vec::new(), Vec::new(), Vec::new());
    let mut t_alt = Vec::new();
    let mut pair_dist = Vec::new();
    let mut mismatches = 0usize;
    let mut touched = [0usize; 4];
    for &(s, t) in &pairs {
        let mut d = [f64::INFINITY; 4];
        for _ in 0..args.reps {
            let c = Instant::now();
            d[0] = sp
                .run(g, &weight, &[(s, 0.0)], Some(t))
                .unwrap_or(f64::INFINITY);
            t_dij.push(c.elapsed().as_secs_f64());
            let c = Instant::now();
            d[1] = bd
                .run(g, &weight, &rev, &rev_weight, &[(s, 0.0)], &[(t, 0.0)])
                .unwrap_or(f64::INFINITY);
            t_bd.push(c.elapsed().as_secs_f64());
            let c = Instant::now();
            d[2] = astar
                .run(g, &weight, &[(s, 0.0)], t, gc.to(t))
                .unwrap_or(f64::INFINITY);
            t_astar.push(c.elapsed().as_secs_f64());
            touched[2] += astar.n_touched();
            let c = Instant::now();
            d[3] = astar
                .run(g, &weight, &[(s, 0.0)], t, landmarks.potential(t))
                .unwrap_or(f64::INFINITY);
            t_alt.push(c.elapsed().as_secs_f64());
            touched[3] += astar.n_touched();
            touched[0] += sp.touched().len();
            touched[1] += bd.n_touched();
        }
        let close = |a: f64, b: f64| a == b || (a - b).abs() <= 1e-9 * a.abs().max(1.0);
        if !(close(d[0], d[1]) && close(d[0], d[2]) && close(d[0], d[3])) {
            mismatches += 1;
            eprintln!("mismatch {s} -> {t}: {d:?}");
        }
        pair_dist.push(d[0]);
    }
    dump(
        "corridor_pair_dist.npy",
        "<f8",
        pair_dist.len(),
        f64_bytes(&pair_dist),
    );

    let full_bytes = lowered.heap_bytes() + weight.capacity() * 8;
    let mut json = String::new();
    let _ = write!(
        json,
        concat!(
            "{{\"nodes\": {}, \"links\": {}, \"vertices\": {}, \"arcs\": {}, \"usable_arcs\": {}, ",
            "\"generate_s\": {:.4}, \"lower_s\": {:.4}, \"weights_s\": {:.4}, \"reverse_s\": {:.4}, ",
            "\"routing_bytes_per_arc\": {:.2}, \"lowered_bytes_per_arc\": {:.2}, ",
            "\"reverse_bytes_per_arc\": {:.2}, ",
            "\"one_to_all_s\": {:.6}, \"one_to_all_reached_mean\": {}, ",
            "\"one_to_one_dijkstra_s\": {:.6}, \"one_to_one_bidirectional_s\": {:.6}, ",
            "\"one_to_one_astar_s\": {:.6}, \"one_to_one_mismatches\": {}, ",
            "\"one_to_one_alt_s\": {:.6}, \"landmarks\": {}, \"landmarks_s\": {:.4}, ",
            "\"landmarks_bytes_per_vertex\": {:.1}, ",
            "\"one_to_one_touched_mean\": [{}, {}, {}, {}], \"astar_h_per_km\": {:.6}, ",
            "\"sources\": {}, \"pairs\": {}, \"reps\": {}}}"
        ),
        net.n_nodes(),
        net.n_links(),
        n,
        m,
        k,
        generate_s,
        lower_s,
        weights_s,
        reverse_s,
        routing_bytes as f64 / m as f64,
        full_bytes as f64 / m as f64,
        (rev.heap_bytes() + rev_weight.capacity() * 8) as f64 / m as f64,
        median(&mut one_to_all),
        reached / sources.len().max(1),
        median(&mut t_dij),
        median(&mut t_bd),
        median(&mut t_astar),
        mismatches,
        median(&mut t_alt),
        landmarks.vertices.len(),
        landmarks_s,
        landmarks.heap_bytes() as f64 / n as f64,
        touched[0] / t_dij.len().max(1),
        touched[1] / t_dij.len().max(1),
        touched[2] / t_dij.len().max(1),
        touched[3] / t_dij.len().max(1),
        gc.per_km,
        sources.len(),
        pairs.len(),
        args.reps,
    );
    println!("{json}");
}
