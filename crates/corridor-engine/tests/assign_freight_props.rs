//! Property tests of multi-class freight assignment on random multimodal
//! networks:
//!
//! - at zero load (all-or-nothing) each commodity's cost per tonne equals
//!   `route`'s itinerary for the same origin, destination and objective, and
//!   an unreachable pair is exactly one that `route` cannot route;
//! - each commodity's flow is conserved at every vertex and never uses an
//!   arc that the model's rules forbid it (checked from the model, not from
//!   the weights the engine built);
//! - at equilibrium every path a commodity uses is within the bound its
//!   measured gap allows of its cheapest path, found by enumerating every
//!   simple path of a tiny network (no Dijkstra);
//! - one commodity on a road network with `--minimize time` is the same
//!   network assigned under road cost terms (one class of vehicles, each
//!   link direction its own element).

use corridor_engine::ArcOrigin;
use corridor_engine::assign::{AssignConfig, CostTerms, Problem, assign, build, solve};
use corridor_engine::{Objective, RouteConfig, Shipment, route};
use corridor_fixtures::{GenerateConfig, multimodal};
use corridor_graph::assignment::Method;
use corridor_graph::{Csr, VertexIdx};
use corridor_model::demand::DemandRow;
use corridor_model::{
    Border, Commodity, CommodityClass, CommodityId, CommodityRule, Layer, Link, Mode, ModeTable,
    Network, Node, NodeId, NodeKind, Terminal,
};
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const OBJECTIVES: [Objective; 5] = [
    Objective::Cost,
    Objective::Time,
    Objective::Distance,
    Objective::Co2,
    Objective::Generalised,
];

fn opts(method: Method, objective: Objective, gap: f64, max_iter: usize) -> AssignConfig {
    AssignConfig {
        method,
        gap,
        max_iter,
        threads: Some(2),
        costs: Some(CostTerms::Freight {
            minimize: objective,
            vessel: None,
        }),
    }
}

/// One row of freight demand, by model ids.
#[derive(Clone, Debug, PartialEq)]
struct FreightDemand {
    origin: NodeId,
    destination: NodeId,
    commodity: CommodityId,
    tonnes: f64,
}

/// The rows as the engine takes them (commodities by their ids).
fn rows_of(net: &Network, demand: &[FreightDemand]) -> Vec<DemandRow> {
    demand
        .iter()
        .map(|d| DemandRow {
            origin: d.origin,
            destination: d.destination,
            commodity: net.commodities[d.commodity.index()].source_id.clone(),
            amount: d.tonnes,
            source: None,
        })
        .collect()
}

/// The freight problem of `demand` minimising `objective`.
fn freight(net: &Network, demand: &[FreightDemand], objective: Objective) -> Problem {
    let terms = CostTerms::Freight {
        minimize: objective,
        vessel: None,
    };
    build(net, &rows_of(net, demand), terms).unwrap()
}

/// The commodity of freight class `k`.
fn commodity(p: &Problem, k: usize) -> CommodityId {
    p.commodities[k].expect("freight classes carry a commodity")
}

/// Random capacities on links (most of them) so links congest too.
fn with_link_capacities(net: &mut Network, rng: &mut ChaCha8Rng) {
    for l in &mut net.links {
        if rng.random_bool(0.8) {
            l.capacity_t_per_day = Some(rng.random_range(500.0..5_000.0));
        }
    }
}

/// Whether the model's own rules let `c` use the arc with this origin.
fn model_permits(net: &Network, o: ArcOrigin, c: &Commodity) -> bool {
    let node_open = |n: NodeId| net.node(n).open;
    match o {
        ArcOrigin::Link { link, .. } => {
            let l = net.link(link);
            l.open && l.commodities.permits(c) && node_open(l.from) && node_open(l.to)
        }
        ArcOrigin::Transfer { terminal, .. } => {
            let t = &net.terminals[terminal.index()];
            t.open && t.commodities.permits(c) && node_open(t.node)
        }
        ArcOrigin::Border { border, .. } => {
            let b = &net.borders[border.index()];
            b.open && b.commodities.permits(c) && node_open(b.node)
        }
        // Zone connectors are the lowering's, not the model's.
        _ => true,
    }
}

