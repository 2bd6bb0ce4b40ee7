//! Scale check of multi-class freight assignment: a generated multimodal
//! network (`GenerateConfig`, 4 countries of 64 × 64 road grids plus rail,
//! river and sea; capacities on every link), three commodities with 200
//! origin–destination rows each, bi-conjugate Frank–Wolfe for a fixed 20
//! iterations. Prints the sizes, the lowering time, the median seconds per
//! iteration over 3 runs and the gap reached. No peer here: AequilibraE's
//! multi-class assignment works on road-like link graphs, not on the
//! multimodal lowering, so there is no like-for-like run.
//!
//! `cargo bench -p corridor-engine --bench assign_freight`

use corridor_engine::Objective;
use corridor_engine::assign::{AssignConfig, CostTerms, build, solve};
use corridor_fixtures::generate::{GenerateConfig, multimodal};
use corridor_graph::assignment::Method;
use corridor_model::NodeId;
use corridor_model::demand::DemandRow;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::Instant;

fn main() {
    let cfg = GenerateConfig {
        n_countries: 4,
        grid_width: 64,
        grid_height: 64,
        spacing_deg: 0.05,
        ..GenerateConfig::million_links(7)
    };
    let mut net = multimodal(&cfg);
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    for l in &mut net.links {
        l.capacity_t_per_day = Some(rng.random_range(2_000.0..20_000.0));
    }
    let mut demand = Vec::new();
    for c in 0..3 {
        for _ in 0..200 {
            demand.push(DemandRow {
                origin: NodeId::from_index(rng.random_range(0..net.n_nodes())),
                destination: NodeId::from_index(rng.random_range(0..net.n_nodes())),
                commodity: net.commodities[c].source_id.clone(),
                amount: rng.random_range(500.0..5_000.0),
                source: None,
            });
        }
    }
    let t = Instant::now();
    let costs = CostTerms::Freight {
        minimize: Objective::Generalised,
        vessel: None,
    };
    let problem = build(&net, &demand, costs).expect("valid network");
    let lowering = t.elapsed().as_secs_f64();
    println!(
        "network: {} nodes, {} links; freight graph {} vertices, {} arcs, {} capacity elements; lowering {:.3} s",
        net.n_nodes(),
        net.n_links(),
        problem.lowered.csr.n_vertices(),
        problem.lowered.csr.n_arcs(),
        problem.elements.n_elements(),
        lowering
    );
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let opts = AssignConfig {
        method: Method::BiconjugateFrankWolfe,
        gap: 0.0,
        max_iter: 20,
        threads: Some(threads),
        costs: Some(costs),
    };
    let mut per_iter = Vec::new();
    let mut gap = f64::NAN;
    let mut symmetric = false;
    for _ in 0..3 {
        let t = Instant::now();
        let r = solve(&problem, &opts, &mut |_| {}).expect("solves");
        per_iter.push(t.elapsed().as_secs_f64() / r.history.len() as f64);
        gap = r.relative_gap;
        symmetric = r.symmetry.symmetric;
    }
    per_iter.sort_by(f64::total_cmp);
    // All-or-nothing alone: its one iteration is two loads per commodity
    // (the start and the gap measurement).
    let aon = AssignConfig {
        method: Method::AllOrNothing,
        ..opts
    };
    let mut aon_times: Vec<f64> = (0..3)
        .map(|_| {
            let t = Instant::now();
            solve(&problem, &aon, &mut |_| {}).expect("solves");
            t.elapsed().as_secs_f64() / 2.0
        })
        .collect();
    aon_times.sort_by(f64::total_cmp);
    println!(
        "one all-or-nothing load of all 3 commodities: median {:.4} s",
        aon_times[1]
    );
    println!(
        "bfw, 3 commodities x 200 rows, {threads} threads: median {:.4} s per iteration (20 iterations), relative gap {gap:.3e}, symmetric {symmetric}",
        per_iter[1]
    );
}
