//! Inland waterways: a coarse network of navigable rivers and canals, as
//! GeoJSON (Point features for ports, junctions and locks; LineString
//! features for stretches between two of them), into `river` links whose
//! cost, capacity and lock time follow the stretch's CEMT class.
//!
//! The repository ships a European layer (`data/waterways/`, every figure
//! with its source in `sources.csv`), compiled in so `corridor import
//! waterways` needs no file. What a CEMT class means (payload, cost per
//! tonne-km, lock capacity) is [`CemtClass`], cited in `docs/defaults.md`.
//! It does not join rivers to land or sea (that is `merge`): river ports
//! are `terminal` nodes, so `merge` joins them to rail and road, and the
//! sea ports at the mouths are `port` nodes, which it joins to the sea lanes.

use crate::open_data::{geojson_features, import_error, read_text};
use corridor_model::results::WaterwaysSummary;
use corridor_model::{Link, Mode, Network, Node, NodeKind, network::haversine_km};
use std::collections::BTreeMap;
use std::path::Path;

/// The shipped European layer (see `data/waterways/README.md`).
pub const SHIPPED_EUROPE: &str = include_str!("../../../data/waterways/europe_waterways.geojson");

/// Barge speed through the water, km/h, every class (the `river` mode
/// default; up- and downstream averaged).
pub const BARGE_SPEED_KMH: f64 = 12.0;

/// Hours to pass one lock, waiting included.
pub const LOCK_HOURS: f64 = 1.0;

/// What a CEMT class of waterway carries (ECMT Resolution 92/2; UNECE
/// AGN). Costs are derived, not published: see `docs/defaults.md`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CemtClass {
    pub name: &'static str,
    /// The largest vessel or convoy the class admits, t (upper end of
    /// the class's tonnage range).
    pub payload_t: f64,
    /// Barge haulage, money per tonne-km.
    pub cost_per_tkm: f64,
}

impl CemtClass {
    /// Capacity of a stretch with locks, t/day per direction: 24
    /// lockages a day, each with the class's largest vessel half loaded
    /// (the chamber is shared by both directions).
    pub fn lock_capacity_t_per_day(&self) -> f64 {
        24.0 * self.payload_t * 0.5
    }
}

/// The classes, smallest first. Cost = 0.025 × (3000 / payload)^0.3: the
/// `river` default at a Va vessel, economies of scale elsewhere.
pub const CEMT_CLASSES: [CemtClass; 10] = [
    cemt("I", 400.0),
    cemt("Ia", 400.0),
    cemt("Ib", 650.0),
    cemt("II", 650.0),
    cemt("III", 1000.0),
    cemt("IV", 1500.0),
    cemt("Va", 3000.0),
    cemt("Vb", 6000.0),
    cemt("VIb", 12000.0),
    cemt("VIc", 18000.0),
];

/// Classes VIa and VII (not in the const table to keep it small).
const CEMT_EXTRA: [CemtClass; 2] = [cemt("VIa", 6000.0), cemt("VII", 27000.0)];

const fn cemt(name: &'static str, payload_t: f64) -> CemtClass {
    // (3000 / payload)^0.3, tabulated: `powf` is not const.
    let factor = match payload_t as u32 {
        400 => 1.830,
        650 => 1.582,
        1000 => 1.390,
        1500 => 1.231,
        3000 => 1.0,
        6000 => 0.812,
        12000 => 0.660,
        18000 => 0.584,
        _ => 0.517, // 27000
    };
    CemtClass {
        name,
        payload_t,
        cost_per_tkm: 0.025 * factor,
    }
}

/// The class named `name` (`Vb`, `VIc`; case as written in AGN).
pub fn cemt_class(name: &str) -> Option<CemtClass> {
    CEMT_CLASSES
        .iter()
        .chain(CEMT_EXTRA.iter())
        .find(|c| c.name == name)
        .copied()
}

/// Reads a waterways GeoJSON file.
pub fn read_waterways(path: &Path) -> crate::Result<(Network, WaterwaysSummary)> {
    let (text, file) = read_text(path)?;
    waterways_from_str(&text, &file)
}

/// The shipped European layer as a network.
pub fn shipped() -> (Network, WaterwaysSummary) {
    waterways_from_str(SHIPPED_EUROPE, "data/waterways (shipped)")
        .expect("the shipped waterway layer is valid")
}

/// Parses waterways GeoJSON text; `file` names it in errors.
pub fn waterways_from_str(text: &str, file: &str) -> crate::Result<(Network, WaterwaysSummary)> {
    let features = geojson_features(text, file)?;
    let mut net = Network::new("waterways");
    let mut summary = WaterwaysSummary {
        features: features.len(),
        ..WaterwaysSummary::default()
    };
    let mut lines = Vec::new();
    for (i, f) in features.iter().enumerate() {
        match f.pointer("/geometry/type").and_then(|t| t.as_str()) {
            Some("Point") => add_place(&mut net, f, i, file)?,
            Some("LineString") => lines.push((i, f)),
            t => {
                return Err(import_error(file)(
                    format!("feature {}", i + 1),
                    format!("geometry: expected Point or LineString, found {t:?}"),
                ));
            }
        }
    }
    for (i, f) in lines {
        add_stretch(&mut net, f, i, file, &mut summary)?;
    }
    summary.nodes = net.n_nodes();
    summary.links = net.n_links();
    summary.ports = net
        .nodes
        .iter()
        .filter(|n| matches!(n.kind, NodeKind::Port | NodeKind::Terminal))
        .count();
    crate::osm::add_default_commodities(&mut net);
    Ok((net, summary))
}