fn random_demand(net: &Network, rng: &mut ChaCha8Rng, rows: usize) -> Vec<FreightDemand> {
    (0..rows)
        .map(|_| FreightDemand {
            origin: NodeId::from_index(rng.random_range(0..net.n_nodes())),
            destination: NodeId::from_index(rng.random_range(0..net.n_nodes())),
            commodity: CommodityId::from_index(rng.random_range(0..net.commodities.len())),
            tonnes: rng.random_range(100.0..3_000.0),
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// All-or-nothing multi-class assignment at zero load: every row's cost
    /// per tonne is `route`'s, for every objective.
    #[test]
    fn zero_load_costs_equal_route(seed in 0u64..10_000, o in 0usize..5) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut net = multimodal(&GenerateConfig::small(seed));
        net.carbon_price_per_t = 80.0;
        with_link_capacities(&mut net, &mut rng);
        let objective = OBJECTIVES[o];
        let rows = random_demand(&net, &mut rng, 6);
        let low = corridor_engine::lower(&net, &corridor_engine::LowerConfig::default());
        for row in rows.iter().filter(|r| r.origin != r.destination) {
            let p = freight(&net, std::slice::from_ref(row), objective);
            let r = solve(&p, &opts(Method::AllOrNothing, objective, 0.0, 1), &mut |_| {}).unwrap();
            // The loaded paths' cost at zero load (the reported costs are
            // at the all-or-nothing load, congested).
            let assigned: f64 = r.flow[0].iter().zip(&p.classes[0].fixed).filter(|(x, _)| **x != 0.0).map(|(x, c)| x * c).sum();
            let shipment = Shipment { from: row.origin, to: row.destination, commodity: row.commodity, tonnes: 1.0 };
            let config = RouteConfig { objective, ..RouteConfig::default() };
            match route(&net, &low, &shipment, &config) {
                Ok(res) => {
                    let t = &res.itineraries[0].totals;
                    let want = match objective {
                        Objective::Cost => t.cost,
                        Objective::Time => t.hours,
                        Objective::Distance => t.km,
                        Objective::Co2 => t.co2_kg,
                        Objective::Generalised => t.generalised,
                    };
                    prop_assert_eq!(r.unreachable_demand[0], 0.0);
                    let got = assigned / row.tonnes;
                    prop_assert!((got - want).abs() <= 1e-9 * want.abs().max(1.0), "{objective}: assign {got} vs route {want}");
                }
                Err(e) => {
                    prop_assert!(e.to_string().starts_with("no route"), "{e}");
                    prop_assert_eq!(r.unreachable_demand[0], row.tonnes);
                }
            }
        }
    }

    /// Per commodity: conservation at every vertex of the freight graph and
    /// no flow where the model forbids that commodity; loads are the
    /// factor-weighted sums of the commodities' flows.
    #[test]
    fn commodities_conserve_flow_and_respect_bans(seed in 0u64..10_000, factors in any::<bool>(), method in 0usize..3) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut net = multimodal(&GenerateConfig::small(seed));
        with_link_capacities(&mut net, &mut rng);
        if factors {
            for c in &mut net.commodities {
                c.capacity_factor = ModeTable::from_fn(|_| rng.random_range(0.5..2.0));
            }
        }
        let rows = random_demand(&net, &mut rng, 10);
        let method = [Method::FrankWolfe, Method::ConjugateFrankWolfe, Method::BiconjugateFrankWolfe][method];
        let objective = Objective::Generalised;
        let p = freight(&net, &rows, objective);
        let r = solve(&p, &opts(method, objective, 1e-6, 60), &mut |_| {}).unwrap();
        let tails = p.lowered.csr.tails();
        for k in 0..p.commodities.len() {
            let c = &net.commodities[commodity(&p, k).index()];
            let mut balance = vec![0.0; p.lowered.csr.n_vertices()];
            for a in 0..p.lowered.csr.n_arcs() {
                let x = r.flow[k][a];
                prop_assert!(x >= -1e-9);
                let o = p.lowered.arc_origin[a];
                if o.is_network() && !model_permits(&net, o, c)
                {
                    prop_assert_eq!(x, 0.0, "{} on forbidden {:?}", c.source_id, o);
                }
                balance[tails[a].index()] -= x;
                balance[p.lowered.csr.heads()[a].index()] += x;
            }
            let mut lost = 0.0;
            for (o, ds) in &p.classes[k].demand.origins {
                for &(d, f) in ds {
                    balance[o.index()] += f;
                    balance[d.index()] -= f;
                }
            }
            lost += r.unreachable_demand[k];
            let total = p.classes[k].demand.total();
            for b in &balance {
                prop_assert!(b.abs() <= 1e-7 * (1.0 + total) + lost, "{}: imbalance {b}", c.source_id);
            }
        }
        // Loads recomputed from the model: tonnes × the commodity's factor
        // for the arc's mode (a transfer: the larger of its two layers').
        let mut load = vec![0.0; r.load.len()];
        for (a, &o) in p.lowered.arc_origin.iter().enumerate() {
            let e = p.elements.arc_element[a];
            if !o.is_network() { continue; }
            if e == corridor_graph::assignment::NO_ELEMENT { continue; }
            for k in 0..p.commodities.len() {
                let f = &net.commodities[commodity(&p, k).index()].capacity_factor;
                let phi = match o {
                    ArcOrigin::Link { link, .. } => *f.get(net.link(link).mode),
                    ArcOrigin::Border { layer, .. } => *f.get(p.lowered.layer(layer).mode),
                    ArcOrigin::Transfer { from, to, .. } => f.get(p.lowered.layer(from).mode).max(*f.get(p.lowered.layer(to).mode)),
                    _ => unreachable!("network arcs only"),
                };
                load[e as usize] += phi * r.flow[k][a];
            }
        }
        for (x, y) in load.iter().zip(&r.load) {
            prop_assert!((x - y).abs() <= 1e-9 * y.abs().max(1.0));
        }
    }
}

