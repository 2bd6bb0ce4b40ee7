//! The shipped inland waterway layer end to end: imported, merged with an
//! OpenStreetMap extract of an inland Danube town (Krems, © OpenStreetMap
//! contributors, ODbL 1.0), the sea lanes and the ports, a shipment from
//! the town reaches the Black Sea by the river; and the river wins where it
//! is cheapest, not where it is slowest.

use corridor_engine::merge::{Land, MergeConfig, merge};
use corridor_engine::snap::resolve_place;
use corridor_engine::{LowerConfig, Objective, RouteConfig, Shipment, lower, route};
use corridor_io::countries::CountryIndex;
use corridor_io::osm::{OsmConfig, import_osm};
use corridor_model::{Itinerary, Link, Mode, Network};
use std::path::PathBuf;

mod csv_text;

fn data(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data")
        .join(rel)
}

fn best(net: &Network, from: &str, to: &str, objective: Objective) -> Itinerary {
    let (a, _) = resolve_place(net, from).unwrap();
    let (b, _) = resolve_place(net, to).unwrap();
    let low = lower(net, &LowerConfig::default());
    let shipment = Shipment {
        from: a,
        to: b,
        commodity: net.commodity_id("bulk").unwrap(),
        tonnes: 1000.0,
    };
    let config = RouteConfig {
        objective,
        ..RouteConfig::default()
    };
    route(net, &low, &shipment, &config)
        .unwrap()
        .itineraries
        .remove(0)
}

fn km_by_mode(it: &Itinerary, mode: Mode) -> f64 {
    it.legs
        .iter()
        .filter(|l| l.mode == mode)
        .map(|l| l.km)
        .sum()
}

/// The four layers of the Krems-to-the-sea checks: the Krems OSM extract,
/// the shipped waterways, the searoute lanes and ports, named as `corridor
/// merge` names them.
fn krems_waterways_sea_and_ports() -> Vec<(String, Network)> {
    let krems = import_osm(
        &data("osm/krems.graphhopper.osm.gz"),
        &OsmConfig::default(),
        Some(&CountryIndex::shipped()),
        &mut |_| {},
    )
    .unwrap()
    .network;
    let (rivers, _) = corridor_io::waterways::shipped();
    let (sea, _) = corridor_io::sea::read_sea_lanes(
        &data("searoute/marnet_searoute.geojson"),
        &corridor_io::sea::DEFAULT_CLOSED_PASSAGES.map(String::from),
    )
    .unwrap();
    let (ports, _) =
        corridor_io::ports::read_ports(&data("searoute/searoute_ports.geojson")).unwrap();
    vec![
        ("krems".to_string(), krems),
        ("waterways".to_string(), rivers),
        ("sea".to_string(), sea),
        ("ports".to_string(), ports),
    ]
}

#[test]
fn krems_reaches_the_black_sea_by_the_danube_after_merge() {
    let inputs = krems_waterways_sea_and_ports();
    let (net, report) = merge(inputs, &MergeConfig::default()).unwrap();
    // The river port of Krems joins the town's railway and roads.
    assert!(
        report
            .joined
            .iter()
            .any(|j| j.node == "ww-krems" && j.layer.mode == Mode::Rail),
        "{:?}",
        report
            .joined
            .iter()
            .filter(|j| j.node.starts_with("ww-"))
            .collect::<Vec<_>>()
    );
    // Krems station to Istanbul: rail to the river port, the Danube down to
    // the Black Sea, then the sea.
    let it = best(&net, "Krems a.d. Donau", "TRIST", Objective::Cost);
    let modes: Vec<Mode> = it.legs.iter().map(|l| l.mode).collect();
    assert!(modes.contains(&Mode::River), "{modes:?}");
    assert_eq!(modes.last(), Some(&Mode::Sea), "{modes:?}");
    // Danube km 2002 at Krems: about 1,700 km to Cernavodă and the canal to
    // Constanța, or 2,000 km to Sulina.
    let river = km_by_mode(&it, Mode::River);
    assert!((1700.0..2100.0).contains(&river), "{river} km of river");
}

