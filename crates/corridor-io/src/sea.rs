//! The global sea-lane network from searoute's `marnet_searoute.geojson`
//! (Eurostat SeaRoute / ORNL shipping lanes, Apache-2.0 in that package).
//!
//! Longitudes beyond ±180 are brought back into [−180, 180) so the seam
//! and Bering Strait duplicates merge into one connected graph; identical
//! coordinates become one node; every vertex is a node and every segment
//! a link, so ports can snap to the vertex nearest them. The chokepoint property
//! (`passage`: suez, panama, malacca, …) is kept as link tags `passage` and
//! `passage=<name>`, which a scenario can close by tag. It does not place
//! ports (that is `ports.rs`) or join sea to land (that is the merge).
//!
//! Every lane link is tagged `sea-lane`: routing prices it by the vessel
//! class sailing it ([`corridor_model::VesselClass`]).
//!
//! The passages' fees, hours and vessel limits come from the shipped
//! table (`passages.rs`, `data/searoute/passages.csv`), applied to the
//! tagged links on import; a bounding box there tags the Strait of Dover,
//! which searoute leaves untagged.
//!
//! [`ADDITIONS`] are lanes searoute lacks, shipped with Corridor and read
//! with the file unless asked not to: the Kiel Canal (passage `kiel`),
//! whose ends meet marnet vertices on the Elbe and in Kiel Bay. A feature's
//! `length_km` property (the canal's official length) scales its links.

use crate::open_data::{geojson_features, import_error, read_text};
use corridor_model::{
    Link, Mode, Network, Node, NodeId, NodeKind, Quantity, network::haversine_km,
};
use std::collections::{BTreeMap, HashMap};

use std::path::Path;

pub use corridor_model::results::SeaSummary;

/// Brings a longitude into [−180, 180), as searoute's own `utils.py` does.
pub fn normalize_lon(lon: f64) -> f64 {
    ((lon % 360.0) + 540.0) % 360.0 - 180.0
}

fn key(p: [f64; 2]) -> (i64, i64) {
    ((p[0] * 1e6).round() as i64, (p[1] * 1e6).round() as i64)
}

/// Passages closed on import unless asked otherwise: searoute also leaves
/// the Northwest Passage out by default (ice; seasonal at best). A scenario
/// can open it by tag (`passage=northwest`).
pub const DEFAULT_CLOSED_PASSAGES: [&str; 1] = ["northwest"];

/// Lanes missing from searoute's marnet (the Kiel Canal), as GeoJSON.
pub const ADDITIONS: &str = include_str!("../../../data/searoute/additions.geojson");

/// Reads a marnet GeoJSON file with the shipped [`ADDITIONS`]; links of the
/// `closed` passages are imported closed.
pub fn read_sea_lanes(path: &Path, closed: &[String]) -> crate::Result<(Network, SeaSummary)> {
    read_sea_lanes_with(path, closed, true)
}

/// [`read_sea_lanes`], with or without the shipped additions.
pub fn read_sea_lanes_with(
    path: &Path,
    closed: &[String],
    additions: bool,
) -> crate::Result<(Network, SeaSummary)> {
    let (text, file) = read_text(path)?;
    let mut features = geojson_features(&text, &file)?;
    let (mut lanes, mut skipped) = read_lanes(&features, &file)?;
    if additions {
        const NAME: &str = "data/searoute/additions.geojson";
        let extra = geojson_features(ADDITIONS, NAME)?;
        let (more, s) = read_lanes(&extra, NAME)?;
        lanes.extend(more.into_iter().map(|mut l| {
            l.feature += features.len();
            l
        }));
        skipped += s;
        features.extend(extra);
    }
    Ok(build(features.len(), &lanes, skipped, closed))
}

/// One lane as read: a run of distinct positions from one feature.
struct Lane {
    /// 0-based index of the feature, which names its links.
    feature: usize,
    passage: Option<String>,
    /// The lane's length as published (a canal's), which scales its links.
    length_km: Option<f64>,
    points: Vec<[f64; 2]>,
}

/// Parses marnet GeoJSON text (without the additions); `file` names it in
/// errors.
pub fn sea_lanes_from_str(
    text: &str,
    file: &str,
    closed: &[String],
) -> crate::Result<(Network, SeaSummary)> {
    let features = geojson_features(text, file)?;
    let (lanes, skipped) = read_lanes(&features, file)?;
    Ok(build(features.len(), &lanes, skipped, closed))
}

