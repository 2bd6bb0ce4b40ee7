//! GeoJSON maps of a network and of an itinerary, as RFC 7946
//! FeatureCollections (lon, lat order, WGS 84) that open in QGIS and
//! geojson.io. Every feature carries an `element` property (`node`, `link`,
//! `terminal`, `border`, `leg`, `transfer`, `crossing`, `origin`,
//! `destination`) so one file can be styled by kind. Lines that cross the
//! ±180° meridian are split there into a MultiLineString (RFC 7946 § 3.1.9),
//! so no map draws them across the whole world. This module builds the
//! itinerary map as values; the network map, which grows with the network,
//! is written feature by feature to any [`Write`] (through
//! [`crate::Outputs::file_with`] for files), so that exporting a country
//! does not hold it in memory.

use corridor_model::{Itinerary, Link, Mode, Network, NodeId};
use geojson::{Feature, FeatureCollection, Geometry, JsonObject, JsonValue};
use serde::Serialize;
use serde_json::json;
use std::io::{self, Write};

fn feature(geometry: Option<Geometry>, properties: JsonValue) -> Feature {
    let properties = match properties {
        JsonValue::Object(m) => Some(m),
        _ => None,
    };
    Feature {
        geometry,
        properties,
        ..Feature::default()
    }
}

fn point(net: &Network, id: NodeId) -> Geometry {
    let n = net.node(id);
    Geometry::new_point([n.lon, n.lat])
}

/// A link's line from `from` to `to`: its own geometry, or a straight line.
pub(crate) fn link_line(net: &Network, l: &Link) -> Vec<[f64; 2]> {
    if l.geometry.len() >= 2 {
        l.geometry.clone()
    } else {
        let (a, b) = (net.node(l.from), net.node(l.to));
        vec![[a.lon, a.lat], [b.lon, b.lat]]
    }
}

/// A line's parts, cut where a step crosses the ±180° meridian (a step
/// of more than 180° of longitude is taken the short way round): each
/// part ends at ±180° and the next starts at ∓180° at the latitude the
/// straight step crosses it. Both the GeoJSON maps and the GeoPackage
/// layers split lines with this. A step from one side of the seam to the
/// other (180° to −180°, as where two sea lanes meet at the meridian) only
/// starts a new part, and a crossing point that repeats a position is not
/// added again, so no part has a zero-length step at the seam.
pub fn split_at_antimeridian(points: &[[f64; 2]]) -> Vec<Vec<[f64; 2]>> {
    let mut parts: Vec<Vec<[f64; 2]>> = Vec::new();
    let mut cur: Vec<[f64; 2]> = Vec::new();
    for &p in points {
        if let Some(&a) = cur.last() {
            let d = p[0] - a[0];
            if d.abs() > 180.0 {
                // West across −180 when d > 180, east across +180 otherwise.
                let (edge, shift) = if d > 180.0 {
                    (-180.0, -360.0)
                } else {
                    (180.0, 360.0)
                };
                let span = p[0] + shift - a[0];
                if span == 0.0 {
                    // Along the seam itself: a ends on it, p starts on it.
                    parts.push(std::mem::take(&mut cur));
                } else {
                    let t = (edge - a[0]) / span;
                    let lat = a[1] + t * (p[1] - a[1]);
                    if a != [edge, lat] {
                        cur.push([edge, lat]);
                    }
                    parts.push(std::mem::take(&mut cur));
                    if p != [-edge, lat] {
                        cur.push([-edge, lat]);
                    }
                }
            }
        }
        cur.push(p);
    }
    parts.push(cur);
    parts.retain(|part| part.len() >= 2);
    parts
}

/// A line as GeoJSON: a LineString, or a MultiLineString when it crosses
/// the ±180° meridian; `None` for fewer than two points.
pub fn line_geometry(points: &[[f64; 2]]) -> Option<Geometry> {
    let mut parts = split_at_antimeridian(points);
    match parts.len() {
        0 => None,
        1 => Some(Geometry::new_line_string(parts.remove(0))),
        _ => Some(Geometry::new_multi_line_string(parts)),
    }
}

fn layer_name(mode: Mode, gauge: Option<u16>) -> String {
    match gauge {
        Some(g) => format!("{mode}:{g}"),
        None => mode.to_string(),
    }
}