/// The shipped Natural Earth country layer as land, as `corridor merge`
/// uses it.
fn shipped_land() -> std::sync::Arc<Land> {
    let countries = CountryIndex::shipped();
    std::sync::Arc::new(Land::new(
        countries
            .countries()
            .iter()
            .flat_map(|c| c.shape.0.iter().cloned()),
    ))
}

/// Issue 15: Cernavodă (`ROCEV`, a searoute port on the Danube) was joined
/// to the Black Sea lane by a 56 km straight line over Dobruja. With the
/// land test it is refused and reported by name and distance; coastal
/// ports (Constanța, Odesa, the waterway layer's Constanța and Sulina)
/// stay joined, and Krems reaches Istanbul through a real sea port.
#[test]
fn cernavoda_is_not_joined_to_the_sea_over_land_and_coastal_ports_still_are() {
    let inputs = krems_waterways_sea_and_ports();
    let cfg = MergeConfig {
        land: Some(shipped_land()),
        ..MergeConfig::default()
    };
    let (net, report) = merge(inputs, &cfg).unwrap();
    let on_sea = |id: &str| {
        report
            .joined
            .iter()
            .any(|j| j.node == id && j.layer.mode == Mode::Sea)
    };
    assert!(!on_sea("ROCEV"));
    let refused = report.over_land.iter().find(|o| o.node == "ROCEV").unwrap();
    assert!((50.0..65.0).contains(&refused.km), "{refused:?}");
    assert_eq!(refused.joined_km, None);
    // Cernavodă still joins the river.
    assert!(
        report
            .joined
            .iter()
            .any(|j| j.node == "ROCEV" && j.layer.mode == Mode::River)
    );
    for port in ["ROCND", "UAODS", "ww-constanta", "ww-sulina"] {
        assert!(on_sea(port), "{port} not joined to the sea");
    }
    // Krems to Istanbul: down the river to a sea port, not to Cernavodă.
    let it = best(&net, "Krems a.d. Donau", "TRIST", Objective::Cost);
    let last_river = it.legs.iter().rfind(|l| l.mode == Mode::River).unwrap();
    assert!(
        ["ww-constanta", "ww-sulina", "ROCND", "ROSUL"].contains(&last_river.to.as_str()),
        "{last_river:?}"
    );
    let river = km_by_mode(&it, Mode::River);
    assert!((1700.0..2100.0).contains(&river), "{river} km of river");
    // Without the land test the old 56 km line over land is back.
    let (sea, _) = corridor_io::sea::read_sea_lanes(
        &data("searoute/marnet_searoute.geojson"),
        &corridor_io::sea::DEFAULT_CLOSED_PASSAGES.map(String::from),
    )
    .unwrap();
    let (ports, _) =
        corridor_io::ports::read_ports(&data("searoute/searoute_ports.geojson")).unwrap();
    let (_, old) = merge(
        vec![("sea".to_string(), sea), ("ports".to_string(), ports)],
        &MergeConfig::default(),
    )
    .unwrap();
    assert!(old.joined.iter().any(|j| j.node == "ROCEV" && j.km > 50.0));
}

/// A road from Vienna straight to Constanța, shorter than the river.
fn with_road(mut net: Network) -> Network {
    let a = net.node_id("ww-vienna").unwrap();
    let b = net.node_id("ww-constanta").unwrap();
    for (id, from, to) in [("road-vc", a, b), ("road-cv", b, a)] {
        let mut l = Link::new(id, from, to, Mode::Road, None, 1300.0);
        l.oneway = true;
        net.add_link(l).unwrap();
    }
    // The terminals where road and river meet.
    for (n, id) in [(a, "t-vienna"), (b, "t-constanta")] {
        net.add_terminal(corridor_model::Terminal {
            source_id: id.into(),
            name: id.into(),
            node: n,
            transfers: vec![(
                corridor_model::Layer::road(),
                corridor_model::Layer::river(),
            )],
            handling_cost_per_t: 3.0,
            hours: 12.0,
            co2_kg_per_t: 1.0,
            capacity_t_per_day: None,
            commodities: Default::default(),
            open: true,
            tags: vec![],
            source: None,
        })
        .unwrap();
    }
    net
}

