//! Unit tests of the one assignment path: what each kind of cost terms
//! builds (classes, elements, the order trips reach the solver), what is
//! refused, and how the solution maps back to links.

use super::*;
use corridor_fixtures::networks::gauge_break;
use corridor_graph::assignment::{Class, Method};
use corridor_model::demand::DemandRow;
use corridor_model::{FlowUnit, Link, Mode, Network, Node, NodeId, NodeKind, Objective};

const ROAD: CostTerms = CostTerms::Road {
    toll_factor: 0.0,
    distance_factor: 0.0,
};

/// a → b → c and a → c, one-way, 1 h and 10 km each, a toll of 2, and a
/// closed c → a.
fn roads() -> Network {
    let mut net = Network::new("roads");
    net.flow_unit = FlowUnit::VehiclesPerHour;
    for (i, name) in ["a", "b", "c"].into_iter().enumerate() {
        let node = Node::new(name, NodeKind::City, 20.0 + i as f64, 50.0, "PL");
        net.add_node(node).unwrap();
    }
    for (id, from, to, open) in [
        ("ab", 0, 1, true),
        ("bc", 1, 2, true),
        ("ac", 0, 2, true),
        ("ca", 2, 0, false),
    ] {
        let (from, to) = (NodeId::from_index(from), NodeId::from_index(to));
        let mut l = Link::new(id, from, to, Mode::Road, None, 10.0);
        l.oneway = true;
        l.hours = Some(1.0);
        l.capacity_t_per_day = Some(100.0);
        l.toll = 2.0;
        l.open = open;
        net.add_link(l).unwrap();
    }
    net
}

fn row(net: &Network, o: &str, d: &str, commodity: &str, amount: f64) -> DemandRow {
    DemandRow {
        origin: net.node_id(o).unwrap(),
        destination: net.node_id(d).unwrap(),
        commodity: commodity.into(),
        amount,
        source: None,
    }
}

#[test]
fn road_terms_are_one_class_on_per_arc_elements() {
    let net = roads();
    let terms = CostTerms::Road {
        toll_factor: 0.5,
        distance_factor: 0.1,
    };
    let p = build(&net, &[row(&net, "a", "c", "vehicles", 50.0)], terms).unwrap();
    // The closed link has no arc; every arc is its own element, and the
    // one class pays each element's whole BPR cost: the case the solver
    // runs on the BPR arrays themselves.
    assert_eq!(p.lowered.n_arcs(), 3);
    assert_eq!(p.layout, ElementLayout::PerArc);
    assert_eq!(p.elements.arc_element, vec![0, 1, 2]);
    assert_eq!(p.commodities, vec![None]);
    let class = &p.classes[0];
    assert_eq!(*class, Class::single(&p.elements, class.demand.clone()));
    // Time + 0.5 × toll + 0.1 × length at zero flow.
    for a in 0..3 {
        assert_eq!(p.elements.bpr.cost(a, 0.0), 1.0 + 0.5 * 2.0 + 0.1 * 10.0);
    }
}

#[test]
fn road_trips_keep_each_row_with_origins_in_node_order() {
    let net = roads();
    let rows = [
        row(&net, "b", "c", "vehicles", 5.0),
        row(&net, "a", "c", "vehicles", 3.0),
        row(&net, "a", "b", "vehicles", 4.0),
        row(&net, "b", "b", "vehicles", 7.0),
        row(&net, "a", "c", "vehicles", 2.0),
        row(&net, "a", "b", "vehicles", 0.0),
    ];
    let p = build(&net, &rows, ROAD).unwrap();
    // One layer, no no-through zones: vertex i is node i.
    let v = corridor_graph::VertexIdx;
    let want = vec![
        (v(0), vec![(v(2), 3.0), (v(1), 4.0), (v(2), 2.0)]),
        (v(1), vec![(v(2), 5.0)]),
    ];
    assert_eq!(p.classes[0].demand.origins, want);
}

#[test]
fn freight_trips_are_summed_per_pair_in_first_seen_order() {
    let net = gauge_break();
    let rows = [
        row(&net, "east", "west", "grain", 5.0),
        row(&net, "brd", "west", "fuel", 1.0),
        row(&net, "east", "brd", "fuel", 6.0),
        row(&net, "brd", "east", "grain", 4.0),
        row(&net, "east", "west", "grain", 2.0),
        row(&net, "east", "brd", "grain", 3.0),
    ];
    let terms = CostTerms::Freight {
        minimize: Objective::Time,
        vessel: None,
    };
    let p = build(&net, &rows, terms).unwrap();
    let (grain, fuel) = (net.commodity_id("grain"), net.commodity_id("fuel"));
    assert_eq!(p.commodities, vec![grain, fuel]);
    assert!(matches!(p.layout, ElementLayout::Rows(_)));
    let o = |n: &str| p.lowered.origin_vertex(net.node_id(n).unwrap()).unwrap();
    let d = |n: &str| {
        p.lowered
            .destination_vertex(net.node_id(n).unwrap())
            .unwrap()
    };
    // Destinations rank west, brd, east (any commodity), origins east, brd.
    let want = vec![
        (o("east"), vec![(d("west"), 7.0), (d("brd"), 3.0)]),
        (o("brd"), vec![(d("east"), 4.0)]),
    ];
    assert_eq!(p.classes[0].demand.origins, want);
    assert_eq!(p.classes[0].delay_weight, 1.0);
    let want = vec![
        (o("east"), vec![(d("brd"), 6.0)]),
        (o("brd"), vec![(d("west"), 1.0)]),
    ];
    assert_eq!(p.classes[1].demand.origins, want);
}

