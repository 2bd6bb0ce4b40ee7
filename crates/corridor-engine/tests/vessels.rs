//! Vessel classes on sea lanes: routing tries every class a commodity may
//! use, keeps the best by the objective, never sails a class through a
//! passage it does not fit, and names the class on the sea legs.

use corridor_engine::{LowerConfig, Objective, RouteConfig, Shipment, lower, route};
use corridor_model::{
    Commodity, CommodityClass, Itinerary, Link, Mode, Network, Node, NodeKind, SEA_LANE_TAG,
};

/// A and B joined by a 1,000 km canal that ships up to 40 m beam fit, and
/// by 2,000 km of open sea through W.
fn two_ways() -> Network {
    let mut net = Network::new("two ways");
    for (id, lon) in [("A", 0.0), ("W", 5.0), ("B", 10.0)] {
        net.add_node(Node::new(id, NodeKind::Port, lon, 0.0, ""))
            .unwrap();
    }
    let (a, w, b) = (
        net.node_id("A").unwrap(),
        net.node_id("W").unwrap(),
        net.node_id("B").unwrap(),
    );
    let lane = |id: &str, from, to, km, tags: &[&str]| {
        let mut l = Link::new(id, from, to, Mode::Sea, None, km);
        l.tags = std::iter::once(SEA_LANE_TAG)
            .chain(tags.iter().copied())
            .map(String::from)
            .collect();
        l
    };
    net.add_link(lane(
        "canal",
        a,
        b,
        1000.0,
        &["passage", "passage=canal", "max_beam_m=40"],
    ))
    .unwrap();
    net.add_link(lane("aw", a, w, 1000.0, &[])).unwrap();
    net.add_link(lane("wb", w, b, 1000.0, &[])).unwrap();
    net.add_commodity(Commodity::new("boxes", CommodityClass::Container, 1.0))
        .unwrap();
    net.add_commodity(Commodity::new("grain", CommodityClass::Bulk, 0.1))
        .unwrap();
    net
}

fn best(net: &Network, commodity: &str, config: RouteConfig) -> Vec<Itinerary> {
    let low = lower(net, &LowerConfig::default());
    let s = Shipment {
        from: net.node_id("A").unwrap(),
        to: net.node_id("B").unwrap(),
        commodity: net.commodity_id(commodity).unwrap(),
        tonnes: 10.0,
    };
    route(net, &low, &s, &config).unwrap().itineraries
}

fn by(objective: Objective) -> RouteConfig {
    RouteConfig {
        objective,
        ..RouteConfig::default()
    }
}

fn vessel_and_km(it: &Itinerary) -> (String, f64) {
    (it.legs[0].vessel.clone().unwrap(), it.totals.km)
}

#[test]
fn the_cheapest_class_wins_and_a_wide_ship_avoids_the_narrow_canal() {
    let net = two_ways();
    // A large container ship (59 m beam) cannot take the canal; 2,000 km at
    // 0.002 EUR/tkm beats a feeder's 1,000 km at 0.008.
    let it = &best(&net, "boxes", by(Objective::Cost))[0];
    assert_eq!(vessel_and_km(it), ("large-container".into(), 2000.0));
    assert!((it.totals.cost - 10.0 * 2000.0 * 0.002).abs() < 1e-6);
    // By distance the feeder takes the canal.
    let it = &best(&net, "boxes", by(Objective::Distance))[0];
    assert_eq!(vessel_and_km(it), ("feeder-container".into(), 1000.0));
    // Bulk: a Capesize (45 m) does not fit, a Panamax through the canal
    // (1,000 km × 0.0017) beats a Capesize round (2,000 km × 0.0012).
    let it = &best(&net, "grain", by(Objective::Cost))[0];
    assert_eq!(vessel_and_km(it), ("panamax".into(), 1000.0));
    assert!((it.totals.hours - 1000.0 / (13.0 * 1.852)).abs() < 1e-6);
}

