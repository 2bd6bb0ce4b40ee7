//! The network as GeoPackage layers: `nodes`, `links` (their own geometry
//! or a straight line), `terminals` and `borders` (at their node), every
//! attribute a typed column, in network order. `export` writes these four;
//! `assign` writes them with flow columns added, through the column lists
//! and row fillers here. Also the one lookup of an element's geometry by
//! kind and id that the result layers share.

use super::geometry::Geometry;
use super::writer::{
    Column, GeoPackage, Kind, Layer, Shape, boolean, col, json_list, opt_real, real, text,
};
use crate::Result;
use corridor_model::{Link, Network, NodeId};
use rusqlite::types::Value;

/// A link's line from `from` to `to` (its own geometry, or a straight
/// line, as on the GeoJSON map), split at the ±180° meridian.
pub(crate) fn link_line(net: &Network, l: &Link) -> Option<Geometry> {
    Geometry::line(&crate::geojson_out::link_line(net, l))
}

pub(crate) fn node_point(net: &Network, id: NodeId) -> Geometry {
    let n = net.node(id);
    Geometry::Point([n.lon, n.lat])
}

/// A node's point by its id; `None` for ids the network does not know.
pub(crate) fn place(net: &Network, id: &str) -> Option<Geometry> {
    net.node_id(id).map(|n| node_point(net, n))
}

/// The geometry of a result's element: a link's line, a terminal's or
/// border's node, a node (also a `supply` or `absorption` limit, which is
/// at its place); `None` for ids the network does not know.
pub(crate) fn element_geometry(net: &Network, kind: &str, id: &str) -> Option<Geometry> {
    match kind {
        "link" => net.link_id(id).and_then(|l| link_line(net, net.link(l))),
        "terminal" => net
            .terminal_id(id)
            .map(|t| node_point(net, net.terminals[t.index()].node)),
        "border" => net
            .border_id(id)
            .map(|b| node_point(net, net.borders[b.index()].node)),
        _ => place(net, id),
    }
}

fn describe(net: &Network, what: &str) -> String {
    format!(
        "{what} of network {} (money in {}, flows in {})",
        net.name,
        net.currency,
        net.flow_unit.as_str()
    )
}

pub(crate) fn node_layer(net: &Network) -> Layer {
    Layer {
        name: "nodes",
        description: describe(net, "places"),
        shape: Shape::Point,
        columns: vec![
            col("id", Kind::Text, "node id"),
            col("name", Kind::Text, ""),
            col(
                "kind",
                Kind::Text,
                "city, terminal, port, station, border, junction or zone",
            ),
            col("country", Kind::Text, "country code"),
            col(
                "capacity_t_per_day",
                Kind::Real,
                "throughput limit of the place itself, t/day",
            ),
            col("open", Kind::Boolean, ""),
            col(
                "no_through",
                Kind::Boolean,
                "paths may start or end here but not pass through",
            ),
            col("tags", Kind::Json, "labels scenarios select by"),
        ],
    }
}

pub(crate) fn node_row(net: &Network, i: usize, row: &mut Vec<Value>) -> Option<Geometry> {
    let n = &net.nodes[i];
    row.extend([
        text(&n.source_id),
        text(&n.name),
        text(n.kind.as_str()),
        text(&n.country),
        opt_real(n.capacity_t_per_day),
        boolean(n.open),
        boolean(n.no_through),
        json_list(&n.tags),
    ]);
    Some(Geometry::Point([n.lon, n.lat]))
}

