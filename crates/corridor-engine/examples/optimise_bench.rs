//! The Corridor side of the system-optimum benchmark (`bench/optimise.py`
//! runs it, then scipy's `linprog` on the very same LP).
//!
//! It generates a synthetic multimodal network of about `--links` links
//! (`corridor_fixtures::generate`) with a capacity on every link, adds
//! `--commodities` commodities (copies of grain, container and fuel with
//! their bans) and `--pairs` demand rows per commodity (default 1) between
//! random nodes,
//! then times the system optimum (lowering + LP) and prints one JSON
//! object with the LP's size. `--write-lp DIR` also dumps the arc-node LP
//! as arrays (`Lp::write_arrays`); `--formulation auto|arc-node|paths`
//! picks the LP (`--write-lp` writes the arc-node LP whatever it is;
//! `--no-solve` stops there); `--max-new-columns N` and
//! `--ipm-min-columns N`, `--paths-per-pair N`, `--greedy-paths N` and
//! `--bound-steps N` (the Lagrangian bound's ascent beside each master
//! solve), `--smoothing ALPHA` (Wentges smoothing of the prices) set column generation's knobs (`PathsConfig`; `--no-greedy-start` and
//! `--no-flow-start` turn off its greedy and maximum-flow first columns,
//! `--highs-log` prints HiGHS's log of every master solve to stdout, or
//! of the arc-node LP's solve; `--arc-node-ipm` solves the arc-node LP by
//! interior point without crossover),
//! `--trace` prints its master solves, `--gap REL` and `--time-limit
//! SECONDS` stop it early (`OptimiseConfig::gap`, `time_limit_seconds`;
//! the JSON says `status`, `lower_bound` and `gap`). It is not a test and times nothing
//! unless run.
//!
//! ```sh
//! cargo run --release -p corridor-engine --features highs --example optimise_bench -- \
//!     --links 10000 --commodities 10 --formulation paths
//! ```

use corridor_engine::Objective;
use corridor_engine::optimise::{ArcNode, Formulation, OptimiseConfig, PathsConfig, build, solve};
use corridor_fixtures::generate::{GenerateConfig, multimodal};
use corridor_model::demand::DemandRow;
use corridor_model::{Commodity, Network, NodeId};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::PathBuf;
use std::time::Instant;

struct Args {
    links: usize,
    commodities: usize,
    seed: u64,
    pairs: usize,
    formulation: Formulation,
    write_lp: Option<PathBuf>,
    no_solve: bool,
    trace: bool,
    paths: PathsConfig,
    gap: Option<f64>,
    time_limit: Option<f64>,
    arc_node_ipm: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        links: 10_000,
        commodities: 10,
        seed: 1,
        pairs: 1,
        formulation: Formulation::Auto,
        write_lp: None,
        no_solve: false,
        trace: false,
        paths: PathsConfig::default(),
        gap: None,
        time_limit: None,
        arc_node_ipm: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        let num = |s: String| {
            s.parse::<u64>()
                .map_err(|_| format!("\"{s}\" is not a whole number"))
        };
        match flag.as_str() {
            "--links" => a.links = num(value()?)? as usize,
            "--commodities" => a.commodities = num(value()?)?.max(1) as usize,
            "--seed" => a.seed = num(value()?)?,
            "--pairs" => a.pairs = num(value()?)?.max(1) as usize,
            "--formulation" | "--method" => a.formulation = value()?.parse()?,
            "--write-lp" => a.write_lp = Some(PathBuf::from(value()?)),
            "--no-solve" => a.no_solve = true,
            "--trace" => a.trace = true,
            "--max-new-columns" => a.paths.max_new_columns = num(value()?)? as usize,
            "--ipm-min-columns" => a.paths.ipm_min_columns = num(value()?)? as usize,
            "--no-greedy-start" => a.paths.greedy_start = false,
            "--no-flow-start" => a.paths.flow_start = false,
            "--highs-log" => a.paths.solver_log = true,
            "--arc-node-ipm" => a.arc_node_ipm = true,
            "--greedy-paths" => a.paths.greedy_paths_per_pair = num(value()?)? as usize,
            "--bound-steps" => a.paths.bound_steps = num(value()?)? as usize,
            "--paths-per-pair" => a.paths.paths_per_pair = num(value()?)?.max(1) as usize,
            "--gap" | "--time-limit" | "--smoothing" => {
                let s = value()?;
                let v = s
                    .parse::<f64>()
                    .map_err(|_| format!("\"{s}\" is not a number"))?;
                if flag == "--gap" {
                    a.gap = Some(v);
                } else if flag == "--smoothing" {
                    a.paths.smoothing = v;
                } else {
                    a.time_limit = Some(v);
                }
            }
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    Ok(a)
}

/// A network of about `links` links with capacities, and `k` commodities.
fn network(links: usize, k: usize, seed: u64) -> Network {
    let countries = 4;
    let side = ((links as f64 / (2.4 * countries as f64)).sqrt().ceil() as usize).max(3);
    let mut cfg = GenerateConfig::small(seed);
    cfg.n_countries = countries;
    cfg.grid_width = side;
    cfg.grid_height = side;
    cfg.spacing_deg = 0.05;
    cfg.rail_every = 4;
    cfg.p_closed = 0.002;
    let mut net = multimodal(&cfg);
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xB0B);
    for l in &mut net.links {
        l.capacity_t_per_day = Some(rng.random_range(500.0..5000.0));
    }
    let base = net.commodities.clone();
    for i in 0..k.saturating_sub(base.len()) {
        let b = &base[i % base.len()];
        let mut c = Commodity::new(
            &format!("{}-{i}", b.source_id),
            b.class,
            b.value_of_time_per_t_h,
        );
        c.capacity_factor = b.capacity_factor.clone();
        net.add_commodity(c).expect("fresh name");
    }
    net.reindex().expect("valid");
    net
}

