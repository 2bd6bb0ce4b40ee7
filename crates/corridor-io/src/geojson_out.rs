//! GeoJSON maps of a network and of an itinerary, as RFC 7946
//! FeatureCollections (lon, lat order, WGS 84) that open in QGIS and
//! geojson.io. Every feature carries an `element` property (`node`, `link`,
//! `terminal`, `border`, `leg`, `transfer`, `crossing`, `origin`,
//! `destination`) so one file can be styled by kind. Lines that cross the
//! ±180° meridian are split there into a MultiLineString (RFC 7946 § 3.1.9),
//! so no map draws them across the whole world. This module builds values
//! only; callers serialise them and write with [`crate::write_atomic`].

use corridor_model::{Itinerary, Link, Mode, Network, NodeId};
use geojson::{Feature, FeatureCollection, Geometry, JsonObject, JsonValue};
use serde_json::json;

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
fn link_line(net: &Network, l: &Link) -> Vec<[f64; 2]> {
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
/// straight step crosses it.
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
                let t = (edge - a[0]) / (p[0] + shift - a[0]);
                let lat = a[1] + t * (p[1] - a[1]);
                cur.push([edge, lat]);
                parts.push(std::mem::take(&mut cur));
                cur.push([-edge, lat]);
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

/// The whole network: nodes, links, terminals and borders, with the
/// figures planners look at (per-tonne cost, hours, CO2, capacity).
pub fn network_geojson(net: &Network) -> FeatureCollection {
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
        features.push(feature(
            geometry,
            json!({
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
            }),
        ));
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
        let fc = network_geojson(&net);
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
                for w in lons.windows(2) {
                    assert!((w[1] - w[0]).abs() <= 180.0, "{:?}", f.properties);
                }
            }
        }
        // The 52 lane links issue 15 found drawn across the world.
        assert_eq!(multi, 52);
    }
}
