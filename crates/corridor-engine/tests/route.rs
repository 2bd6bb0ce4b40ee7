//! Routing on tiny named fixtures: gauge changes only at terminals,
//! closures and bans explained, objectives, via, avoid and Pareto sets.

use corridor_engine::{
    Avoid, Error, LowerConfig, NamedObstacle, NoRouteReason, NodeRef, Objective, RouteConfig,
    Shipment, lower, route,
};
use corridor_fixtures::networks::gauge_break;
use corridor_model::Network;

fn shipment(net: &Network, from: &str, to: &str, commodity: &str) -> Shipment {
    Shipment {
        from: net.node_id(from).unwrap(),
        to: net.node_id(to).unwrap(),
        commodity: net.commodity_id(commodity).unwrap(),
        tonnes: 100.0,
    }
}

fn by(objective: Objective) -> RouteConfig {
    RouteConfig {
        objective,
        ..RouteConfig::default()
    }
}

#[test]
fn cheapest_route_changes_gauge_at_the_terminal_and_crosses_once() {
    let net = gauge_break();
    let low = lower(&net, &LowerConfig::default());
    let r = route(
        &net,
        &low,
        &shipment(&net, "east", "west", "grain"),
        &by(Objective::Cost),
    )
    .unwrap();
    let it = &r.itineraries[0];
    let modes: Vec<String> = it
        .legs
        .iter()
        .map(|l| format!("{}:{:?}", l.mode, l.gauge))
        .collect();
    assert_eq!(modes, ["rail:Some(1520)", "rail:Some(1435)"]);
    assert_eq!(it.transfers.len(), 1);
    assert_eq!(it.transfers[0].from_layer, "rail:1520");
    assert_eq!(it.transfers[0].to_layer, "rail:1435");
    assert_eq!(it.borders.len(), 1);
    // 200 km of rail at 0.04/tkm + 5 handling + 1 fee, per tonne, × 100 t.
    assert!(
        (it.totals.cost - (200.0 * 0.04 + 5.0 + 1.0) * 100.0).abs() < 1e-9,
        "{}",
        it.totals.cost
    );
    let parts = it.sum_of_parts();
    assert!((parts.cost - it.totals.cost).abs() < 1e-9);
    assert!((parts.hours - it.totals.hours).abs() < 1e-9);
}

#[test]
fn fastest_route_takes_the_road() {
    let net = gauge_break();
    let low = lower(&net, &LowerConfig::default());
    let r = route(
        &net,
        &low,
        &shipment(&net, "east", "west", "grain"),
        &by(Objective::Time),
    )
    .unwrap();
    let it = &r.itineraries[0];
    // The border crossing splits the road journey into two legs.
    assert_eq!(it.legs.len(), 2, "{:?}", it.legs);
    assert!(it.legs.iter().all(|l| l.mode == corridor_model::Mode::Road));
    assert_eq!(it.legs[0].links, ["d1"]);
    assert_eq!(it.legs[1].links, ["d2"]);
    assert_eq!(it.borders.len(), 1);
    assert!(matches!(it.steps[1], corridor_model::Step::Border(0)));
}

#[test]
fn without_the_terminal_rail_cannot_change_gauge() {
    let mut net = gauge_break();
    net.terminals[0].open = false;
    let low = lower(&net, &LowerConfig::default());
    let r = route(
        &net,
        &low,
        &shipment(&net, "east", "west", "grain"),
        &by(Objective::Cost),
    )
    .unwrap();
    assert!(
        r.itineraries[0]
            .legs
            .iter()
            .all(|l| l.mode == corridor_model::Mode::Road)
    );
    // Close the road too: the explanation names the closed terminal.
    let d2 = net.link_id("d2").unwrap();
    net.links[d2.index()].open = false;
    let err = route(
        &net,
        &low,
        &shipment(&net, "east", "west", "grain"),
        &by(Objective::Cost),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("terminal \"gc\""), "{err}");
    assert!(err.contains("is closed"), "{err}");
}

#[test]
fn closed_border_is_never_crossed_and_is_named() {
    let mut net = gauge_break();
    net.borders[0].open = false;
    let low = lower(&net, &LowerConfig::default());
    let err = route(
        &net,
        &low,
        &shipment(&net, "east", "west", "grain"),
        &by(Objective::Cost),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("border \"ua-pl\" (UA–PL) is closed"), "{err}");
}

