//! Property tests on random multimodal networks: the engine's route cost
//! equals an independent reference router written on the model (no
//! lowering); itinerary totals equal the sum of their parts; gauge changes
//! only at a terminal that offers them; Dijkstra equals Bellman–Ford on the
//! lowered graph.

use corridor_engine::cost::{Objective, arc_attrs};
use corridor_engine::route::ArcTable;
use corridor_engine::{Avoid, RouteConfig, Shipment, route};
use corridor_engine::{LowerConfig, lower};
use corridor_fixtures::model_router::{Weights, route_cost};
use corridor_fixtures::{GenerateConfig, multimodal, reference::bellman_ford};
use corridor_graph::{ShortestPath, VertexIdx};
use corridor_model::{Layer, Network, NodeId};
use proptest::prelude::*;

fn reference(
    net: &Network,
    from: NodeId,
    to: NodeId,
    c: usize,
    objective: Objective,
) -> Option<f64> {
    let com = &net.commodities[c];
    let link = |n: &Network, i: usize| {
        let l = &n.links[i];
        match objective {
            Objective::Cost => n.link_cost_per_t(l),
            Objective::Time => n.link_hours(l),
            Objective::Distance => l.length_km,
            Objective::Co2 => n.link_co2_kg_per_t(l),
            Objective::Generalised => {
                n.link_cost_per_t(l)
                    + com.value_of_time_per_t_h * n.link_hours(l)
                    + n.carbon_price_per_t * n.link_co2_kg_per_t(l) / 1000.0
            }
        }
    };
    let terminal = |n: &Network, i: usize| {
        let t = &n.terminals[i];
        match objective {
            Objective::Cost => t.handling_cost_per_t,
            Objective::Time => t.hours,
            Objective::Distance => 0.0,
            Objective::Co2 => t.co2_kg_per_t,
            Objective::Generalised => {
                t.handling_cost_per_t
                    + com.value_of_time_per_t_h * t.hours
                    + n.carbon_price_per_t * t.co2_kg_per_t / 1000.0
            }
        }
    };
    let border = |n: &Network, i: usize, l: Layer| {
        let b = &n.borders[i];
        let h = *b.dwell_hours.get(l.mode);
        match objective {
            Objective::Cost => b.fee_per_t,
            Objective::Time => h,
            Objective::Distance | Objective::Co2 => 0.0,
            Objective::Generalised => b.fee_per_t + com.value_of_time_per_t_h * h,
        }
    };
    route_cost(
        net,
        from,
        to,
        com,
        &Weights {
            link: &link,
            terminal: &terminal,
            border: &border,
        },
    )
}