#[test]
fn a_commodity_limited_to_one_class_finds_no_way_when_it_fits_no_passage() {
    let mut net = two_ways();
    let c = net.commodity_id("grain").unwrap();
    net.commodities[c.index()].vessels = vec!["capesize".into()];
    let it = &best(&net, "grain", by(Objective::Distance))[0];
    assert_eq!(vessel_and_km(it), ("capesize".into(), 2000.0));
    let aw = net.link_id("aw").unwrap();
    net.links[aw.index()].open = false;
    let low = lower(&net, &LowerConfig::default());
    let s = Shipment {
        from: net.node_id("A").unwrap(),
        to: net.node_id("B").unwrap(),
        commodity: c,
        tonnes: 1.0,
    };
    let e = route(&net, &low, &s, &by(Objective::Cost))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("no vessel class") && e.contains("capesize"),
        "{e}"
    );
}

#[test]
fn pareto_sets_of_all_classes_are_merged() {
    let net = two_ways();
    let its = best(
        &net,
        "boxes",
        RouteConfig {
            pareto: true,
            ..RouteConfig::default()
        },
    );
    let v: Vec<_> = its.iter().map(vessel_and_km).collect();
    // Large ship round: cheap and slow; feeder through the canal: dear and fast.
    assert_eq!(
        v,
        [
            ("large-container".to_string(), 2000.0),
            ("feeder-container".to_string(), 1000.0)
        ]
    );
}

#[test]
fn sea_links_without_the_tag_keep_the_mode_defaults_and_name_no_class() {
    let mut net = two_ways();
    for l in &mut net.links {
        l.tags.retain(|t| t != SEA_LANE_TAG);
    }
    let it = &best(&net, "boxes", by(Objective::Cost))[0];
    assert_eq!(it.legs[0].vessel, None);
    assert_eq!(it.totals.km, 1000.0, "the limit tag binds only a class");
    assert!((it.totals.cost - 10.0 * 1000.0 * 0.008).abs() < 1e-6);
}

/// A (draught 9.4 m) joined to the lanes at W by a connector that is no
/// sea lane, as `merge` joins a port: the port's limit binds every class.
#[test]
fn a_shallow_port_takes_only_the_classes_that_fit_its_draught() {
    let mut net = two_ways();
    let a = net.node_id("A").unwrap();
    net.nodes[a.index()]
        .tags
        .push(format!("{}=9.4", corridor_model::PORT_DRAUGHT_TAG));
    let grain = net.commodity_id("grain").unwrap();
    // Only the river-sea class (4.5 m) fits 9.4 m among the bulk classes.
    let it = &best(&net, "grain", by(Objective::Cost))[0];
    assert_eq!(it.legs[0].vessel.as_deref(), Some("river-sea"));
    // Forced to a Capesize: no route, and the message names the port.
    let low = lower(&net, &LowerConfig::default());
    let s = Shipment {
        from: a,
        to: net.node_id("B").unwrap(),
        commodity: grain,
        tonnes: 1.0,
    };
    let forced = RouteConfig {
        vessel: corridor_model::VesselClass::by_id("capesize"),
        ..RouteConfig::default()
    };
    let e = route(&net, &low, &s, &forced).unwrap_err().to_string();
    assert!(
        e.contains("capesize") && e.contains("port A max draught 9.4 m"),
        "{e}"
    );
    // A class the commodity may not use is refused as such.
    let boxes = RouteConfig {
        vessel: corridor_model::VesselClass::by_id("large-container"),
        ..RouteConfig::default()
    };
    let e = route(&net, &low, &s, &boxes).unwrap_err().to_string();
    assert!(e.contains("large-container may not carry grain"), "{e}");
}

/// Each class fits part of the way: a Panamax (beam 32.2 m) the strait
/// W–B of 32.25 m beam, a Supramax (draught 12.8 m) the port A of 13 m. No
/// one class sails A–W–B (the canal closed), and the error says so rather
/// than "disconnected".
#[test]
fn no_single_class_fitting_the_whole_way_is_named() {
    let mut net = two_ways();
    let canal = net.link_id("canal").unwrap();
    net.links[canal.index()].open = false;
    let wb = net.link_id("wb").unwrap();
    net.links[wb.index()].tags.push("max_beam_m=32.25".into());
    let a = net.node_id("A").unwrap();
    net.nodes[a.index()]
        .tags
        .push(format!("{}=13", corridor_model::PORT_DRAUGHT_TAG));
    let b = net.node_id("B").unwrap();
    let grain = net.commodity_id("grain").unwrap();
    net.commodities[grain.index()].vessels = vec!["supramax".into(), "panamax".into()];
    let low = lower(&net, &LowerConfig::default());
    let s = Shipment {
        from: a,
        to: b,
        commodity: grain,
        tonnes: 1.0,
    };
    let e = route(&net, &low, &s, &by(Objective::Cost))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("no vessel class that may carry grain (supramax, panamax) fits every passage and port on the way"),
        "{e}"
    );
}