#[test]
fn missing_gauge_change_is_explained() {
    let mut net = gauge_break();
    net.terminals.clear();
    net.reindex().unwrap();
    net.links[2].open = false; // road east-brd
    let low = lower(&net, &LowerConfig::default());
    let err = route(
        &net,
        &low,
        &shipment(&net, "east", "west", "grain"),
        &by(Objective::Cost),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("changes rail:1520 to rail:1435"), "{err}");
}

#[test]
fn avoid_and_via_are_honoured() {
    let net = gauge_break();
    let low = lower(&net, &LowerConfig::default());
    let s = shipment(&net, "east", "west", "grain");
    let mut c = by(Objective::Cost);
    c.avoid = Avoid::resolve(&net, &["r2".to_string()]).unwrap();
    let it = &route(&net, &low, &s, &c).unwrap().itineraries[0];
    assert!(it.legs.iter().all(|l| !l.links.contains(&"r2".to_string())));
    // Avoiding the origin's country is refused.
    c.avoid = Avoid::resolve(&net, &["UA".to_string()]).unwrap();
    assert!(route(&net, &low, &s, &c).is_err());
    // Via the border node is fine and gives the same cost as without.
    let mut v = by(Objective::Cost);
    let direct = route(&net, &low, &s, &v).unwrap().itineraries[0]
        .totals
        .cost;
    v.via = vec![net.node_id("brd").unwrap()];
    let via = route(&net, &low, &s, &v).unwrap().itineraries[0]
        .totals
        .cost;
    assert!((direct - via).abs() < 1e-9);
}

#[test]
fn bans_are_respected() {
    let mut net = gauge_break();
    net.borders[0].commodities.banned.push("dangerous".into());
    let low = lower(&net, &LowerConfig::default());
    let err = route(
        &net,
        &low,
        &shipment(&net, "east", "west", "fuel"),
        &by(Objective::Cost),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("does not let fuel (dangerous) cross"), "{err}");
    assert!(
        route(
            &net,
            &low,
            &shipment(&net, "east", "west", "grain"),
            &by(Objective::Cost)
        )
        .is_ok()
    );
}

#[test]
fn pareto_lists_rail_and_road() {
    let net = gauge_break();
    let low = lower(&net, &LowerConfig::default());
    let s = shipment(&net, "east", "west", "grain");
    let c = RouteConfig {
        pareto: true,
        ..by(Objective::Cost)
    };
    let its = route(&net, &low, &s, &c).unwrap().itineraries;
    assert_eq!(its.len(), 2, "{its:#?}");
    assert!(its[0].totals.cost < its[1].totals.cost);
    assert!(its[0].totals.hours > its[1].totals.hours);
}

#[test]
fn every_blocked_way_is_listed() {
    let mut net = gauge_break();
    net.terminals[0].open = false;
    net.links[2].commodities.banned.push("fuel".into()); // road east-brd
    let low = lower(&net, &LowerConfig::default());
    let err = route(
        &net,
        &low,
        &shipment(&net, "east", "west", "fuel"),
        &by(Objective::Cost),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("every way is blocked"), "{err}");
    assert!(err.contains("terminal \"gc\" at brd is closed"), "{err}");
    assert!(
        err.contains("link \"d1\" does not carry fuel (dangerous)"),
        "{err}"
    );
}

#[test]
fn no_route_carries_its_obstacles_as_data() {
    let mut net = gauge_break();
    net.terminals[0].open = false;
    net.links[2].commodities.banned.push("fuel".into()); // road east-brd
    let low = lower(&net, &LowerConfig::default());
    let err = route(
        &net,
        &low,
        &shipment(&net, "east", "west", "fuel"),
        &by(Objective::Cost),
    )
    .unwrap_err();
    let message = err.to_string();
    let Error::NoRoute(why) = err else {
        panic!("not a no-route error: {message}");
    };
    assert_eq!((why.from.id.as_str(), why.to.id.as_str()), ("east", "west"));
    let NoRouteReason::Blocked { ways } = &why.reason else {
        panic!("{:?}", why.reason);
    };
    let brd = NodeRef {
        id: "brd".into(),
        name: "brd".into(),
    };
    assert_eq!(
        ways,
        &[
            vec![NamedObstacle::MissingTransfer {
                at: brd.clone(),
                from: "rail:1520".into(),
                to: "road".into(),
            }],
            vec![NamedObstacle::TerminalClosed {
                terminal: "gc".into(),
                at: brd,
            }],
            vec![NamedObstacle::LinkBans {
                link: "d1".into(),
                commodity: "fuel".into(),
                class: "dangerous".into(),
            }],
        ]
    );
    // The message is the one the CLI has always printed.
    assert_eq!(
        message,
        "no route for fuel from east to west; every way is blocked:\n  - no terminal at brd changes rail:1520 to road\n  - terminal \"gc\" at brd is closed\n  - link \"d1\" does not carry fuel (dangerous)"
    );
}