const OBJECTIVES: [Objective; 5] = [
    Objective::Cost,
    Objective::Time,
    Objective::Distance,
    Objective::Co2,
    Objective::Generalised,
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn route_matches_the_model_reference(seed in 0u64..10_000, a in 0usize..1000, b in 0usize..1000, c in 0usize..3, o in 0usize..5) {
        let mut net = multimodal(&GenerateConfig::small(seed));
        net.carbon_price_per_t = 80.0;
        let (from, to) = (NodeId::from_index(a % net.n_nodes()), NodeId::from_index(b % net.n_nodes()));
        prop_assume!(from != to);
        let objective = OBJECTIVES[o];
        let low = lower(&net, &LowerConfig::default());
        let shipment = Shipment { from, to, commodity: corridor_model::CommodityId::from_index(c), tonnes: 250.0 };
        let config = RouteConfig { objective, ..RouteConfig::default() };
        let want = reference(&net, from, to, c, objective);
        match (route(&net, &low, &shipment, &config), want) {
            (Ok(r), Some(w)) => {
                let it = &r.itineraries[0];
                // Money and CO2 scale with tonnes; hours and km do not.
                let got = match objective {
                    Objective::Cost => it.totals.cost / 250.0,
                    Objective::Time => it.totals.hours,
                    Objective::Distance => it.totals.km,
                    Objective::Co2 => it.totals.co2_kg / 250.0,
                    Objective::Generalised => it.totals.generalised / 250.0,
                };
                prop_assert!((got - w).abs() <= 1e-6 * w.abs().max(1.0), "engine {got} vs reference {w}");
                let parts = it.sum_of_parts();
                for (x, y) in [(parts.cost, it.totals.cost), (parts.hours, it.totals.hours), (parts.km, it.totals.km), (parts.co2_kg, it.totals.co2_kg)] {
                    prop_assert!((x - y).abs() <= 1e-9 * y.abs().max(1.0));
                }
                // Consecutive rail legs of different gauge meet only at a
                // transfer that the itinerary lists, at a terminal that offers it.
                let mut prev: Option<&corridor_model::Leg> = None;
                for step in &it.steps {
                    match step {
                        corridor_model::Step::Leg(i) => {
                            let leg = &it.legs[*i];
                            if let Some(p) = prev {
                                prop_assert!(p.mode == leg.mode && p.gauge == leg.gauge, "layer changed without a transfer: {:?} -> {:?}", p, leg);
                            }
                            prev = Some(leg);
                        }
                        corridor_model::Step::Transfer(i) => {
                            let x = &it.transfers[*i];
                            let t = &net.terminals[net.terminal_id(&x.terminal).unwrap().index()];
                            let (fa, fb): (Layer, Layer) = (x.from_layer.parse().unwrap(), x.to_layer.parse().unwrap());
                            prop_assert!(t.open);
                            prop_assert!(t.transfers.iter().any(|(p, q)| (p.matches(&fa) && q.matches(&fb)) || (p.matches(&fb) && q.matches(&fa))));
                            prev = None;
                        }
                        corridor_model::Step::Border(_) => {}
                    }
                }
            }
            (Err(e), None) => prop_assert!(e.to_string().starts_with("no route"), "{e}"),
            (Ok(r), None) => prop_assert!(false, "engine found {:?} but the reference found nothing", r.itineraries[0].totals),
            (Err(e), Some(w)) => prop_assert!(false, "engine failed ({e}) but the reference found {w}"),
        }
    }

    #[test]
    fn dijkstra_on_the_lowered_graph_equals_bellman_ford(seed in 0u64..10_000, a in 0usize..1000) {
        let net = multimodal(&GenerateConfig::small(seed));
        let low = lower(&net, &LowerConfig::default());
        let from = NodeId::from_index(a % net.n_nodes());
        let table = ArcTable::new(&net, &low, &net.commodities[0], &Avoid::default());
        let w = table.weights(Objective::Cost, &net, &net.commodities[0]);
        let src: Vec<(VertexIdx, f64)> = low.source_vertices(from).map(|v| (v, 0.0)).collect();
        let mut sp = ShortestPath::new(low.n_vertices());
        sp.run(&low.csr, &w, &src, None);
        let bf = bellman_ford(&low.csr, &w, &src);
        for (v, &y) in bf.iter().enumerate() {
            let x = sp.dist(VertexIdx::from_index(v));
            prop_assert!(x == y || (x - y).abs() <= 1e-9 * y.abs().max(1.0), "vertex {v}: {x} vs {y}");
        }
        // Every arc's attributes are finite and non-negative.
        for o in &low.arc_origin {
            let x = arc_attrs(&net, &low, *o);
            prop_assert!(x.money >= 0.0 && x.hours >= 0.0 && x.km >= 0.0 && x.co2_kg >= 0.0);
        }
    }

    #[test]
    fn a_table_without_attributes_weighs_and_reports_arcs_as_a_full_one(seed in 0u64..10_000, o in 0usize..5, closed in 0usize..1000) {
        // What a one-objective route uses on a network of millions of links:
        // the same weights bit for bit, and each arc's figures on demand.
        let mut net = multimodal(&GenerateConfig::small(seed));
        let k = closed % net.n_links();
        net.links[k].open = false;
        let low = lower(&net, &LowerConfig::default());
        let objective = [Objective::Cost, Objective::Time, Objective::Distance, Objective::Co2, Objective::Generalised][o];
        let c = &net.commodities[0];
        let full = ArcTable::new(&net, &low, c, &Avoid::default());
        let (lazy, w) = ArcTable::weights_only(&net, &low, c, &Avoid::default(), objective);
        let expected = full.weights(objective, &net, c);
        prop_assert_eq!(w.len(), expected.len());
        for (a, (x, y)) in w.iter().zip(&expected).enumerate() {
            prop_assert_eq!(x.to_bits(), y.to_bits(), "arc {}", a);
            let arc = corridor_graph::ArcIdx::from_index(a);
            prop_assert_eq!(lazy.attrs_of(&net, &low, arc), full.attrs_of(&net, &low, arc));
        }
        prop_assert!(lazy.attrs.is_empty());
    }
}