/// Forcing a class takes it even where another is cheaper.
#[test]
fn a_forced_class_sails_every_sea_leg() {
    let net = two_ways();
    let forced = RouteConfig {
        vessel: corridor_model::VesselClass::by_id("feeder-container"),
        ..RouteConfig::default()
    };
    let it = &best(&net, "boxes", forced)[0];
    assert_eq!(vessel_and_km(it), ("feeder-container".into(), 1000.0));
    assert!((it.totals.cost - 10.0 * 1000.0 * 0.008).abs() < 1e-6);
}

/// Demand on the two ways: boxes and grain A→B, grain A→W.
fn sea_demand(net: &Network) -> Vec<corridor_model::demand::DemandRow> {
    let row = |from: &str, to: &str, c: &str, t: f64| corridor_model::demand::DemandRow {
        origin: net.node_id(from).unwrap(),
        destination: net.node_id(to).unwrap(),
        commodity: c.into(),
        amount: t,
        source: None,
    };
    vec![
        row("A", "B", "boxes", 100.0),
        row("A", "B", "grain", 50.0),
        row("A", "W", "grain", 30.0),
    ]
}

fn assign_by_cost(
    net: &Network,
    vessel: Option<&'static corridor_model::VesselClass>,
) -> corridor_model::results::FreightAssignResult {
    use corridor_engine::{AssignConfig, CostTerms, Method};
    let config = AssignConfig {
        method: Method::AllOrNothing,
        costs: Some(CostTerms::Freight {
            minimize: Objective::Cost,
            vessel,
        }),
        ..AssignConfig::default()
    };
    let rows = sea_demand(net);
    let report = corridor_engine::assign::assign(net, &rows, &config, &mut |_| {}).unwrap();
    match report.to_result(net, 1e-5, rows.len()) {
        corridor_model::results::AssignResult::Freight(f) => f,
        other => panic!("{other:?}"),
    }
}

/// `assign` splits a commodity by the class `route` picks per pair: grain
/// A→B by Panamax through the canal, A→W by Capesize; boxes by the large
/// ship round through W. The flows, costs and classes are `route`'s.
#[test]
fn assign_sails_each_pair_in_the_class_route_picks() {
    let net = two_ways();
    let r = assign_by_cost(&net, None);
    let flow = |id: &str| {
        let l = r.links.iter().find(|l| l.id == id).unwrap();
        (
            l.flow_by_commodity.get("boxes").copied().unwrap_or(0.0),
            l.flow_by_commodity.get("grain").copied().unwrap_or(0.0),
        )
    };
    assert_eq!(flow("canal"), (0.0, 50.0));
    assert_eq!(flow("aw"), (100.0, 30.0));
    assert_eq!(flow("wb"), (100.0, 0.0));
    let load = |c: &str| r.commodities.iter().find(|l| l.commodity == c).unwrap();
    let grain = load("grain");
    assert_eq!(r.commodities.len(), 2, "one row per commodity");
    assert_eq!(grain.t_per_day, 80.0);
    assert_eq!(grain.vessels.get("panamax"), Some(&50.0));
    assert_eq!(grain.vessels.get("capesize"), Some(&30.0));
    // 50 t × 1,000 km × 0.0017 + 30 t × 1,000 km × 0.0012 EUR/tkm.
    assert!(
        (grain.total_cost - 121.0).abs() < 1e-6,
        "{}",
        grain.total_cost
    );
    // Each pair at `route`'s cost per tonne.
    let a_b = &best(&net, "grain", by(Objective::Cost))[0];
    assert!((a_b.totals.cost / 10.0 * 50.0 - 85.0).abs() < 1e-6);
    let boxes = load("boxes");
    assert_eq!(boxes.vessels.get("large-container"), Some(&100.0));
    assert!((boxes.total_cost - 100.0 * 2000.0 * 0.002).abs() < 1e-6);
    // Forced: every grain pair by Supramax, which fits the canal (32.3 m).
    let r = assign_by_cost(&net, corridor_model::VesselClass::by_id("supramax"));
    let grain = r
        .commodities
        .iter()
        .find(|l| l.commodity == "grain")
        .unwrap();
    assert_eq!(grain.vessels.keys().collect::<Vec<_>>(), ["supramax"]);
    assert!((grain.total_cost - 80.0 * 1000.0 * 0.0022).abs() < 1e-6);
}