/// The best itinerary of 100 t of grain from east to west.
fn grain_east_to_west(net: &Network, objective: Objective) -> corridor_model::Itinerary {
    let low = lower(net, &LowerConfig::default());
    let mut r = route(
        net,
        &low,
        &shipment(net, "east", "west", "grain"),
        &by(objective),
    )
    .unwrap();
    r.itineraries.swap_remove(0)
}

/// A border's money is its fee plus its dwell priced at the mode's waiting
/// cost (the vehicle held there), for the `cost` objective and the
/// itinerary's border step alike; and a dear wait sends cargo the other way.
#[test]
fn a_border_costs_its_dwell_at_the_modes_waiting_cost() {
    let mut net = gauge_break();
    net.defaults.rail.waiting_cost_per_t_h = 0.5;
    net.defaults.road.waiting_cost_per_t_h = 2.0;
    let it = &grain_east_to_west(&net, Objective::Cost);
    assert_eq!(it.borders.len(), 1);
    let b = &it.borders[0];
    assert_eq!(b.mode, corridor_model::Mode::Rail);
    // 10 h of dwell × 0.5 per t·h × 100 t; the fee stays 1 per t.
    assert!((b.waiting_cost - 10.0 * 0.5 * 100.0).abs() < 1e-9, "{b:?}");
    assert!((b.fees - 100.0).abs() < 1e-9, "{b:?}");
    assert!((b.hours - 10.0).abs() < 1e-9);
    // Rail: 200 km at 0.04 + 5 handling + 1 fee + 10 h × 0.5, per tonne.
    let rail = 200.0 * 0.04 + 5.0 + 1.0 + 10.0 * 0.5;
    assert!(
        (it.totals.cost - rail * 100.0).abs() < 1e-9,
        "{}",
        it.totals.cost
    );
    assert!((it.sum_of_parts().cost - it.totals.cost).abs() < 1e-9);

    // Road: 180 km at 0.10 + 1 fee + 10 h × its waiting cost. At 0 a
    // truck's wait is free and road (19 per t) beats rail's 19 + 3 × 10
    // (wagons at 3 per t·h).
    net.defaults.road.waiting_cost_per_t_h = 0.0;
    net.defaults.rail.waiting_cost_per_t_h = 3.0;
    let it = &grain_east_to_west(&net, Objective::Cost);
    assert!(it.legs.iter().all(|l| l.mode == corridor_model::Mode::Road));
    let road = 180.0 * 0.10 + 1.0;
    assert!(
        (it.totals.cost - road * 100.0).abs() < 1e-9,
        "{}",
        it.totals.cost
    );
    assert_eq!(it.borders[0].waiting_cost, 0.0);
}

/// Under `generalised` the dwell counts twice, and only twice: once as the
/// vehicle's waiting money, once as the cargo's value of time.
#[test]
fn generalised_cost_adds_the_cargos_value_of_time_to_the_vehicles_wait() {
    let mut net = gauge_break();
    net.defaults.rail.waiting_cost_per_t_h = 0.5;
    net.defaults.road.waiting_cost_per_t_h = 100.0;
    let it = &grain_east_to_west(&net, Objective::Generalised);
    assert!(it.legs.iter().all(|l| l.mode == corridor_model::Mode::Rail));
    // Per tonne: 200 km of rail (0.04 per t·km, 30 km/h, 0.020 kg CO2 per
    // t·km), the gauge change (5 money, 6 h, 1 kg CO2) and the border (fee
    // 1, 10 h). Grain's value of time is 0.05 per t·h.
    let money = 200.0 * 0.04 + 5.0 + 1.0 + 10.0 * 0.5;
    let hours = 200.0 / 30.0 + 6.0 + 10.0;
    let co2_kg = 200.0 * 0.020 + 1.0;
    let want = money + 0.05 * hours + net.carbon_price_per_t * co2_kg / 1000.0;
    assert!(
        (it.totals.generalised - want * 100.0).abs() < 1e-6,
        "{} vs {}",
        it.totals.generalised,
        want * 100.0
    );
}