/// A tiny random multimodal network: a chain of nodes across two countries
/// with a border node in the middle, road and rail (1520 mm east of the
/// border, 1435 mm west) plus random extra links, a gauge-change terminal at
/// the border, a road–rail terminal, capacities everywhere and random bans.
fn tiny(seed: u64) -> Network {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut net = Network::new("tiny");
    let n = rng.random_range(4..=6);
    let border_at = n / 2;
    for i in 0..n {
        let cc = if i <= border_at { "UA" } else { "PL" };
        let kind = if i == border_at {
            NodeKind::Border
        } else {
            NodeKind::City
        };
        let lat = 50.0 + rng.random_range(-0.3..0.3);
        net.add_node(Node::new(&format!("n{i}"), kind, 30.0 - i as f64, lat, cc))
            .unwrap();
    }
    net.add_commodity(Commodity::new("grain", CommodityClass::Bulk, 0.05))
        .unwrap();
    let mut containers = Commodity::new("box", CommodityClass::Container, 1.0);
    if rng.random_bool(0.5) {
        containers.capacity_factor = ModeTable::from_fn(|m| match m {
            Mode::Rail => 1.5,
            _ => 1.2,
        });
    }
    net.add_commodity(containers).unwrap();
    let add =
        |net: &mut Network, id: String, a: usize, b: usize, mode: Mode, rng: &mut ChaCha8Rng| {
            // East of the border (and up to it) 1520 mm, west of it 1435 mm.
            let g = (mode == Mode::Rail).then_some(if a.max(b) <= border_at { 1520 } else { 1435 });
            let mut l = Link::new(
                &id,
                NodeId::from_index(a),
                NodeId::from_index(b),
                mode,
                g,
                rng.random_range(50.0..300.0),
            );
            l.capacity_t_per_day = Some(rng.random_range(300.0..3_000.0));
            if rng.random_bool(0.15) {
                l.commodities = CommodityRule {
                    allowed: vec![],
                    banned: vec!["box".into()],
                };
            }
            net.add_link(l).unwrap();
        };
    for i in 0..n - 1 {
        add(&mut net, format!("road{i}"), i, i + 1, Mode::Road, &mut rng);
        // Rail stays in its gauge: east of the border 1520, west 1435.
        add(&mut net, format!("rail{i}"), i, i + 1, Mode::Rail, &mut rng);
    }
    for j in 0..rng.random_range(0..3) {
        let a = rng.random_range(0..n);
        let b = rng.random_range(0..n);
        if a != b && (a <= border_at) == (b <= border_at) {
            add(&mut net, format!("extra{j}"), a, b, Mode::Road, &mut rng);
        }
    }
    let t = |id: &str, node: usize, pairs: Vec<(Layer, Layer)>, rng: &mut ChaCha8Rng| Terminal {
        source_id: id.into(),
        name: id.into(),
        node: NodeId::from_index(node),
        transfers: pairs,
        handling_cost_per_t: rng.random_range(1.0..10.0),
        hours: rng.random_range(2.0..24.0),
        co2_kg_per_t: 1.0,
        capacity_t_per_day: Some(rng.random_range(500.0..3_000.0)),
        commodities: CommodityRule::default(),
        open: true,
        tags: vec![],
        source: None,
    };
    let gc = t(
        "gc",
        border_at,
        vec![(Layer::rail(1520), Layer::rail(1435))],
        &mut rng,
    );
    net.add_terminal(gc).unwrap();
    let rr = t("rr", 0, vec![(Layer::road(), Layer::rail(1520))], &mut rng);
    net.add_terminal(rr).unwrap();
    net.add_border(Border {
        source_id: "b".into(),
        name: "b".into(),
        node: NodeId::from_index(border_at),
        countries: ["UA".into(), "PL".into()],
        dwell_hours: ModeTable::from_fn(|m| if m == Mode::Road { 12.0 } else { 6.0 }),
        fee_per_t: 1.0,
        capacity_t_per_day: Some(rng.random_range(1_000.0..4_000.0)),
        commodities: CommodityRule::default(),
        open: true,
        tags: vec![],
        source: None,
    })
    .unwrap();
    net
}