fn main() {
    let args = parse_args().unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    let t0 = Instant::now();
    let net = network(args.links, args.commodities, args.seed);
    let generate = t0.elapsed().as_secs_f64();
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    let n = net.nodes.len();
    let demand: Vec<DemandRow> = (0..args.commodities * args.pairs)
        .map(|i| DemandRow {
            origin: NodeId::from_index(rng.random_range(0..n)),
            destination: NodeId::from_index(rng.random_range(0..n)),
            commodity: net.commodities[i % net.commodities.len()].source_id.clone(),
            amount: rng.random_range(1000.0..20_000.0),
            source: None,
        })
        .collect();
    let config = OptimiseConfig {
        minimize: Objective::Generalised,
        formulation: args.formulation,
        trace: args.trace,
        paths: args.paths,
        gap: args.gap,
        time_limit_seconds: args.time_limit,
        arc_node_ipm: args.arc_node_ipm,
        ..OptimiseConfig::default()
    };
    let t1 = Instant::now();
    let p = build(&net, &demand, config.minimize, None).expect("builds");
    let lowered = t1.elapsed().as_secs_f64();
    if let Some(dir) = &args.write_lp {
        ArcNode::build(&p, &net)
            .lp
            .write_arrays(dir)
            .expect("writes the LP");
    }
    if args.no_solve {
        return;
    }
    let t2 = Instant::now();
    let report = solve(&net, p, &config, t1).expect("solves");
    let solved = t2.elapsed().as_secs_f64();
    let r = report.to_result(&net);
    let stats = report.paths.unwrap_or_default();
    println!(
        "{{\"links\": {}, \"nodes\": {}, \"commodities\": {}, \"flows\": {}, \"formulation\": \"{}\", \"solver\": \"{}\", \"columns\": {}, \"rows\": {}, \"nonzeros\": {}, \"rounds\": {}, \"objective\": {}, \"status\": \"{}\", \"lower_bound\": {}, \"gap\": {}, \"unserved_t_per_day\": {}, \"seconds_generate\": {generate:.3}, \"seconds_lower\": {lowered:.3}, \"seconds_solve\": {solved:.3}, \"seconds_master\": {:.3}, \"seconds_pricing\": {:.3}, \"row_rounds\": {}, \"iterations\": {}, \"bound_steps\": {}, \"seconds_bound\": {:.3}, \"smoothed_rounds\": {}, \"mispriced_rounds\": {}}}",
        net.n_links(),
        net.n_nodes(),
        args.commodities,
        r.lp.flows,
        r.lp.formulation,
        r.lp.solver,
        r.lp.columns,
        r.lp.rows,
        r.lp.nonzeros,
        r.lp.rounds,
        r.objective,
        r.status,
        r.lower_bound,
        r.gap,
        r.unserved_t_per_day,
        stats.seconds_master,
        stats.seconds_pricing,
        stats.row_rounds,
        stats.iterations,
        stats.bound_steps,
        stats.seconds_bound,
        stats.smoothed_rounds,
        stats.mispriced_rounds,
    );
}