pub(crate) fn link_layer(net: &Network) -> Layer {
    let money = &net.currency;
    Layer {
        name: "links",
        description: describe(net, "links"),
        shape: Shape::MultiLineString,
        columns: vec![
            col("id", Kind::Text, "link id"),
            col("from", Kind::Text, "node id"),
            col("to", Kind::Text, "node id"),
            col("mode", Kind::Text, "road, rail, sea or river"),
            col("gauge", Kind::Integer, "rail track gauge, mm"),
            col("layer", Kind::Text, "mode, with the gauge for rail"),
            col("length_km", Kind::Real, "km"),
            col("speed_kmh", Kind::Real, "the link's own speed, km/h"),
            col("hours", Kind::Real, "hours to pass, defaults applied"),
            col(
                "cost_per_t",
                Kind::Real,
                &format!("{money} per tonne, defaults applied"),
            ),
            col(
                "co2_kg_per_t",
                Kind::Real,
                "kg CO2 per tonne, defaults applied",
            ),
            col(
                "cost_per_tkm",
                Kind::Real,
                &format!("the link's own {money} per tonne-km"),
            ),
            col(
                "co2_kg_per_tkm",
                Kind::Real,
                "the link's own kg CO2 per tonne-km",
            ),
            col("capacity_t_per_day", Kind::Real, "t/day in each direction"),
            col("oneway", Kind::Boolean, ""),
            col("open", Kind::Boolean, ""),
            col(
                "allow",
                Kind::Json,
                "commodities or classes allowed (empty: all)",
            ),
            col("ban", Kind::Json, "commodities or classes banned"),
            col("tags", Kind::Json, "labels scenarios select by"),
            col("bpr_alpha", Kind::Real, "volume-delay function alpha"),
            col("bpr_beta", Kind::Real, "volume-delay function power"),
            col(
                "toll",
                Kind::Real,
                &format!("{money} per tonne (per vehicle on a TNTP network)"),
            ),
        ],
    }
}

pub(crate) fn link_row(net: &Network, i: usize, row: &mut Vec<Value>) -> Option<Geometry> {
    let l = &net.links[i];
    row.extend([
        text(&l.source_id),
        text(&net.node(l.from).source_id),
        text(&net.node(l.to).source_id),
        text(l.mode.as_str()),
        l.gauge_mm.map_or(Value::Null, |g| Value::Integer(g.into())),
        text(&l.layer().to_string()),
        real(l.length_km),
        opt_real(l.speed_kmh),
        real(net.link_hours(l)),
        real(net.link_cost_per_t(l)),
        real(net.link_co2_kg_per_t(l)),
        opt_real(l.cost_per_tkm),
        opt_real(l.co2_kg_per_tkm),
        opt_real(l.capacity_t_per_day),
        boolean(l.oneway),
        boolean(l.open),
        json_list(&l.commodities.allowed),
        json_list(&l.commodities.banned),
        json_list(&l.tags),
        opt_real(l.bpr_alpha),
        opt_real(l.bpr_beta),
        real(l.toll),
    ]);
    link_line(net, l)
}

pub(crate) fn terminal_layer(net: &Network) -> Layer {
    Layer {
        name: "terminals",
        description: describe(net, "terminals"),
        shape: Shape::Point,
        columns: vec![
            col("id", Kind::Text, "terminal id"),
            col("name", Kind::Text, ""),
            col("node", Kind::Text, "node id"),
            col("connects", Kind::Json, "layer pairs it transfers between"),
            col(
                "handling_cost_per_t",
                Kind::Real,
                &format!("{} per tonne", net.currency),
            ),
            col("hours", Kind::Real, "hours per transfer"),
            col("co2_kg_per_t", Kind::Real, "kg CO2 per tonne"),
            col("capacity_t_per_day", Kind::Real, "t/day"),
            col(
                "accepts",
                Kind::Json,
                "commodities or classes accepted (empty: all)",
            ),
            col("ban", Kind::Json, "commodities or classes banned"),
            col("open", Kind::Boolean, ""),
            col("tags", Kind::Json, "labels scenarios select by"),
        ],
    }
}