/// Every simple path from `s` to `t`, as arc lists (tiny graphs only).
fn simple_paths(g: &Csr, s: VertexIdx, t: VertexIdx, limit: usize) -> Vec<Vec<usize>> {
    fn dfs(
        g: &Csr,
        v: VertexIdx,
        t: VertexIdx,
        seen: &mut Vec<bool>,
        path: &mut Vec<usize>,
        out: &mut Vec<Vec<usize>>,
        limit: usize,
    ) {
        if out.len() >= limit {
            return;
        }
        if v == t {
            out.push(path.clone());
            return;
        }
        for a in g.out_arcs(v) {
            let h = g.head(a);
            if !seen[h.index()] {
                seen[h.index()] = true;
                path.push(a.index());
                dfs(g, h, t, seen, path, out, limit);
                path.pop();
                seen[h.index()] = false;
            }
        }
    }
    let mut seen = vec![false; g.n_vertices()];
    seen[s.index()] = true;
    let mut out = Vec::new();
    dfs(g, s, t, &mut seen, &mut Vec::new(), &mut out, limit);
    out
}

/// The check of `used_paths_are_within_the_gap_of_the_cheapest` for one
/// draw (a plain test replays the slowest draw seen).
fn used_paths_within_the_gap(seed: u64, o: usize) -> Result<(), TestCaseError> {
    let net = tiny(seed);
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 7);
    let n = net.n_nodes();
    let objective = [Objective::Generalised, Objective::Time][o];
    let origin = NodeId::from_index(0);
    let mut rows = Vec::new();
    for c in 0..2 {
        for d in 1..n {
            if rng.random_bool(0.6) {
                rows.push(FreightDemand {
                    origin,
                    destination: NodeId::from_index(d),
                    commodity: CommodityId::from_index(c),
                    tonnes: rng.random_range(200.0..2_000.0),
                });
            }
        }
    }
    prop_assume!(!rows.is_empty());
    let p = freight(&net, &rows, objective);
    let mut r = solve(
        &p,
        &opts(Method::BiconjugateFrankWolfe, objective, 1e-10, 3_000),
        &mut |_| {},
    )
    .unwrap();
    // Asymmetric cases (box factors that differ by mode) have no
    // convergence guarantee; Gauss–Seidel diagonalisation gets there at
    // Frank–Wolfe's sublinear rate, gap about C / iterations with C up
    // to 5 on the draws seen: seed 33838 minimising time is at 1.6e-3
    // after 3,000 iterations, 5.8e-4 after 10,000 and 2.0e-4 after
    // 30,000. So a slow draw gets the iterations that rate needs
    // (stopping at the target) instead of failing at 3,000.
    let target = if r.symmetry.symmetric { 1e-6 } else { 1e-3 };
    if !r.symmetry.symmetric && r.relative_gap > target {
        r = solve(
            &p,
            &opts(
                Method::BiconjugateFrankWolfe,
                objective,
                0.5 * target,
                30_000,
            ),
            &mut |_| {},
        )
        .unwrap();
    }
    prop_assert!(
        r.relative_gap <= target,
        "symmetric {}: gap {}",
        r.symmetry.symmetric,
        r.relative_gap
    );
    for (k, class) in p.classes.iter().enumerate() {
        let tc: f64 = r.flow[k]
            .iter()
            .zip(&r.cost[k])
            .filter(|(x, _)| **x != 0.0)
            .map(|(x, c)| x * c)
            .sum();
        let slack = r.class_gap[k] * tc;
        let total = class.demand.total();
        let theta = 1e-3 * total;
        for (o, ds) in &class.demand.origins {
            for &(d, _) in ds {
                let paths = simple_paths(&p.lowered.csr, *o, d, 200_000);
                prop_assert!(paths.len() < 200_000, "network too large to enumerate");
                let cost = |path: &Vec<usize>| path.iter().map(|&a| r.cost[k][a]).sum::<f64>();
                let best = paths.iter().map(cost).fold(f64::INFINITY, f64::min);
                for path in &paths {
                    if path.iter().all(|&a| r.flow[k][a] >= theta) {
                        let excess = cost(path) - best;
                        let bound = path.len() as f64 * slack / theta + 1e-9 * best.abs().max(1.0);
                        prop_assert!(
                            excess <= bound,
                            "class {k}: used path costs {} over the cheapest {best} (bound {bound})",
                            excess
                        );
                    }
                }
            }
        }
    }
    Ok(())
}