/// A node's map properties, borrowed from the network. Fields are in the
/// byte order of their names: that is the order a `serde_json` map keeps,
/// so writing this struct directly gives the bytes the value-built map
/// gave (a test checks it).
#[derive(Serialize)]
struct NodeProperties<'a> {
    capacity_t_per_day: Option<f64>,
    country: &'a str,
    element: &'static str,
    id: &'a str,
    kind: &'static str,
    name: &'a str,
    open: bool,
    tags: &'a [String],
}

/// A link's map properties (fields in name order, see [`NodeProperties`]).
#[derive(Serialize)]
struct LinkProperties<'a> {
    allow: &'a [String],
    ban: &'a [String],
    capacity_t_per_day: Option<f64>,
    co2_kg_per_t: f64,
    cost_per_t: f64,
    element: &'static str,
    from: &'a str,
    gauge: Option<u16>,
    hours: f64,
    id: &'a str,
    layer: String,
    length_km: f64,
    mode: &'static str,
    oneway: bool,
    open: bool,
    tags: &'a [String],
    to: &'a str,
}

/// A terminal's map properties (fields in name order).
#[derive(Serialize)]
struct TerminalProperties<'a> {
    accepts: &'a [String],
    ban: &'a [String],
    capacity_t_per_day: Option<f64>,
    co2_kg_per_t: f64,
    connects: Vec<String>,
    element: &'static str,
    handling_cost_per_t: f64,
    hours: f64,
    id: &'a str,
    name: &'a str,
    node: &'a str,
    open: bool,
    tags: &'a [String],
}

/// A border's dwell hours by mode (fields in name order).
#[derive(Serialize)]
struct DwellHours {
    rail: f64,
    river: f64,
    road: f64,
    sea: f64,
}

/// A border's map properties (fields in name order).
#[derive(Serialize)]
struct BorderProperties<'a> {
    allow: &'a [String],
    ban: &'a [String],
    capacity_t_per_day: Option<f64>,
    countries: &'a [String; 2],
    dwell_hours: DwellHours,
    element: &'static str,
    fee_per_t: f64,
    id: &'a str,
    name: &'a str,
    node: &'a str,
    open: bool,
    tags: &'a [String],
}

/// Changes a feature's properties before it is written (a result's
/// flows added to the network map); `None` writes them as they are.
pub type EditProperties<'e> = Option<&'e mut dyn FnMut(&mut JsonObject)>;

/// Writes features one at a time into a FeatureCollection's `features`
/// array, comma-separated, so that only one feature is ever in memory.
struct FeatureWriter<'e, W: Write> {
    w: W,
    first: bool,
    edit: EditProperties<'e>,
}

