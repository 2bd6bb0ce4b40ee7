//! Result writers: GeoJSON of a network and of an itinerary (RFC 7946:
//! lon, lat order, parseable back), the itinerary text table and JSON.
//! Itineraries here are built by hand on the triangle example so these
//! tests do not depend on the routing engine.

use corridor_io::{itinerary_geojson, itinerary_text, network_geojson, read_network, report};
use corridor_model::{
    BorderCrossing, Itinerary, Leg, Mode, Network, RouteResult, Step, Totals, Transfer,
};
use std::path::Path;

fn triangle() -> Network {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/triangle.toml");
    read_network(&p).unwrap().into_network().unwrap()
}

fn leg(mode: Mode, gauge: Option<u16>, from: &str, to: &str, links: &[&str], x: f64) -> Leg {
    Leg {
        mode,
        gauge,
        from: from.into(),
        to: to.into(),
        km: 100.0 * x,
        hours: 2.0 * x,
        cost: 1000.0 * x,
        co2_kg: 10.0 * x,
        links: links.iter().map(|s| s.to_string()).collect(),
        vessel: None,
    }
}

/// kyiv → dorohusk (1520) → border → gauge change → gdansk (1435).
fn rail_itinerary() -> Itinerary {
    let legs = vec![
        leg(
            Mode::Rail,
            Some(1520),
            "kyiv",
            "dorohusk",
            &["rail-kyiv-dorohusk"],
            1.0,
        ),
        leg(
            Mode::Rail,
            Some(1435),
            "dorohusk",
            "gdansk",
            &["rail-dorohusk-gdansk"],
            2.0,
        ),
    ];
    let transfers = vec![Transfer {
        at: "dorohusk".into(),
        terminal: "terminal-dorohusk-gauge".into(),
        from_layer: "rail:1520".into(),
        to_layer: "rail:1435".into(),
        hours: 24.0,
        cost: 12000.0,
        co2_kg: 1500.0,
    }];
    let borders = vec![BorderCrossing {
        at: "dorohusk".into(),
        border: "border-yahodyn-dorohusk".into(),
        countries: ["UA".into(), "PL".into()],
        mode: Mode::Rail,
        hours: 8.0,
        fees: 1500.0,
        waiting_cost: 400.0,
    }];
    let mut it = Itinerary {
        from: "kyiv".into(),
        to: "gdansk".into(),
        commodity: "grain".into(),
        tonnes: 1000.0,
        minimize: "cost".into(),
        totals: Totals::default(),
        legs,
        transfers,
        borders,
        steps: vec![
            Step::Leg(0),
            Step::Border(0),
            Step::Transfer(0),
            Step::Leg(1),
        ],
        snap_km: None,
    };
    it.totals = it.sum_of_parts();
    it
}

fn coords_of(f: &geojson::Feature) -> Vec<Vec<f64>> {
    let v = serde_json::to_value(f.geometry.as_ref().unwrap()).unwrap();
    let c = &v["coordinates"];
    if c[0].is_array() {
        serde_json::from_value(c.clone()).unwrap()
    } else {
        vec![serde_json::from_value(c.clone()).unwrap()]
    }
}

#[test]
fn network_geojson_has_every_element_in_lon_lat_order_and_parses_back() {
    let net = triangle();
    let fc: geojson::FeatureCollection = network_geojson(&net).parse().unwrap();
    let n = net.nodes.len() + net.links.len() + net.terminals.len() + net.borders.len();
    assert_eq!(fc.features.len(), n);
    let text = serde_json::to_string(&fc).unwrap();
    let back: geojson::GeoJson = text.parse().unwrap();
    assert!(matches!(back, geojson::GeoJson::FeatureCollection(_)));
    let kyiv = fc
        .features
        .iter()
        .find(|f| f.property("id").and_then(|v| v.as_str()) == Some("kyiv"))
        .unwrap();
    let k = net.node(net.node_id("kyiv").unwrap());
    assert_eq!(coords_of(kyiv), vec![vec![k.lon, k.lat]]);
    for f in &fc.features {
        for c in coords_of(f) {
            assert!((-180.0..=180.0).contains(&c[0]) && (-90.0..=90.0).contains(&c[1]));
        }
        assert!(f.property("element").is_some());
    }
    let link = fc
        .features
        .iter()
        .find(|f| f.property("id").and_then(|v| v.as_str()) == Some("rail-kyiv-dorohusk"))
        .unwrap();
    assert_eq!(link.property("gauge").unwrap(), 1520);
    assert_eq!(link.property("mode").unwrap(), "rail");
    let l = net.link(net.link_id("rail-kyiv-dorohusk").unwrap());
    let cost = link.property("cost_per_t").unwrap().as_f64().unwrap();
    assert!((cost - net.link_cost_per_t(l)).abs() < 1e-9);
}