/// A feature's text property.
fn text_prop<'a>(f: &'a serde_json::Value, k: &str) -> Option<&'a str> {
    f.get("properties")?.get(k)?.as_str()
}

fn num_prop(f: &serde_json::Value, k: &str) -> Option<f64> {
    f.get("properties")?.get(k)?.as_f64()
}

fn add_place(net: &mut Network, f: &serde_json::Value, i: usize, file: &str) -> crate::Result<()> {
    let err = |field: &str, m: String| {
        import_error(file)(format!("feature {}", i + 1), format!("{field}: {m}"))
    };
    let id = text_prop(f, "id").ok_or_else(|| err("id", "missing".into()))?;
    let c = f
        .pointer("/geometry/coordinates")
        .and_then(|c| c.as_array())
        .filter(|c| c.len() >= 2)
        .ok_or_else(|| err("coordinates", "not a position".into()))?;
    let (Some(lon), Some(lat)) = (c[0].as_f64(), c[1].as_f64()) else {
        return Err(err("coordinates", "not numbers".into()));
    };
    if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
        return Err(err(
            "coordinates",
            format!("{lon},{lat} is not a lon/lat position"),
        ));
    }
    let kind_s = text_prop(f, "kind").unwrap_or("junction");
    let kind = match kind_s {
        "river_port" => NodeKind::Terminal,
        "sea_port" => NodeKind::Port,
        "junction" | "lock" => NodeKind::Junction,
        other => {
            return Err(err(
                "kind",
                format!("\"{other}\" (expected river_port, sea_port, junction or lock)"),
            ));
        }
    };
    let mut n = Node::new(id, kind, lon, lat, text_prop(f, "country").unwrap_or(""));
    n.name = text_prop(f, "name").unwrap_or(id).into();
    n.tags.push(kind_s.to_string());
    net.add_node(n).map_err(|e| err("id", e.to_string()))?;
    Ok(())
}

fn add_stretch(
    net: &mut Network,
    f: &serde_json::Value,
    i: usize,
    file: &str,
    summary: &mut WaterwaysSummary,
) -> crate::Result<()> {
    let err = |field: &str, m: String| {
        import_error(file)(format!("feature {}", i + 1), format!("{field}: {m}"))
    };
    let id = text_prop(f, "id").ok_or_else(|| err("id", "missing".into()))?;
    let end = |k: &str| {
        let v = text_prop(f, k).ok_or_else(|| err(k, "missing".into()))?;
        net.node_id(v)
            .ok_or_else(|| err(k, format!("\"{v}\" is no Point feature of the file")))
    };
    let (a, b) = (end("from")?, end("to")?);
    let class_name = text_prop(f, "cemt").ok_or_else(|| err("cemt", "missing".into()))?;
    let class = cemt_class(class_name).ok_or_else(|| {
        err(
            "cemt",
            format!("\"{class_name}\" is not a CEMT class (I … VII)"),
        )
    })?;
    let (na, nb) = (net.node(a), net.node(b));
    let length = match num_prop(f, "length_km") {
        Some(x) if x.is_finite() && x > 0.0 => x,
        Some(x) => return Err(err("length_km", format!("{x} is not a positive length"))),
        None => haversine_km(na.lon, na.lat, nb.lon, nb.lat),
    };
    let locks = match num_prop(f, "locks") {
        Some(x) if x >= 0.0 && x.fract() == 0.0 => x as u32,
        Some(x) => return Err(err("locks", format!("{x} is not a count"))),
        None => 0,
    };
    let geometry = vec![[na.lon, na.lat], [nb.lon, nb.lat]];
    let mut l = Link::new(id, a, b, Mode::River, None, length);
    let hours = length / BARGE_SPEED_KMH + f64::from(locks) * LOCK_HOURS;
    l.speed_kmh = Some(length / hours);
    l.cost_per_tkm = Some(class.cost_per_tkm);
    if locks > 0 {
        l.capacity_t_per_day = Some(class.lock_capacity_t_per_day());
    }
    l.open = f
        .get("properties")
        .and_then(|p| p.get("open"))
        .and_then(|o| o.as_bool())
        .unwrap_or(true);
    l.geometry = geometry;
    l.tags.push(format!("cemt={}", class.name));
    l.tags.push(format!("locks={locks}"));
    for k in ["waterway", "sources", "note"] {
        if let Some(v) = text_prop(f, k) {
            l.tags.push(format!("{k}={v}"));
        }
    }
    if let Some(d) = num_prop(f, "draught_m") {
        l.tags.push(format!("maxdraught={d}"));
    }
    summary.km += length;
    summary.locks += locks as usize;
    if !l.open {
        summary.closed_links += 1;
    }
    let e = summary
        .by_class
        .entry(class.name.to_string())
        .or_insert((0, 0.0));
    e.0 += 1;
    e.1 += length;
    net.add_link(l).map_err(|e| err("id", e.to_string()))?;
    Ok(())
}