/// The draw whose gap was 1.6e-3 after 3,000 iterations (the check once
/// failed on it at a fixed 3,000): it must now get its iterations.
#[test]
fn the_slowest_draw_seen_reaches_the_gap() {
    used_paths_within_the_gap(33838, 1).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// At the equilibrium found, every path of a commodity whose arcs all
    /// carry at least `theta` of it costs at most its cheapest path (by
    /// enumeration) plus `|path| × gap_k × total cost_k / theta`: with one
    /// origin per commodity, `gap_k × total cost_k` is the sum over arcs of
    /// flow × reduced cost, so no arc carrying `theta` can have a larger
    /// reduced cost. The gap itself must be small.
    #[test]
    fn used_paths_are_within_the_gap_of_the_cheapest(seed in 0u64..100_000, o in 0usize..2) {
        used_paths_within_the_gap(seed, o)?;
    }

    /// One commodity on a road-only network minimising time is the
    /// single-class road assignment: same link flows and objective.
    #[test]
    fn one_commodity_equals_the_single_class_assignment(seed in 0u64..100_000) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut net = Network::new("roads");
        let n = rng.random_range(4..9);
        for i in 0..n {
            net.add_node(Node::new(&format!("v{i}"), NodeKind::City, rng.random_range(20.0..22.0), rng.random_range(50.0..52.0), "PL")).unwrap();
        }
        let mut k = 0;
        for i in 0..n {
            let mut targets = vec![(i + 1) % n];
            targets.push(rng.random_range(0..n));
            for j in targets {
                if i == j { continue; }
                let mut l = Link::new(&format!("l{k}"), NodeId::from_index(i), NodeId::from_index(j), Mode::Road, None, rng.random_range(20.0..200.0));
                l.oneway = rng.random_bool(0.3);
                if rng.random_bool(0.85) {
                    l.capacity_t_per_day = Some(rng.random_range(200.0..2_000.0));
                }
                net.add_link(l).unwrap();
                k += 1;
            }
        }
        net.add_commodity(Commodity::new("grain", CommodityClass::Bulk, 0.05)).unwrap();
        let mut rows = Vec::new();
        for _ in 0..6 {
            let (a, b) = (rng.random_range(0..n), rng.random_range(0..n));
            rows.push(FreightDemand { origin: NodeId::from_index(a), destination: NodeId::from_index(b), commodity: CommodityId::from_index(0), tonnes: rng.random_range(100.0..1_500.0) });
        }
        let rows = rows_of(&net, &rows);
        let freight = assign(&net, &rows, &opts(Method::BiconjugateFrankWolfe, Objective::Time, 1e-10, 5_000), &mut |_| {}).unwrap();
        let costs = Some(CostTerms::Road { toll_factor: 0.0, distance_factor: 0.0 });
        let road = assign(&net, &rows, &AssignConfig { method: Method::BiconjugateFrankWolfe, gap: 1e-10, max_iter: 5_000, costs, ..AssignConfig::default() }, &mut |_| {}).unwrap();
        prop_assert!(freight.relative_gap <= 1e-8, "freight stalled at {}", freight.relative_gap);
        // The single-class BFW can stall above the target (a known issue of
        // `corridor_graph::assignment`); it may then only be worse.
        let tol = 1e-6 * road.objective.abs().max(1.0);
        prop_assert!(freight.objective <= road.objective + tol, "{} vs {}", freight.objective, road.objective);
        if road.relative_gap <= 1e-8 {
            prop_assert!((freight.objective - road.objective).abs() <= tol, "{} vs {}", freight.objective, road.objective);
            let scale = rows.iter().map(|r| r.amount).sum::<f64>();
            for (i, l) in net.links.iter().enumerate() {
                if l.capacity_t_per_day.is_some() {
                    prop_assert!((freight.links.total[i] - road.links.total[i]).abs() <= 1e-3 * scale, "link {i}: {} vs {}", freight.links.total[i], road.links.total[i]);
                }
            }
        }
    }
}