pub(crate) fn terminal_row(net: &Network, i: usize, row: &mut Vec<Value>) -> Option<Geometry> {
    let t = &net.terminals[i];
    let connects: Vec<String> = t
        .transfers
        .iter()
        .map(|(a, b)| format!("{a} <-> {b}"))
        .collect();
    row.extend([
        text(&t.source_id),
        text(&t.name),
        text(&net.node(t.node).source_id),
        json_list(&connects),
        real(t.handling_cost_per_t),
        real(t.hours),
        real(t.co2_kg_per_t),
        opt_real(t.capacity_t_per_day),
        json_list(&t.commodities.allowed),
        json_list(&t.commodities.banned),
        boolean(t.open),
        json_list(&t.tags),
    ]);
    Some(node_point(net, t.node))
}

pub(crate) fn border_layer(net: &Network) -> Layer {
    let mut columns = vec![
        col("id", Kind::Text, "border id"),
        col("name", Kind::Text, ""),
        col("node", Kind::Text, "node id"),
        col("country_a", Kind::Text, "country code of one side"),
        col("country_b", Kind::Text, "country code of the other side"),
    ];
    for mode in ["road", "rail", "sea", "river"] {
        columns.push(col(
            &format!("dwell_hours_{mode}"),
            Kind::Real,
            &format!("hours to cross by {mode}"),
        ));
    }
    columns.extend([
        col(
            "fee_per_t",
            Kind::Real,
            &format!("{} per tonne", net.currency),
        ),
        col("capacity_t_per_day", Kind::Real, "t/day"),
        col(
            "allow",
            Kind::Json,
            "commodities or classes allowed (empty: all)",
        ),
        col("ban", Kind::Json, "commodities or classes banned"),
        col("open", Kind::Boolean, ""),
        col("tags", Kind::Json, "labels scenarios select by"),
    ]);
    Layer {
        name: "borders",
        description: describe(net, "border crossings"),
        shape: Shape::Point,
        columns,
    }
}

pub(crate) fn border_row(net: &Network, i: usize, row: &mut Vec<Value>) -> Option<Geometry> {
    let b = &net.borders[i];
    let d = &b.dwell_hours;
    row.extend([
        text(&b.source_id),
        text(&b.name),
        text(&net.node(b.node).source_id),
        text(&b.countries[0]),
        text(&b.countries[1]),
        real(d.road),
        real(d.rail),
        real(d.sea),
        real(d.river),
        real(b.fee_per_t),
        opt_real(b.capacity_t_per_day),
        json_list(&b.commodities.allowed),
        json_list(&b.commodities.banned),
        boolean(b.open),
        json_list(&b.tags),
    ]);
    Some(node_point(net, b.node))
}

/// `corridor export --format gpkg`: the network's four layers.
pub fn network(net: &Network) -> Result<Vec<u8>> {
    let mut g = GeoPackage::new()?;
    g.add(&node_layer(net), net.nodes.len(), |i, row| {
        node_row(net, i, row)
    })?;
    g.add(&link_layer(net), net.links.len(), |i, row| {
        link_row(net, i, row)
    })?;
    g.add(&terminal_layer(net), net.terminals.len(), |i, row| {
        terminal_row(net, i, row)
    })?;
    g.add(&border_layer(net), net.borders.len(), |i, row| {
        border_row(net, i, row)
    })?;
    g.into_bytes()
}

/// The layers results draw their elements on, and the element kinds each
/// holds (a `supply` or `absorption` limit is at its node).
pub(crate) const ELEMENT_LAYERS: [(&str, Shape, &[&str]); 4] = [
    ("links", Shape::MultiLineString, &["link"]),
    ("terminals", Shape::Point, &["terminal"]),
    ("borders", Shape::Point, &["border"]),
    ("nodes", Shape::Point, &["node", "supply", "absorption"]),
];

/// Columns named `prefix` + each name, for per-commodity figures.
pub(crate) fn per_name(prefix: &str, names: &[&str], kind: Kind, doc: &str) -> Vec<Column> {
    names
        .iter()
        .map(|n| col(&format!("{prefix}{n}"), kind, &format!("{doc} of {n}")))
        .collect()
}
