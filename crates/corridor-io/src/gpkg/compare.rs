//! A comparison as GeoPackage layers: every element that carried flow or
//! was in the cut before or after, on `links`, `terminals`, `borders` and
//! `nodes` (flow before, after and the change; capacity and cut membership
//! on both sides; its rank among the report's largest changes), the
//! bottlenecks relieved and new, the legs of the best route before and
//! after, and the totals as `summary`.

use super::capacity::{bottleneck_layer, bottleneck_row};
use super::network::{ELEMENT_LAYERS, element_geometry};
use super::route::{leg_layer, leg_row};
use super::writer::{
    Column, GeoPackage, Kind, Layer, Shape, boolean, col, int, json_list, opt_real, opt_text, real,
    text,
};
use crate::Result;
use corridor_model::Network;
use corridor_model::results::{CapacityReport, CompareReport, RouteOutcome};
use rusqlite::types::Value;
use std::collections::BTreeMap;

/// One side of an element: flow, capacity, in the cut.
#[derive(Clone, Copy, Default)]
struct Side {
    flow: f64,
    capacity: Option<f64>,
    cut: bool,
}

/// (kind, id) → (name, before, after), in kind then id order.
type Sides<'a> = BTreeMap<(&'a str, &'a str), (&'a str, Side, Side)>;

fn add_side<'a>(all: &mut Sides<'a>, r: &'a CapacityReport, after: bool) {
    for e in &r.elements {
        let s = all
            .entry((&e.kind, &e.id))
            .or_insert((&e.name, Side::default(), Side::default()));
        let side = if after { &mut s.2 } else { &mut s.1 };
        side.flow = e.flow;
        side.capacity = e.capacity;
    }
    for b in &r.bottlenecks {
        let s = all
            .entry((&b.kind, &b.id))
            .or_insert((&b.name, Side::default(), Side::default()));
        let side = if after { &mut s.2 } else { &mut s.1 };
        side.cut = true;
        side.capacity = side.capacity.or(Some(b.capacity));
    }
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
        col("flow_before", Kind::Real, unit),
        col("flow_after", Kind::Real, unit),
        col("change", Kind::Real, unit),
        col("capacity_before", Kind::Real, unit),
        col("capacity_after", Kind::Real, unit),
        col(
            "bottleneck_before",
            Kind::Boolean,
            "in the base's minimum cut",
        ),
        col(
            "bottleneck_after",
            Kind::Boolean,
            "in the scenario's minimum cut",
        ),
        col(
            "largest_change_rank",
            Kind::Integer,
            "1-based rank among the report's largest flow changes",
        ),
    ]
}

fn route_columns(when: &str, currency: &str) -> Vec<Column> {
    vec![
        col(
            &format!("route_{when}_cost"),
            Kind::Real,
            &format!("{currency} per tonne"),
        ),
        col(&format!("route_{when}_hours"), Kind::Real, "hours"),
        col(&format!("route_{when}_km"), Kind::Real, "km"),
        col(
            &format!("no_route_{when}"),
            Kind::Text,
            "why there is no route",
        ),
    ]
}

fn route_values(r: &RouteOutcome, row: &mut Vec<Value>) {
    let t = r.itinerary.as_ref().map(|it| it.totals);
    row.extend([
        opt_real(t.map(|t| t.cost)),
        opt_real(t.map(|t| t.hours)),
        opt_real(t.map(|t| t.km)),
        opt_text(r.no_route.as_deref()),
    ]);
}

fn summary_layer(r: &CompareReport, currency: &str) -> Layer {
    let unit = &r.base.unit;
    let mut columns = vec![
        col("scenarios", Kind::Json, "applied in order"),
        col("from", Kind::Json, "origins"),
        col("to", Kind::Json, "destinations"),
        col("commodity", Kind::Text, ""),
        col("minimize", Kind::Text, ""),
        col("unit", Kind::Text, ""),
        col("max_flow_before", Kind::Real, unit),
        col("max_flow_after", Kind::Real, unit),
        col("ratio", Kind::Real, "after over before"),
    ];
    columns.extend(route_columns("before", currency));
    columns.extend(route_columns("after", currency));
    Layer {
        name: "summary",
        description: "capacity and best route before and after".into(),
        shape: Shape::Attributes,
        columns,
    }
}