/// Cases the property test above drew once (seeds 46815 and 29674,
/// minimising time): the conjugate weights sat at their cap, so every step was about
/// 1e-6 long and bi-conjugate FW stayed at a gap of 0.09 for 3,000
/// iterations (conjugate FW alike) while plain FW reached 2e-4. The
/// methods now restart from the Frank–Wolfe direction there; BFW reaches
/// the property's target in under 20 iterations.
#[test]
fn conjugate_methods_restart_when_old_points_take_all_the_weight() {
    for seed in [46815u64, 29674] {
        restarts_on(seed);
    }
}

fn restarts_on(seed: u64) {
    let net = tiny(seed);
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 7);
    let n = net.n_nodes();
    let objective = Objective::Time;
    let origin = NodeId::from_index(0);
    let mut rows = Vec::new();
    for c in 0..2 {
        for d in 1..n {
            if rng.random_bool(0.6) {
                rows.push(FreightDemand {
                    origin,
                    destination: NodeId::from_index(d),
                    commodity: CommodityId::from_index(c),
                    tonnes: rng.random_range(200.0..2_000.0),
                });
            }
        }
    }
    let p = freight(&net, &rows, objective);
    let bfw = solve(
        &p,
        &opts(Method::BiconjugateFrankWolfe, objective, 1e-10, 200),
        &mut |_| {},
    )
    .unwrap();
    assert!(bfw.symmetry.symmetric);
    assert!(
        bfw.relative_gap <= 1e-6,
        "BFW stalled at {:e}",
        bfw.relative_gap
    );
    let cfw = solve(
        &p,
        &opts(Method::ConjugateFrankWolfe, objective, 1e-10, 3_000),
        &mut |_| {},
    )
    .unwrap();
    assert!(
        cfw.relative_gap <= 1e-4,
        "CFW stalled at {:e}",
        cfw.relative_gap
    );
}