fn build(
    features: usize,
    lanes: &[Lane],
    skipped: usize,
    closed: &[String],
) -> (Network, SeaSummary) {
    let (mut net, node_of) = lane_vertices(lanes);
    let (mut passages, km) = lane_links(&mut net, lanes, &node_of, closed);
    for (id, n) in crate::passages::apply_passages(&mut net, &crate::passages::shipped_passages()) {
        if n > 0 {
            passages.insert(id, n);
        }
    }
    crate::osm::add_default_commodities(&mut net);
    let summary = SeaSummary {
        features,
        nodes: net.n_nodes(),
        links: net.n_links(),
        km,
        passages,
        skipped,
    };
    (net, summary)
}

/// Every line of every feature with at least two distinct positions, and
/// how many features or parts were skipped (no geometry, not a line, or a
/// single point).
fn read_lanes(features: &[serde_json::Value], file: &str) -> crate::Result<(Vec<Lane>, usize)> {
    let mut lanes = Vec::new();
    let mut skipped = 0;
    for (i, f) in features.iter().enumerate() {
        let passage = f
            .get("properties")
            .and_then(|p| p.get("passage"))
            .and_then(|p| p.as_str())
            .map(str::to_string);
        let length_km = f
            .get("properties")
            .and_then(|p| p.get("length_km"))
            .and_then(|p| p.as_f64())
            .filter(|k| k.is_finite() && *k > 0.0);
        let Some(g) = f.get("geometry").filter(|g| !g.is_null()) else {
            skipped += 1;
            continue;
        };
        let coords = g.get("coordinates");
        let parts: Vec<&serde_json::Value> = match (g.get("type").and_then(|t| t.as_str()), coords)
        {
            (Some("LineString"), Some(c)) => vec![c],
            (Some("MultiLineString"), Some(serde_json::Value::Array(ls))) => ls.iter().collect(),
            _ => {
                skipped += 1;
                continue;
            }
        };
        for part in parts {
            let points = lane_points(part, file, i)?;
            if points.len() >= 2 {
                lanes.push(Lane {
                    feature: i,
                    passage: passage.clone(),
                    length_km,
                    points,
                });
            } else {
                skipped += 1;
            }
        }
    }
    Ok((lanes, skipped))
}

/// The positions of one line, longitudes wrapped into [−180, 180) and
/// repeated positions dropped.
fn lane_points(part: &serde_json::Value, file: &str, i: usize) -> crate::Result<Vec<[f64; 2]>> {
    let err = import_error(file);
    let at = || format!("feature {}", i + 1);
    let pts = part
        .as_array()
        .ok_or_else(|| err(at(), "coordinates: not an array".into()))?;
    let mut line = Vec::with_capacity(pts.len());
    for p in pts {
        match p.as_array().map(|a| a.as_slice()) {
            Some([x, y, ..]) => match (x.as_f64(), y.as_f64()) {
                (Some(x), Some(y)) if Quantity::Latitude.check(y).is_ok() && x.is_finite() => {
                    line.push([normalize_lon(x), y])
                }
                _ => {
                    return Err(err(
                        at(),
                        format!("coordinates: {p} is not a lon/lat position"),
                    ));
                }
            },
            _ => return Err(err(at(), format!("coordinates: {p} is not a position"))),
        }
    }
    line.dedup_by_key(|p| key(*p));
    Ok(line)
}

/// Every vertex is a node: ports snap to lane vertices (as searoute
/// does), and interior vertices are often the nearest ones to a coast.
fn lane_vertices(lanes: &[Lane]) -> (Network, HashMap<(i64, i64), NodeId>) {
    let mut vertex_keys: Vec<((i64, i64), [f64; 2])> = lanes
        .iter()
        .flat_map(|l| l.points.iter().map(|p| (key(*p), *p)))
        .collect();
    vertex_keys.sort_by_key(|v| v.0);
    vertex_keys.dedup_by_key(|v| v.0);
    let mut net = Network::new("sea lanes");
    let mut node_of = HashMap::new();
    for (i, (k, p)) in vertex_keys.iter().enumerate() {
        let mut n = Node::new(&format!("s{i}"), NodeKind::Junction, p[0], p[1], "");
        n.name = format!("sea {:.4},{:.4}", p[1], p[0]).into();
        node_of.insert(*k, net.add_node(n).expect("unique ids"));
    }
    (net, node_of)
}