#[test]
fn the_river_carries_where_it_is_cheapest_and_the_road_where_it_is_fastest() {
    let (rivers, _) = corridor_io::waterways::shipped();
    let net = with_road(rivers);
    // Vienna–Constanța: 1,620 km of Danube and canal at VIc rates against
    // 1,300 km of road at 0.10 EUR/tkm.
    let cheap = best(&net, "ww-vienna", "ww-constanta", Objective::Cost);
    assert!(cheap.legs.iter().all(|l| l.mode == Mode::River));
    let river = km_by_mode(&cheap, Mode::River);
    assert!((river - (1920.0 - 300.0 + 64.4)).abs() < 1.0, "{river}");
    let fast = best(&net, "ww-vienna", "ww-constanta", Objective::Time);
    assert!(fast.legs.iter().all(|l| l.mode == Mode::Road));
    assert!(fast.totals.hours < cheap.totals.hours);
    assert!(cheap.totals.cost < fast.totals.cost);
}

#[test]
fn cli_imports_the_shipped_layer_and_a_file() {
    use assert_cmd::Command;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ww");
    let run = Command::cargo_bin("corridor")
        .unwrap()
        .args(["import", "waterways", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = String::from_utf8_lossy(&run.stdout);
    assert!(
        text.starts_with("waterways: 109 features -> 57 nodes"),
        "{text}"
    );
    assert!(out.join("links.csv").exists() && out.join("network.geojson").exists());
    let bad = dir.path().join("bad.geojson");
    std::fs::write(&bad, r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"x"},"geometry":{"type":"Polygon","coordinates":[]}}]}"#).unwrap();
    let run = Command::cargo_bin("corridor")
        .unwrap()
        .args(["import", "waterways"])
        .arg(&bad)
        .arg("--out")
        .arg(dir.path().join("b"))
        .output()
        .unwrap();
    assert!(!run.status.success());
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("bad.geojson") && err.contains("feature 1"),
        "{err}"
    );
}

/// `data/waterways/sources.csv` is a table a reader can trust the shape of:
/// every row has every column, `verified` says yes, partly or no, a row
/// checked (even partly) names where, and every source a stretch of the
/// layer cites is a row.
#[test]
fn every_source_the_layer_cites_is_a_well_formed_row() {
    let path = data("waterways/sources.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let width = csv_text::fields(text.lines().next().unwrap()).len();
    for (i, line) in text.lines().enumerate() {
        let n = csv_text::fields(line).len();
        assert_eq!(n, width, "sources.csv:{}: {n} fields, not {width}", i + 1);
    }
    let rows = csv_text::records(&path);
    for r in &rows {
        let v = r["verified"].as_str();
        assert!(["yes", "partly", "no"].contains(&v), "{}: {v}", r["id"]);
        if v != "no" {
            let named = r["url"].starts_with("http") || r["note"].contains("http");
            assert!(named, "{}: checked where?", r["id"]);
        }
    }
    let ids: std::collections::HashSet<&str> = rows.iter().map(|r| r["id"].as_str()).collect();
    let layer: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(data("waterways/europe_waterways.geojson")).unwrap(),
    )
    .unwrap();
    let mut cited = 0;
    for f in layer["features"].as_array().unwrap() {
        let Some(sources) = f["properties"]["sources"].as_str() else {
            continue;
        };
        for s in sources.split(';') {
            assert!(
                ids.contains(s),
                "{}: unknown source {s}",
                f["properties"]["id"]
            );
            cited += 1;
        }
    }
    assert!(cited > 50, "{cited} citations");
}