impl<W: Write> FeatureWriter<'_, W> {
    fn feature<P: Serialize>(&mut self, geometry: Option<&Geometry>, props: &P) -> io::Result<()> {
        if !self.first {
            self.w.write_all(b",")?;
        }
        self.first = false;
        self.w.write_all(br#"{"type":"Feature","geometry":"#)?;
        serde_json::to_writer(&mut self.w, &geometry)?;
        self.w.write_all(br#","properties":"#)?;
        match self.edit.as_mut() {
            None => serde_json::to_writer(&mut self.w, props)?,
            Some(edit) => {
                let mut map = match serde_json::to_value(props)? {
                    JsonValue::Object(m) => m,
                    _ => JsonObject::new(),
                };
                edit(&mut map);
                serde_json::to_writer(&mut self.w, &map)?;
            }
        }
        self.w.write_all(b"}")
    }
}

/// The whole network as a GeoJSON FeatureCollection written to `w`:
/// nodes, links, terminals and borders, with the figures planners look at
/// (per-tonne cost, hours, CO2, capacity). Features are serialised one at
/// a time from the network's own data, so memory does not grow with the
/// network; `w` should be buffered.
pub fn write_network_geojson(net: &Network, w: impl Write) -> io::Result<()> {
    write_network_geojson_with(net, w, None)
}

/// [`write_network_geojson`], with each feature's properties passed
/// through `edit` before they are written.
pub fn write_network_geojson_with(
    net: &Network,
    w: impl Write,
    edit: EditProperties<'_>,
) -> io::Result<()> {
    let mut out = FeatureWriter {
        w,
        first: true,
        edit,
    };
    out.w
        .write_all(br#"{"type":"FeatureCollection","features":["#)?;
    for n in &net.nodes {
        let props = NodeProperties {
            capacity_t_per_day: n.capacity_t_per_day,
            country: &n.country,
            element: "node",
            id: &n.source_id,
            kind: n.kind.as_str(),
            name: &n.name,
            open: n.open,
            tags: &n.tags,
        };
        out.feature(Some(&Geometry::new_point([n.lon, n.lat])), &props)?;
    }
    for l in &net.links {
        let props = LinkProperties {
            allow: &l.commodities.allowed,
            ban: &l.commodities.banned,
            capacity_t_per_day: l.capacity_t_per_day,
            co2_kg_per_t: net.link_co2_kg_per_t(l),
            cost_per_t: net.link_cost_per_t(l),
            element: "link",
            from: &net.node(l.from).source_id,
            gauge: l.gauge_mm,
            hours: net.link_hours(l),
            id: &l.source_id,
            layer: layer_name(l.mode, l.gauge_mm),
            length_km: l.length_km,
            mode: l.mode.as_str(),
            oneway: l.oneway,
            open: l.open,
            tags: &l.tags,
            to: &net.node(l.to).source_id,
        };
        out.feature(line_geometry(&link_line(net, l)).as_ref(), &props)?;
    }
    for t in &net.terminals {
        let props = TerminalProperties {
            accepts: &t.commodities.allowed,
            ban: &t.commodities.banned,
            capacity_t_per_day: t.capacity_t_per_day,
            co2_kg_per_t: t.co2_kg_per_t,
            connects: (t.transfers.iter())
                .map(|(a, b)| format!("{a} <-> {b}"))
                .collect(),
            element: "terminal",
            handling_cost_per_t: t.handling_cost_per_t,
            hours: t.hours,
            id: &t.source_id,
            name: &t.name,
            node: &net.node(t.node).source_id,
            open: t.open,
            tags: &t.tags,
        };
        out.feature(Some(&point(net, t.node)), &props)?;
    }
    for b in &net.borders {
        let props = BorderProperties {
            allow: &b.commodities.allowed,
            ban: &b.commodities.banned,
            capacity_t_per_day: b.capacity_t_per_day,
            countries: &b.countries,
            dwell_hours: DwellHours {
                rail: b.dwell_hours.rail,
                river: b.dwell_hours.river,
                road: b.dwell_hours.road,
                sea: b.dwell_hours.sea,
            },
            element: "border",
            fee_per_t: b.fee_per_t,
            id: &b.source_id,
            name: &b.name,
            node: &net.node(b.node).source_id,
            open: b.open,
            tags: &b.tags,
        };
        out.feature(Some(&point(net, b.node)), &props)?;
    }
    // The foreign members, in the name order a `serde_json` map keeps.
    let mut w = out.w;
    w.write_all(br#"],"currency":"#)?;
    serde_json::to_writer(&mut w, &net.currency)?;
    w.write_all(br#","name":"#)?;
    serde_json::to_writer(&mut w, &net.name)?;
    w.write_all(b"}")?;
    w.flush()
}

/// The network map as one string, for the server and Python, which hand
/// out a whole document; the same bytes [`write_network_geojson`] writes.
pub fn network_geojson(net: &Network) -> String {
    let mut buf = Vec::new();
    write_network_geojson(net, &mut buf).expect("writing to memory cannot fail");
    String::from_utf8(buf).expect("serde_json writes UTF-8")
}

/// The line of one leg in travel order, following each link's geometry
/// forwards or backwards as the route uses it. Ids the network does not
/// know are skipped rather than trusted.
pub(crate) fn leg_line(net: &Network, from: &str, links: &[String]) -> Vec<[f64; 2]> {
    let mut out: Vec<[f64; 2]> = Vec::new();
    let mut at = net.node_id(from);
    for id in links {
        let Some(l) = net.link_id(id).map(|i| net.link(i)) else {
            continue;
        };
        let mut line = link_line(net, l);
        if at == Some(l.to) && at != Some(l.from) {
            line.reverse();
            at = Some(l.from);
        } else {
            at = Some(l.to);
        }
        for p in line {
            if out.last() != Some(&p) {
                out.push(p);
            }
        }
    }
    out
}

fn node_point(net: &Network, id: &str) -> Option<Geometry> {
    net.node_id(id).map(|n| point(net, n))
}

/// One itinerary: a LineString per leg, Points for transfers, border
/// crossings, origin and destination; shipment and totals in the
/// collection's top-level `properties` member.
pub fn itinerary_geojson(net: &Network, it: &Itinerary) -> FeatureCollection {
    let mut features = Vec::new();
    features.push(feature(
        node_point(net, &it.from),
        json!({"element": "origin", "id": it.from}),
    ));
    for (i, leg) in it.legs.iter().enumerate() {
        let line = leg_line(net, &leg.from, &leg.links);
        let geometry = line_geometry(&line);
        let mut props = json!({
                "element": "leg",
                "index": i,
                "mode": leg.mode.as_str(),
                "gauge": leg.gauge,
                "layer": layer_name(leg.mode, leg.gauge),
                "from": leg.from,
                "to": leg.to,
                "km": leg.km,
                "hours": leg.hours,
                "cost": leg.cost,
                "co2_kg": leg.co2_kg,
                "links": leg.links,
        });
        // Only sea legs over sea lanes have a vessel class.
        if let Some(v) = &leg.vessel {
            props["vessel"] = json!(v);
        }
        features.push(feature(geometry, props));
    }
    for (i, x) in it.transfers.iter().enumerate() {
        features.push(feature(
            node_point(net, &x.at),
            json!({
                "element": "transfer",
                "index": i,
                "at": x.at,
                "terminal": x.terminal,
                "from_layer": x.from_layer,
                "to_layer": x.to_layer,
                "hours": x.hours,
                "cost": x.cost,
                "co2_kg": x.co2_kg,
            }),
        ));
    }
    for (i, b) in it.borders.iter().enumerate() {
        features.push(feature(
            node_point(net, &b.at),
            json!({
                "element": "crossing",
                "index": i,
                "at": b.at,
                "border": b.border,
                "countries": b.countries,
                "mode": b.mode.as_str(),
                "hours": b.hours,
                "fees": b.fees,
                "waiting_cost": b.waiting_cost,
            }),
        ));
    }
    features.push(feature(
        node_point(net, &it.to),
        json!({"element": "destination", "id": it.to}),
    ));
    let mut members = JsonObject::new();
    members.insert(
        "properties".into(),
        json!({
            "from": it.from,
            "to": it.to,
            "commodity": it.commodity,
            "tonnes": it.tonnes,
            "minimize": it.minimize,
            "currency": net.currency,
            "totals": it.totals,
        }),
    );
    FeatureCollection {
        bbox: None,
        features,
        foreign_members: Some(members),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The network map as it was built before it streamed: the oracle the
    /// streaming writer must match byte for byte.
    fn network_geojson_values(net: &Network) -> FeatureCollection {
        let mut features = Vec::new();
        for n in &net.nodes {
            features.push(feature(
                Some(Geometry::new_point([n.lon, n.lat])),
                json!({
                    "element": "node",
                    "id": n.source_id,
                    "name": n.name,
                    "kind": n.kind.as_str(),
                    "country": n.country,
                    "capacity_t_per_day": n.capacity_t_per_day,
                    "open": n.open,
                    "tags": n.tags,
                }),
            ));
        }
        for l in &net.links {
            features.push(feature(
                line_geometry(&link_line(net, l)),
                json!({
                    "element": "link",
                    "id": l.source_id,
                    "from": net.node(l.from).source_id,
                    "to": net.node(l.to).source_id,
                    "mode": l.mode.as_str(),
                    "gauge": l.gauge_mm,
                    "layer": layer_name(l.mode, l.gauge_mm),
                    "length_km": l.length_km,
                    "hours": net.link_hours(l),
                    "cost_per_t": net.link_cost_per_t(l),
                    "co2_kg_per_t": net.link_co2_kg_per_t(l),
                    "capacity_t_per_day": l.capacity_t_per_day,
                    "oneway": l.oneway,
                    "open": l.open,
                    "allow": l.commodities.allowed,
                    "ban": l.commodities.banned,
                    "tags": l.tags,
                }),
            ));
        }
        for t in &net.terminals {
            let connects: Vec<String> = t
                .transfers
                .iter()
                .map(|(a, b)| format!("{a} <-> {b}"))
                .collect();
            features.push(feature(
                Some(point(net, t.node)),
                json!({
                    "element": "terminal",
                    "id": t.source_id,
                    "name": t.name,
                    "node": net.node(t.node).source_id,
                    "connects": connects,
                    "handling_cost_per_t": t.handling_cost_per_t,
                    "hours": t.hours,
                    "co2_kg_per_t": t.co2_kg_per_t,
                    "capacity_t_per_day": t.capacity_t_per_day,
                    "accepts": t.commodities.allowed,
                    "ban": t.commodities.banned,
                    "open": t.open,
                    "tags": t.tags,
                }),
            ));
        }
        for b in &net.borders {
            features.push(feature(
                Some(point(net, b.node)),
                json!({
                    "element": "border",
                    "id": b.source_id,
                    "name": b.name,
                    "node": net.node(b.node).source_id,
                    "countries": b.countries,
                    "dwell_hours": {
                        "road": b.dwell_hours.road,
                        "rail": b.dwell_hours.rail,
                        "sea": b.dwell_hours.sea,
                        "river": b.dwell_hours.river,
                    },
                    "fee_per_t": b.fee_per_t,
                    "capacity_t_per_day": b.capacity_t_per_day,
                    "allow": b.commodities.allowed,
                    "ban": b.commodities.banned,
                    "open": b.open,
                    "tags": b.tags,
                }),
            ));
        }
        let mut members = JsonObject::new();
        members.insert("name".into(), json!(net.name));
        members.insert("currency".into(), json!(net.currency));
        FeatureCollection {
            bbox: None,
            features,
            foreign_members: Some(members),
        }
    }

    #[test]
    fn lines_crossing_the_antimeridian_are_split_there() {
        // East across +180: 170 → −170 crosses at the midpoint latitude.
        let parts = split_at_antimeridian(&[[170.0, 10.0], [-170.0, 20.0], [-160.0, 20.0]]);
        assert_eq!(
            parts,
            vec![
                vec![[170.0, 10.0], [180.0, 15.0]],
                vec![[-180.0, 15.0], [-170.0, 20.0], [-160.0, 20.0]]
            ]
        );
        // West across −180, a quarter of the way.
        let parts = split_at_antimeridian(&[[-175.0, 0.0], [165.0, 4.0]]);
        assert_eq!(
            parts,
            vec![
                vec![[-175.0, 0.0], [-180.0, 1.0]],
                vec![[180.0, 1.0], [165.0, 4.0]]
            ]
        );
        // Not crossing: one part, a LineString.
        assert_eq!(split_at_antimeridian(&[[0.0, 0.0], [179.0, 0.0]]).len(), 1);
        // Two lines meeting on the seam: a new part, no point repeated, no NaN.
        let parts =
            split_at_antimeridian(&[[174.0, 40.0], [180.0, 41.0], [-180.0, 41.0], [-170.0, 42.0]]);
        assert_eq!(
            parts,
            vec![
                vec![[174.0, 40.0], [180.0, 41.0]],
                vec![[-180.0, 41.0], [-170.0, 42.0]]
            ]
        );
        // A jump onto the far side of the seam ends the first part there,
        // and a line that only touches it once is not split.
        let parts = split_at_antimeridian(&[[174.0, 40.0], [-180.0, 41.0], [-170.0, 42.0]]);
        assert_eq!(
            parts,
            vec![
                vec![[174.0, 40.0], [180.0, 41.0]],
                vec![[-180.0, 41.0], [-170.0, 42.0]]
            ]
        );
        assert_eq!(
            split_at_antimeridian(&[[170.0, 0.0], [-180.0, 1.0]]),
            vec![vec![[170.0, 0.0], [180.0, 1.0]]]
        );
        let g = line_geometry(&[[170.0, 10.0], [-170.0, 20.0]]).unwrap();
        assert!(
            matches!(g.value, geojson::GeometryValue::MultiLineString { .. }),
            "{g:?}"
        );
        assert!(line_geometry(&[[1.0, 1.0]]).is_none());
    }

    #[test]
    fn no_sea_lane_is_drawn_across_the_world() {
        let (net, _) = crate::sea::read_sea_lanes(
            std::path::Path::new(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../data/searoute/marnet_searoute.geojson"
            )),
            &[],
        )
        .unwrap();
        // Lane links with a step of more than 180° of longitude: the import
        // wraps +180 to −180, so most of them only end (or start) on the
        // seam, and a few cross it.
        let jumping = net
            .links
            .iter()
            .filter(|l| {
                link_line(&net, l)
                    .windows(2)
                    .any(|w| (w[1][0] - w[0][0]).abs() > 180.0)
            })
            .count();
        let fc: FeatureCollection = network_geojson(&net).parse().unwrap();
        let mut multi = 0;
        for f in &fc.features {
            let Some(g) = &f.geometry else { continue };
            let v = serde_json::to_value(g).unwrap();
            let parts: Vec<serde_json::Value> = match v["type"].as_str() {
                Some("LineString") => vec![v["coordinates"].clone()],
                Some("MultiLineString") => {
                    multi += 1;
                    v["coordinates"].as_array().unwrap().clone()
                }
                _ => continue,
            };
            for part in parts {
                let lons: Vec<f64> = part
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p[0].as_f64().unwrap())
                    .collect();
                let lats = part.as_array().unwrap().iter().map(|p| p[1].as_f64());
                assert!(lats.clone().all(|y| y.is_some_and(f64::is_finite)));
                for w in lons.windows(2) {
                    assert!((w[1] - w[0]).abs() <= 180.0, "{:?}", f.properties);
                }
                // No part is a zero-length stub at the seam.
                assert!(lons.len() >= 2 && part[0] != part[lons.len() - 1]);
            }
        }
        // The 52 lane links issue 15 found drawn across the world; 4 of
        // them cross the meridian and are MultiLineStrings, the others are
        // LineStrings that end on it.
        assert_eq!(jumping, 52);
        assert_eq!(multi, 4);
    }

    /// Networks that exercise every kind of feature: the shipped examples,
    /// the sea lanes (MultiLineStrings across the antimeridian) and a
    /// network with odd text and figures no example has.
    fn networks() -> Vec<Network> {
        let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
        let mut nets = Vec::new();
        for ex in ["examples/triangle.toml", "examples/grain-corridors"] {
            nets.push(crate::read_network(&root.join(ex)).unwrap().network);
        }
        let (sea, _) =
            crate::sea::read_sea_lanes(&root.join("data/searoute/marnet_searoute.geojson"), &[])
                .unwrap();
        nets.push(sea);
        let mut odd = nets[0].clone();
        odd.name = "quote \" and \\ back\nslash – ü".into();
        odd.nodes[0].name = "tab\there \u{1}".into();
        odd.nodes[0].capacity_t_per_day = Some(f64::NAN);
        odd.links[0].length_km = 1e-300;
        odd.links[0].capacity_t_per_day = Some(f64::INFINITY);
        odd.links[0].tags = vec!["a\"b".into()];
        nets.push(odd);
        nets
    }

    #[test]
    fn the_streamed_map_has_the_bytes_of_the_value_built_one() {
        for net in networks() {
            let want = network_geojson_values(&net).to_string();
            assert_eq!(network_geojson(&net), want, "{}", net.name);
            // An edit that changes nothing goes through maps, as the
            // result maps do, and must give the same bytes too.
            let mut buf = Vec::new();
            let mut keep = |_: &mut JsonObject| {};
            write_network_geojson_with(&net, &mut buf, Some(&mut keep)).unwrap();
            assert_eq!(String::from_utf8(buf).unwrap(), want, "{}", net.name);
        }
    }

    #[test]
    fn a_failing_writer_is_an_error_not_a_panic() {
        struct Full(usize);
        impl Write for Full {
            fn write(&mut self, b: &[u8]) -> io::Result<usize> {
                if self.0 < b.len() {
                    return Err(io::Error::other("disk full"));
                }
                self.0 -= b.len();
                Ok(b.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let net = &networks()[0];
        let e = write_network_geojson(net, Full(1000)).unwrap_err();
        assert!(e.to_string().contains("disk full"), "{e}");
    }
}