#[test]
fn itinerary_geojson_follows_links_in_travel_direction() {
    let net = triangle();
    let mut it = rail_itinerary();
    let fc = itinerary_geojson(&net, &it);
    let legs: Vec<_> = fc
        .features
        .iter()
        .filter(|f| f.property("element").unwrap() == "leg")
        .collect();
    assert_eq!(legs.len(), 2);
    let kyiv = net.node(net.node_id("kyiv").unwrap());
    assert_eq!(coords_of(legs[0])[0], vec![kyiv.lon, kyiv.lat]);
    let totals = &fc.foreign_members.as_ref().unwrap()["properties"]["totals"];
    assert_eq!(totals["cost"].as_f64().unwrap(), it.totals.cost);
    for kind in ["transfer", "crossing", "origin", "destination"] {
        assert!(
            fc.features
                .iter()
                .any(|f| f.property("element").unwrap() == kind),
            "{kind}"
        );
    }
    // The same link used backwards is drawn from gdansk.
    it.legs[1] = leg(
        Mode::Rail,
        Some(1435),
        "gdansk",
        "dorohusk",
        &["rail-dorohusk-gdansk"],
        1.0,
    );
    let fc = itinerary_geojson(&net, &it);
    let back = fc
        .features
        .iter()
        .filter(|f| f.property("element").unwrap() == "leg")
        .nth(1)
        .unwrap();
    let g = net.node(net.node_id("gdansk").unwrap());
    assert_eq!(coords_of(back)[0], vec![g.lon, g.lat]);
}

#[test]
fn itinerary_geojson_survives_ids_the_network_does_not_know() {
    let net = triangle();
    let mut it = rail_itinerary();
    it.legs[0].links = vec!["no-such-link".into()];
    it.transfers[0].at = "atlantis".into();
    let fc = itinerary_geojson(&net, &it);
    assert!(serde_json::to_string(&fc).is_ok());
}

#[test]
fn text_table_lists_steps_in_travel_order_then_totals() {
    let it = rail_itinerary();
    let text = itinerary_text(&it, "EUR");
    let lines: Vec<&str> = text.lines().collect();
    let pos = |needle: &str| {
        lines
            .iter()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle} missing in\n{text}"))
    };
    assert!(pos("kyiv → dorohusk") < pos("UA–PL"));
    assert!(pos("UA–PL") < pos("terminal-dorohusk-gauge"));
    assert!(pos("terminal-dorohusk-gauge") < pos("dorohusk → gdansk"));
    let total = lines[pos("total")];
    assert!(total.contains(&format!("{:.2}", it.totals.cost)), "{total}");
    assert!(total.contains(&format!("{:.1}", it.totals.km)), "{total}");
    assert!(text.contains("cost EUR"));
    // Fixed width: every table row is as wide as the header or narrower.
    let header = lines[pos("step")];
    let width = header.chars().count();
    assert!(lines[pos("kyiv → dorohusk")].chars().count() <= width + 20);
}

#[test]
fn json_has_the_issue_2_shape() {
    let it = rail_itinerary();
    let json = |r: &RouteResult| -> serde_json::Value {
        serde_json::from_str(&report::json(r).unwrap()).unwrap()
    };
    let v = json(&RouteResult {
        itineraries: vec![it.clone()],
    });
    for key in [
        "from",
        "to",
        "commodity",
        "tonnes",
        "totals",
        "legs",
        "transfers",
        "borders",
    ] {
        assert!(v.get(key).is_some(), "{key}");
    }
    for key in ["cost", "hours", "km", "co2_kg"] {
        assert!(v["totals"][key].is_number(), "{key}");
    }
    assert_eq!(v["legs"][0]["gauge"], 1520);
    assert_eq!(v["legs"][0]["links"][0], "rail-kyiv-dorohusk");
    assert_eq!(v["transfers"][0]["from_layer"], "rail:1520");
    assert_eq!(v["borders"][0]["countries"][1], "PL");
    let pareto = Itinerary {
        minimize: "pareto".into(),
        ..it
    };
    let many = json(&RouteResult {
        itineraries: vec![pareto.clone(), pareto],
    });
    assert_eq!(many["itineraries"].as_array().unwrap().len(), 2);
    assert_eq!(many["from"], "kyiv");
}

#[test]
fn a_sea_leg_names_its_vessel_class_in_text_json_and_geojson() {
    let net = triangle();
    let mut it = rail_itinerary();
    it.legs[1].mode = Mode::Sea;
    it.legs[1].gauge = None;
    it.legs[1].vessel = Some("supramax".into());
    assert!(itinerary_text(&it, "EUR").contains("sea (supramax)"));
    let json = serde_json::to_value(&it).unwrap();
    assert_eq!(json["legs"][1]["vessel"], "supramax");
    assert!(json["legs"][0].get("vessel").is_none(), "only when known");
    let fc = itinerary_geojson(&net, &it);
    let legs: Vec<_> = fc
        .features
        .iter()
        .filter(|f| f.property("element").unwrap() == "leg")
        .collect();
    assert_eq!(legs[1].property("vessel").unwrap(), "supramax");
    assert!(legs[0].property("vessel").is_none());
}