/// `corridor compare --format gpkg`: geometry from `edited` (the network
/// with the scenarios applied), else from `base` (elements a scenario
/// removed); the route before is drawn on `base`, after on `edited`.
pub fn compare(r: &CompareReport, base: &Network, edited: &Network) -> Result<Vec<u8>> {
    let unit = &r.base.unit;
    let currency = &base.currency;
    let mut all = Sides::new();
    add_side(&mut all, &r.base, false);
    add_side(&mut all, &r.scenario, true);
    let rank = |kind: &str, id: &str| {
        r.flow_changes
            .iter()
            .position(|c| c.kind == kind && c.id == id)
    };
    let mut g = GeoPackage::new()?;
    for (name, shape, kinds) in ELEMENT_LAYERS {
        let rows: Vec<_> = all.iter().filter(|((k, _), _)| kinds.contains(k)).collect();
        let layer = Layer {
            name,
            description: format!("{name}: flows of {} before and after", r.base.commodity),
            shape,
            columns: element_columns(unit),
        };
        g.add(&layer, rows.len(), |i, row| {
            let (&(kind, id), &(el_name, b, a)) = rows[i];
            row.extend([
                text(kind),
                text(id),
                text(el_name),
                real(b.flow),
                real(a.flow),
                real(a.flow - b.flow),
                opt_real(b.capacity),
                opt_real(a.capacity),
                boolean(b.cut),
                boolean(a.cut),
                rank(kind, id).map_or(Value::Null, |k| int(k + 1)),
            ]);
            element_geometry(edited, kind, id).or_else(|| element_geometry(base, kind, id))
        })?;
    }

    let mut cut = bottleneck_layer(
        "bottlenecks",
        "bottlenecks relieved (in the base's cut only) and new (in the scenario's only)",
        unit,
    );
    cut.columns
        .insert(0, col("status", Kind::Text, "relieved or new"));
    let changed: Vec<_> = (r.bottlenecks_disappeared.iter().map(|b| ("relieved", b)))
        .chain(r.bottlenecks_appeared.iter().map(|b| ("new", b)))
        .collect();
    g.add(&cut, changed.len(), |i, row| {
        row.push(text(changed[i].0));
        bottleneck_row(changed[i].1, row);
        None
    })?;

    let routes: Vec<_> = [
        ("before", &r.route_before, base),
        ("after", &r.route_after, edited),
    ]
    .into_iter()
    .filter_map(|(when, o, net)| o.itinerary.as_ref().map(|it| (when, it, net)))
    .flat_map(|(when, it, net)| (0..it.legs.len()).map(move |i| (when, it, net, i)))
    .collect();
    let legs = leg_layer(col("route", Kind::Text, "before or after"), currency);
    g.add(&legs, routes.len(), |n, row| {
        let (when, it, net, i) = routes[n];
        row.push(text(when));
        let step = it
            .steps
            .iter()
            .position(|s| *s == corridor_model::Step::Leg(i))
            .map_or(Value::Null, |k| int(k + 1));
        leg_row(net, it, i, step, row)
    })?;

    g.add(&summary_layer(r, currency), 1, |_, row| {
        row.extend([
            json_list(&r.scenarios),
            json_list(&r.base.from),
            json_list(&r.base.to),
            text(&r.base.commodity),
            text(&r.base.minimize),
            text(unit),
            real(r.base.max_flow),
            real(r.scenario.max_flow),
            opt_real(r.ratio),
        ]);
        route_values(&r.route_before, row);
        route_values(&r.route_after, row);
        None
    })?;
    g.into_bytes()
}