/// A link for every stretch of a lane between two distinct nodes, named
/// `m<feature>-<piece>`, with the passages' tags (closed for `closed`).
/// Returns the link count per passage and the total length in km.
fn lane_links(
    net: &mut Network,
    lanes: &[Lane],
    node_of: &HashMap<(i64, i64), NodeId>,
    closed: &[String],
) -> (BTreeMap<String, usize>, f64) {
    let mut passages: BTreeMap<String, usize> = BTreeMap::new();
    let mut km = 0.0;
    let mut piece_of: BTreeMap<usize, usize> = BTreeMap::new();
    for lane in lanes {
        let l = &lane.points;
        let drawn: f64 = l
            .windows(2)
            .map(|w| haversine_km(w[0][0], w[0][1], w[1][0], w[1][1]))
            .sum();
        let scale = lane
            .length_km
            .map_or(1.0, |k| k / drawn.max(f64::MIN_POSITIVE));
        let mut cur = vec![l[0]];
        for p in &l[1..] {
            cur.push(*p);
            let (a, b) = (node_of[&key(cur[0])], node_of[&key(*p)]);
            if a != b {
                let piece = piece_of.entry(lane.feature).or_default();
                let len: f64 = scale
                    * cur
                        .windows(2)
                        .map(|w| haversine_km(w[0][0], w[0][1], w[1][0], w[1][1]))
                        .sum::<f64>();
                let id = format!("m{}-{}", lane.feature + 1, piece);
                let mut link = Link::new(&id, a, b, Mode::Sea, None, len);
                link.tags = vec![corridor_model::SEA_LANE_TAG.into()];
                *piece += 1;
                if let Some(ps) = &lane.passage {
                    link.tags
                        .extend(["passage".into(), format!("passage={ps}")]);
                    link.open = !closed.iter().any(|c| c.eq_ignore_ascii_case(ps));
                    *passages.entry(ps.clone()).or_default() += 1;
                }
                link.geometry = std::mem::take(&mut cur);
                km += len;
                net.add_link(link).expect("unique ids");
            }
            cur = vec![*p];
        }
    }
    (passages, km)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_published_length_scales_the_lane_and_the_kiel_canal_is_shipped() {
        let g = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"passage":"kiel","length_km":10},"geometry":{"type":"LineString","coordinates":[[0,0],[0.5,0],[1,0]]}}]}"#;
        let (net, s) = sea_lanes_from_str(g, "t.geojson", &[]).unwrap();
        assert_eq!(s.links, 2);
        let km: f64 = net.links.iter().map(|l| l.length_km).sum();
        assert!((km - 10.0).abs() < 1e-9, "{km}");
        let (_, s) = sea_lanes_from_str(ADDITIONS, "additions.geojson", &[]).unwrap();
        assert_eq!(s.passages.get("kiel"), Some(&12));
        assert!((s.km - 98.26 - 7.0 - 14.5).abs() < 1.0, "{}", s.km);
    }

    #[test]
    fn longitudes_wrap_into_range() {
        assert!((normalize_lon(190.8498) + 169.1502).abs() < 1e-9);
        assert!((normalize_lon(180.0) + 180.0).abs() < 1e-12);
        assert!((normalize_lon(-180.0) + 180.0).abs() < 1e-12);
        assert!((normalize_lon(12.5) - 12.5).abs() < 1e-12);
    }

    #[test]
    fn seam_points_merge_and_passages_become_tags() {
        let g = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"passage":"bering"},"geometry":{"type":"LineString","coordinates":[[170,60],[180,62.1]]}},
          {"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[-180,62.1],[-170,63],[-160,64]]}}]}"#;
        let (net, s) = sea_lanes_from_str(g, "t.geojson", &["bering".to_string()]).unwrap();
        assert_eq!(s.nodes, 4, "the ±180 seam points are one node");
        assert_eq!(s.links, 3);
        let bering = net
            .links
            .iter()
            .find(|l| l.tags.iter().any(|t| t == "passage=bering"))
            .unwrap();
        assert!(
            bering.length_km > 500.0 && bering.length_km < 700.0,
            "{}",
            bering.length_km
        );
        let e = sea_lanes_from_str(
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[0,0],["x",1]]}}]}"#,
            "bad.geojson",
            &[],
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("bad.geojson") && e.contains("feature 1"), "{e}");
    }
}
