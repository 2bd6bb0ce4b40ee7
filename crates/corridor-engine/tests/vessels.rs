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
