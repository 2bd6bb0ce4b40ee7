//! GeoJSON maps of a network and of an itinerary, as RFC 7946
//! FeatureCollections (lon, lat order, WGS 84) that open in QGIS and
//! geojson.io. Every feature carries an `element` property (`node`, `link`,
//! `terminal`, `border`, `leg`, `transfer`, `crossing`, `origin`,
//! `destination`) so one file can be styled by kind. This module builds
//! values only; callers serialise them and write with [`crate::write_atomic`].

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
            Some(Geometry::new_line_string(link_line(net, l))),
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
        let geometry = (line.len() >= 2).then(|| Geometry::new_line_string(line));
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
