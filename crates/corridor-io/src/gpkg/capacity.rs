//! A capacity answer as GeoPackage layers: the elements of the cheapest
//! maximum flow and of the minimum cut on `links`, `terminals`, `borders`
//! and `nodes` (flow, capacity, utilisation, whether in the cut and its
//! share), the cut itself in order as the `bottlenecks` table and the
//! totals as `summary`. The same elements as the GeoJSON map.

use super::network::{ELEMENT_LAYERS, element_geometry};
use super::writer::{
    Column, GeoPackage, Kind, Layer, Shape, boolean, col, json_list, opt_real, real, text,
};
use crate::Result;
use corridor_model::Network;
use corridor_model::results::{Bottleneck, CapacityReport};
use rusqlite::types::Value;

/// One element drawn: carrying flow, in the cut, or both.
struct Entry<'a> {
    kind: &'a str,
    id: &'a str,
    name: &'a str,
    flow: f64,
    capacity: Option<f64>,
    utilisation: Option<f64>,
    cut: Option<&'a Bottleneck>,
}

/// Every element carrying flow, then the bottlenecks carrying none.
fn entries(r: &CapacityReport) -> Vec<Entry<'_>> {
    let cut = |kind: &str, id: &str| r.bottlenecks.iter().find(|b| b.kind == kind && b.id == id);
    let mut out: Vec<Entry> = r
        .elements
        .iter()
        .map(|e| Entry {
            kind: &e.kind,
            id: &e.id,
            name: &e.name,
            flow: e.flow,
            capacity: e.capacity,
            utilisation: e.utilisation,
            cut: cut(&e.kind, &e.id),
        })
        .collect();
    for b in &r.bottlenecks {
        if !r.elements.iter().any(|e| e.kind == b.kind && e.id == b.id) {
            out.push(Entry {
                kind: &b.kind,
                id: &b.id,
                name: &b.name,
                flow: 0.0,
                capacity: Some(b.capacity),
                utilisation: Some(0.0),
                cut: Some(b),
            });
        }
    }
    out
}

fn element_columns(unit: &str) -> Vec<Column> {
    vec![
        col(
            "kind",
            Kind::Text,
            "link, terminal, border, node, supply or absorption",
        ),
        col("id", Kind::Text, ""),
        col("name", Kind::Text, ""),
        col("flow", Kind::Real, unit),
        col("capacity", Kind::Real, unit),
        col(
            "utilisation",
            Kind::Real,
            "flow over capacity (a link's busier direction)",
        ),
        col("bottleneck", Kind::Boolean, "in the minimum cut"),
        col("share_of_cut", Kind::Real, "part of the cut, 0..1"),
    ]
}

/// The minimum cut in the report's order.
pub(crate) fn bottleneck_layer(name: &'static str, what: &str, unit: &str) -> Layer {
    Layer {
        name,
        description: what.to_string(),
        shape: Shape::Attributes,
        columns: vec![
            col(
                "kind",
                Kind::Text,
                "link, terminal, border, node, supply or absorption",
            ),
            col("id", Kind::Text, ""),
            col("name", Kind::Text, ""),
            col("capacity", Kind::Real, unit),
            col("share", Kind::Real, "part of the cut, 0..1"),
        ],
    }
}

pub(crate) fn bottleneck_row(b: &Bottleneck, row: &mut Vec<Value>) {
    row.extend([
        text(&b.kind),
        text(&b.id),
        text(&b.name),
        real(b.capacity),
        real(b.share),
    ]);
}

fn summary_layer(r: &CapacityReport, currency: &str) -> Layer {
    Layer {
        name: "summary",
        description: format!("capacity for {}", r.commodity),
        shape: Shape::Attributes,
        columns: vec![
            col("from", Kind::Json, "origins"),
            col("to", Kind::Json, "destinations"),
            col("commodity", Kind::Text, ""),
            col(
                "minimize",
                Kind::Text,
                "what picks the cheapest maximum flow",
            ),
            col("max_flow", Kind::Real, &r.unit),
            col("unit", Kind::Text, ""),
            col("max_flow_mt_per_year", Kind::Real, "Mt/year"),
            col(
                "cost_per_unit",
                Kind::Real,
                &format!("by `minimize` per tonne ({currency} for cost)"),
            ),
            col(
                "exact",
                Kind::Boolean,
                "false when a shared capacity was divided",
            ),
            col("upper_bound", Kind::Real, &r.unit),
            col("notes", Kind::Json, ""),
        ],
    }
}

/// `corridor capacity --format gpkg`; geometry from `net`, the network
/// the answer was computed on.
pub fn capacity(r: &CapacityReport, net: &Network) -> Result<Vec<u8>> {
    let mut g = GeoPackage::new()?;
    let entries = entries(r);
    for (name, shape, kinds) in ELEMENT_LAYERS {
        let rows: Vec<&Entry> = entries.iter().filter(|e| kinds.contains(&e.kind)).collect();
        let layer = Layer {
            name,
            description: format!(
                "{name} of the cheapest maximum flow of {} and of the minimum cut",
                r.commodity
            ),
            shape,
            columns: element_columns(&r.unit),
        };
        g.add(&layer, rows.len(), |i, row| {
            let e = rows[i];
            row.extend([
                text(e.kind),
                text(e.id),
                text(e.name),
                real(e.flow),
                opt_real(e.capacity),
                opt_real(e.utilisation),
                boolean(e.cut.is_some()),
                opt_real(e.cut.map(|b| b.share)),
            ]);
            element_geometry(net, e.kind, e.id)
        })?;
    }
    let cut = bottleneck_layer("bottlenecks", "the minimum cut", &r.unit);
    g.add(&cut, r.bottlenecks.len(), |i, row| {
        bottleneck_row(&r.bottlenecks[i], row);
        None
    })?;
    g.add(&summary_layer(r, &net.currency), 1, |_, row| {
        row.extend([
            json_list(&r.from),
            json_list(&r.to),
            text(&r.commodity),
            text(&r.minimize),
            real(r.max_flow),
            text(&r.unit),
            opt_real(r.max_flow_mt_per_year),
            real(r.cost_per_unit),
            boolean(r.exact),
            opt_real(r.upper_bound),
            json_list(&r.notes),
        ]);
        None
    })?;
    g.into_bytes()
}
