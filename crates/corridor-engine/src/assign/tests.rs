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

/// `gauge_break` with waiting costs per t·h for rail and road, the rail
/// and road links into the border at 200 t/day and the border at 400.
fn waiting_net(rail: f64, road: f64) -> Network {
    let mut net = gauge_break();
    net.defaults.get_mut(Mode::Rail).waiting_cost_per_t_h = rail;
    net.defaults.get_mut(Mode::Road).waiting_cost_per_t_h = road;
    for l in &mut net.links {
        if l.source_id == "r1" || l.source_id == "d1" {
            l.capacity_t_per_day = Some(200.0);
        }
    }
    net.borders[0].capacity_t_per_day = Some(400.0);
    net
}

fn freight(minimize: Objective) -> CostTerms {
    CostTerms::Freight {
        minimize,
        vessel: None,
    }
}

/// The vehicle's waiting cost is a per-arc weight of delay under `cost`
/// and `generalised` only: the arc's mode for links and border crossings,
/// the arriving layer's at a terminal, nothing elsewhere.
#[test]
fn waiting_costs_weigh_delay_on_money_objectives_only() {
    use crate::lower::ArcOrigin;
    let (rail, road) = (0.5, 0.125);
    let net = waiting_net(rail, road);
    let rows = [row(&net, "east", "west", "grain", 600.0)];
    for minimize in [Objective::Time, Objective::Distance, Objective::Co2] {
        let p = build(&net, &rows, freight(minimize)).unwrap();
        assert!(p.elements.arc_delay_weight.is_empty(), "{minimize}");
    }
    let p = build(&net, &rows, freight(Objective::Generalised)).unwrap();
    let omega = &p.elements.arc_delay_weight;
    assert_eq!(omega.len(), p.lowered.n_arcs());
    let mut seen = [false; 3];
    for (a, o) in p.lowered.arc_origin.iter().enumerate() {
        let want = match *o {
            ArcOrigin::Link { link, .. } => {
                seen[0] = true;
                if net.link(link).mode == Mode::Rail {
                    rail
                } else {
                    road
                }
            }
            ArcOrigin::Border { layer, .. } => {
                seen[1] = true;
                if p.lowered.layer(layer).mode == Mode::Rail {
                    rail
                } else {
                    road
                }
            }
            ArcOrigin::Transfer { from, .. } => {
                seen[2] = true;
                assert_eq!(p.lowered.layer(from).mode, Mode::Rail);
                rail
            }
            _ => 0.0,
        };
        assert_eq!(omega[a], want, "arc {a}: {o:?}");
    }
    assert_eq!(seen, [true; 3]);
    // Grain's own weight stays its value of time.
    assert_eq!(
        p.classes[0].delay_weight,
        net.commodities[0].value_of_time_per_t_h
    );
    // No waiting cost anywhere: nothing per arc, as before.
    let plain = waiting_net(0.0, 0.0);
    let p = build(&plain, &rows, freight(Objective::Cost)).unwrap();
    assert!(p.elements.arc_delay_weight.is_empty());
}

/// Tonnes on the rail and on the road link into the border.
fn rail_and_road(net: &Network, r: &AssignReport) -> (f64, f64) {
    let at = |id: &str| {
        let i = net.links.iter().position(|l| l.source_id == id).unwrap();
        r.links.total[i]
    };
    (at("r1"), at("d1"))
}

/// A dearer hour of the rail wagon moves grain off the congested rail
/// link under `generalised`, and changes nothing under `time`.
#[test]
fn a_dearer_wagon_hour_moves_grain_to_the_road() {
    let rows = |net: &Network| [row(net, "east", "west", "grain", 600.0)];
    let run = |net: &Network, minimize| {
        let config = AssignConfig {
            method: Method::BiconjugateFrankWolfe,
            gap: 1e-8,
            max_iter: 3000,
            costs: Some(freight(minimize)),
            ..AssignConfig::default()
        };
        assign(net, &rows(net), &config, &mut |_| {}).unwrap()
    };
    let (cheap, dear) = (waiting_net(0.5, 0.1), waiting_net(2.0, 0.1));
    let (a, b) = (
        run(&cheap, Objective::Generalised),
        run(&dear, Objective::Generalised),
    );
    assert!(a.relative_gap <= 1e-6 && b.relative_gap <= 1e-6);
    let ((rail_a, road_a), (rail_b, road_b)) =
        (rail_and_road(&cheap, &a), rail_and_road(&dear, &b));
    assert!(rail_a > 0.0 && road_a > 0.0, "{rail_a} / {road_a}");
    assert!(rail_b < rail_a - 1.0, "rail {rail_a} -> {rail_b}");
    assert!(road_b > road_a + 1.0, "road {road_a} -> {road_b}");
    let (a, b) = (run(&cheap, Objective::Time), run(&dear, Objective::Time));
    assert_eq!(a.links.total, b.links.total);
}

/// Under `cost` a commodity weighs delay by 0 itself: without waiting
/// costs its assignment is all-or-nothing on the cheaper way, with them
/// the queue on that way costs money and some grain takes the other.
#[test]
fn under_cost_waiting_costs_make_queues_cost_money() {
    let rows = |net: &Network| [row(net, "east", "west", "grain", 600.0)];
    let run = |net: &Network| {
        let config = AssignConfig {
            method: Method::BiconjugateFrankWolfe,
            gap: 1e-8,
            max_iter: 3000,
            costs: Some(freight(Objective::Cost)),
            ..AssignConfig::default()
        };
        assign(net, &rows(net), &config, &mut |_| {}).unwrap()
    };
    let free = waiting_net(0.0, 0.0);
    let r = run(&free);
    let (rail, road) = rail_and_road(&free, &r);
    assert!(
        rail == 0.0 || road == 0.0,
        "all-or-nothing: {rail} / {road}"
    );
    assert_eq!(r.classes[0].delay_weight, 0.0);
    let held = waiting_net(1.0, 1.0);
    let r = run(&held);
    assert!(r.relative_gap <= 1e-6, "gap {}", r.relative_gap);
    let (rail, road) = rail_and_road(&held, &r);
    assert!(rail > 1.0 && road > 1.0, "split: {rail} / {road}");
}