/// Kilometres of open river by CEMT class, for tests and reports.
pub fn km_by_class(net: &Network) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    for l in net.links.iter().filter(|l| l.mode == Mode::River && l.open) {
        if let Some(c) = l.tags.iter().find_map(|t| t.strip_prefix("cemt=")) {
            *out.entry(c.to_string()).or_insert(0.0) += l.length_km;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_get_cheaper_as_vessels_grow() {
        let costs: Vec<f64> = CEMT_CLASSES.iter().map(|c| c.cost_per_tkm).collect();
        assert!(costs.windows(2).all(|w| w[1] <= w[0]), "{costs:?}");
        assert!((cemt_class("Va").unwrap().cost_per_tkm - 0.025).abs() < 1e-12);
        for c in CEMT_CLASSES.iter().chain(CEMT_EXTRA.iter()) {
            let want = 0.025 * (3000.0 / c.payload_t).powf(0.3);
            assert!((c.cost_per_tkm - want).abs() < 1e-4, "{}", c.name);
        }
        assert_eq!(cemt_class("VIII"), None);
    }

    #[test]
    fn shipped_layer_has_the_rivers_the_issue_names() {
        let (net, s) = shipped();
        assert_eq!(s.nodes, net.n_nodes());
        for name in [
            "Kelheim",
            "Sulina",
            "Constanța",
            "Basel",
            "Rotterdam",
            "Bamberg",
            "Hamburg",
            "Szczecin",
            "Gdańsk",
            "Kyiv",
            "Kherson",
            "Izmail",
            "Reni",
        ] {
            assert!(net.nodes.iter().any(|n| n.name == name), "{name}");
        }
        // Danube Kelheim–Sulina by the Danube kilometres: 2411 km.
        let danube: f64 = net
            .links
            .iter()
            .filter(|l| l.tags.iter().any(|t| t == "waterway=Danube"))
            .map(|l| l.length_km)
            .sum();
        assert!((danube - 2411.0).abs() < 1e-9, "{danube}");
        // Every stretch cites its sources, and the Dnipro is closed.
        assert!(
            net.links
                .iter()
                .all(|l| l.tags.iter().any(|t| t.starts_with("sources=")))
        );
        assert!(
            net.links
                .iter()
                .filter(|l| l.tags.iter().any(|t| t == "waterway=Dnipro"))
                .all(|l| !l.open)
        );
        // River ports are terminals (merge joins them to land), sea
        // ports are ports (merge joins them to the sea lanes).
        let kind = |n: &str| net.nodes.iter().find(|x| x.name == n).unwrap().kind;
        assert_eq!(kind("Izmail"), NodeKind::Terminal);
        assert_eq!(kind("Constanța"), NodeKind::Port);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Any property of any feature replaced by any odd value loads or
        /// is refused; it never panics.
        #[test]
        fn damaged_layers_never_panic(
            edits in proptest::collection::vec((0usize..200, 0usize..12, 0usize..9), 1..6),
        ) {
            let mut doc: serde_json::Value = serde_json::from_str(SHIPPED_EUROPE).unwrap();
            let features = doc["features"].as_array_mut().unwrap();
            let keys = ["id", "from", "to", "cemt", "length_km", "locks", "open",
                        "kind", "name", "draught_m", "country", "coordinates"];
            let values = [
                serde_json::json!(null), serde_json::json!(-1), serde_json::json!(0),
                serde_json::json!(1e308), serde_json::json!("x"), serde_json::json!([]),
                serde_json::json!([1000, -1000]), serde_json::json!("ww-vienna"),
                serde_json::json!({}),
            ];
            for (f, k, v) in edits {
                let n = features.len();
                let feat = &mut features[f % n];
                if keys[k] == "coordinates" {
                    feat["geometry"]["coordinates"] = values[v].clone();
                } else {
                    feat["properties"][keys[k]] = values[v].clone();
                }
            }
            let _ = waterways_from_str(&doc.to_string(), "damaged.geojson");
        }
    }

    #[test]
    fn bad_features_are_located() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"id":"a","kind":"river_port"},"geometry":{"type":"Point","coordinates":[10,50]}},
            {"type":"Feature","properties":{"id":"w","from":"a","to":"b","cemt":"Va"},"geometry":{"type":"LineString","coordinates":[[10,50],[11,50]]}}
        ]}"#;
        let e = waterways_from_str(text, "w.geojson")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("w.geojson") && e.contains("feature 2") && e.contains("to"),
            "{e}"
        );
        let text = text.replace("\"b\"", "\"a\"").replace("\"Va\"", "\"V\"");
        let e = waterways_from_str(&text, "w.geojson")
            .unwrap_err()
            .to_string();
        assert!(e.contains("cemt"), "{e}");
    }
}