#[test]
fn road_flows_and_costs_map_back_to_links() {
    let net = roads();
    let config = AssignConfig {
        method: Method::FrankWolfe,
        gap: 1e-9,
        max_iter: 500,
        ..AssignConfig::default()
    };
    let rows = [row(&net, "a", "c", "vehicles", 300.0)];
    let r = assign(&net, &rows, &config, &mut |_| {}).unwrap();
    assert_eq!(r.terms, ROAD, "a veh/h network's terms by default");
    let [ab, bc, ac, ca] = [0, 1, 2, 3].map(|i| r.links.total[i]);
    assert_eq!(ab, bc);
    assert!((ab + ac - 300.0).abs() < 1e-9 && ab > 0.0 && ac > ab);
    assert_eq!(ca, 0.0);
    // Equal costs on the two used paths; none on the closed link.
    let cost = &r.link_cost[0];
    assert!((cost[0] + cost[1] - cost[2]).abs() < 1e-6 * cost[2]);
    assert!(cost[3].is_nan());
    assert_eq!(r.classes.len(), 1);
    assert_eq!(r.classes[0].demand, 300.0);
}

#[test]
fn algorithm_b_needs_per_arc_elements() {
    let net = gauge_break();
    let rows = [row(&net, "east", "west", "grain", 5.0)];
    let config = AssignConfig {
        method: Method::AlgorithmB,
        ..AssignConfig::default()
    };
    let e = assign(&net, &rows, &config, &mut |_| {}).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Algorithm B (algb) is single-class; for freight networks use aon, fw, cfw or bfw"
    );
    // The same network under road terms is one class on per-arc elements.
    let road = AssignConfig {
        costs: Some(ROAD),
        ..config
    };
    let r = assign(&net, &rows, &road, &mut |_| {}).unwrap();
    assert!(r.converged);
    assert_eq!(r.links.total[net.link_id("d1").unwrap().index()], 5.0);
}

/// The CLI's `--threads 1` makes the calling thread a one-thread pool;
/// the assignment then runs there rather than on a pool of its own.
#[test]
fn a_pool_of_the_asked_size_is_used_in_place() {
    let net = roads();
    let rows = [row(&net, "a", "c", "vehicles", 300.0)];
    let on_threads = |threads: usize, pool: usize| {
        let config = AssignConfig {
            method: Method::FrankWolfe,
            max_iter: 3,
            threads: Some(threads),
            ..AssignConfig::default()
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(pool)
            .build()
            .unwrap();
        pool.install(|| {
            let caller = std::thread::current().id();
            let mut seen = Vec::new();
            assign(&net, &rows, &config, &mut |_| {
                seen.push(std::thread::current().id())
            })
            .unwrap();
            assert!(!seen.is_empty());
            seen.iter().all(|&t| t == caller)
        })
    };
    assert!(on_threads(1, 1), "a one-thread pool runs it in place");
    assert!(!on_threads(1, 2), "another size starts a pool of its own");
}

#[test]
fn commodities_matter_under_freight_terms_only() {
    let net = gauge_break();
    let rows = [row(&net, "east", "west", "coal", 5.0)];
    let e = assign(&net, &rows, &AssignConfig::default(), &mut |_| {}).unwrap_err();
    assert_eq!(e.to_string(), "commodity: unknown commodity \"coal\"");
    let road = AssignConfig {
        costs: Some(ROAD),
        ..AssignConfig::default()
    };
    assert!(assign(&net, &rows, &road, &mut |_| {}).is_ok());
}

#[test]
fn knobs_out_of_range_are_refused() {
    let net = roads();
    let rows = [row(&net, "a", "c", "vehicles", 5.0)];
    let toll = AssignConfig {
        costs: Some(CostTerms::Road {
            toll_factor: -1.0,
            distance_factor: 0.0,
        }),
        ..AssignConfig::default()
    };
    let e = assign(&net, &rows, &toll, &mut |_| {}).unwrap_err();
    assert_eq!(
        e.to_string(),
        "toll factor -1 must be a non-negative number"
    );
    let gap = AssignConfig {
        gap: f64::NAN,
        ..AssignConfig::default()
    };
    let e = assign(&net, &rows, &gap, &mut |_| {}).unwrap_err();
    assert_eq!(e.to_string(), "gap NaN must be a non-negative number");
    let rows = [row(&net, "a", "c", "vehicles", -5.0)];
    let e = assign(&net, &rows, &AssignConfig::default(), &mut |_| {}).unwrap_err();
    assert_eq!(
        e.to_string(),
        "demand of vehicles from \"a\" to \"c\": -5 veh/h is not a non-negative number"
    );
}