/// `skim` gives each pair `route`'s class and totals.
#[test]
fn skim_rows_name_the_class_route_picks() {
    use corridor_model::SkimQuery;
    let net = two_ways();
    let mut q = SkimQuery::new(vec!["A".into()], vec!["B".into(), "W".into()]);
    q.commodity = Some("grain".into());
    let rows = corridor_engine::answer::skim(&net, &q).unwrap().rows;
    assert_eq!(rows[0].vessel.as_deref(), Some("panamax"));
    assert!((rows[0].cost.unwrap() - 1.7).abs() < 1e-9);
    assert_eq!(rows[1].vessel.as_deref(), Some("capesize"));
    assert!((rows[1].cost.unwrap() - 1.2).abs() < 1e-9);
    let it = &best(&net, "grain", by(Objective::Cost))[0];
    assert!((rows[0].cost.unwrap() * 10.0 - it.totals.cost).abs() < 1e-9);
    q.engine = corridor_model::RoutingEngine::Cch;
    let again = corridor_engine::answer::skim(&net, &q).unwrap().rows;
    assert_eq!(again, rows, "the hierarchy agrees");
    q.vessel = Some("handysize".into());
    let rows = corridor_engine::answer::skim(&net, &q).unwrap().rows;
    assert!(
        rows.iter()
            .all(|r| r.vessel.as_deref() == Some("handysize"))
    );
    assert!((rows[0].cost.unwrap() - 3.0).abs() < 1e-9);
    q.vessel = Some("yacht".into());
    let e = corridor_engine::answer::skim(&net, &q)
        .unwrap_err()
        .to_string();
    assert!(e.contains("unknown vessel class \"yacht\""), "{e}");
}

/// `capacity` prices each sea arc by the cheapest permitted class that fits
/// it: grain A→B by the canal at a Panamax's 1.7 EUR/t and round W at a
/// Capesize's 2.4, as `route` prices those ways. A port too shallow for
/// every class closes; one that takes only river–sea ships makes its own
/// arcs river–sea, while the flow may change class at W (the documented
/// relaxation, which a note states).
#[test]
fn capacity_prices_each_sea_arc_by_the_cheapest_class_that_fits() {
    use corridor_model::{CapacityQuery, Endpoint};
    let mut net = two_ways();
    for l in &mut net.links {
        l.capacity_t_per_day = Some(1000.0);
    }
    let q = CapacityQuery {
        from: vec![Endpoint::new("A")],
        to: vec![Endpoint::new("B")],
        commodity: Some("grain".into()),
        ..CapacityQuery::default()
    };
    let r = corridor_engine::capacity_query(&net, &q).unwrap();
    assert_eq!(r.max_flow, 2000.0);
    assert!(
        (r.cost_per_unit - (1.7 + 2.4) / 2.0).abs() < 1e-9,
        "{}",
        r.cost_per_unit
    );
    assert!(
        r.notes.iter().any(|n| n.starts_with("sea lanes:")),
        "{:?}",
        r.notes
    );
    let a = net.node_id("A").unwrap();
    net.nodes[a.index()].tags.push("max_draught_m=9.4".into());
    let r = corridor_engine::capacity_query(&net, &q).unwrap();
    assert_eq!(r.max_flow, 2000.0);
    assert!(
        (r.cost_per_unit - (10.0 + 10.0 + 1.2) / 2.0).abs() < 1e-9,
        "{}",
        r.cost_per_unit
    );
    net.nodes[a.index()].tags = vec!["max_draught_m=3".into()];
    let r = corridor_engine::capacity_query(&net, &q).unwrap();
    assert_eq!(r.max_flow, 0.0);
}
