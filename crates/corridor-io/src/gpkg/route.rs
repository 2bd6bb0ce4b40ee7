//! A route as GeoPackage layers: `itineraries` (the whole way as one line,
//! with the shipment and its totals), `legs` (a line per leg, following
//! each link's geometry), `transfers` and `crossings` (points at their
//! node). Every row names its `itinerary` (0-based; a Pareto set has
//! several) and its `step` in travel order, as the text table numbers it.

use super::geometry::Geometry;
use super::network::place;
use super::writer::{
    Column, GeoPackage, Kind, Layer, Shape, col, int, json_list, opt_real, real, text,
};
use crate::Result;
use crate::geojson_out::leg_line;
use corridor_model::{Itinerary, Network, RouteResult, Step};
use rusqlite::types::Value;

/// Step numbers (1-based, travel order) of an itinerary's legs, transfers
/// and crossings; itineraries without `steps` list them in that order.
fn step_numbers(it: &Itinerary) -> [Vec<Value>; 3] {
    let mut n = [
        vec![Value::Null; it.legs.len()],
        vec![Value::Null; it.transfers.len()],
        vec![Value::Null; it.borders.len()],
    ];
    let steps: Vec<Step> = if it.steps.is_empty() {
        (0..it.legs.len())
            .map(Step::Leg)
            .chain((0..it.transfers.len()).map(Step::Transfer))
            .chain((0..it.borders.len()).map(Step::Border))
            .collect()
    } else {
        it.steps.clone()
    };
    for (k, s) in steps.into_iter().enumerate() {
        let (list, i) = match s {
            Step::Leg(i) => (0, i),
            Step::Transfer(i) => (1, i),
            Step::Border(i) => (2, i),
        };
        if let Some(slot) = n[list].get_mut(i) {
            *slot = int(k + 1);
        }
    }
    n
}

/// Rows of one kind across all itineraries: (itinerary, index).
fn rows(its: &[Itinerary], count: impl Fn(&Itinerary) -> usize) -> Vec<(usize, usize)> {
    its.iter()
        .enumerate()
        .flat_map(|(k, it)| (0..count(it)).map(move |i| (k, i)))
        .collect()
}

/// The layer of every itinerary's legs (shared with `compare`, whose
/// routes before and after are two itineraries).
pub(crate) fn leg_layer(first: Column, currency: &str) -> Layer {
    Layer {
        name: "legs",
        description: "legs: consecutive links of one layer".into(),
        shape: Shape::MultiLineString,
        columns: vec![
            first,
            col("index", Kind::Integer, "0-based, in the itinerary's legs"),
            col("step", Kind::Integer, "1-based, in travel order"),
            col("mode", Kind::Text, ""),
            col("gauge", Kind::Integer, "mm"),
            col("layer", Kind::Text, ""),
            col("from", Kind::Text, "node id"),
            col("to", Kind::Text, "node id"),
            col("km", Kind::Real, "km"),
            col("hours", Kind::Real, "hours"),
            col("cost", Kind::Real, &format!("{currency} for the shipment")),
            col("co2_kg", Kind::Real, "kg CO2 for the shipment"),
            col("links", Kind::Json, "link ids in travel order"),
        ],
    }
}

/// One leg's values after the first column, and its line.
pub(crate) fn leg_row(
    net: &Network,
    it: &Itinerary,
    i: usize,
    step: Value,
    row: &mut Vec<Value>,
) -> Option<Geometry> {
    let l = &it.legs[i];
    let layer = match l.gauge {
        Some(g) => format!("{}:{g}", l.mode),
        None => l.mode.to_string(),
    };
    row.extend([
        int(i),
        step,
        text(l.mode.as_str()),
        l.gauge.map_or(Value::Null, |g| Value::Integer(g.into())),
        text(&layer),
        text(&l.from),
        text(&l.to),
        real(l.km),
        real(l.hours),
        real(l.cost),
        real(l.co2_kg),
        json_list(&l.links),
    ]);
    Geometry::line(&leg_line(net, &l.from, &l.links))
}

/// The whole way: the legs' lines joined in travel order.
fn itinerary_line(net: &Network, it: &Itinerary) -> Option<Geometry> {
    let mut all: Vec<[f64; 2]> = Vec::new();
    for l in &it.legs {
        for p in leg_line(net, &l.from, &l.links) {
            if all.last() != Some(&p) {
                all.push(p);
            }
        }
    }
    Geometry::line(&all)
}

fn itinerary_layer(currency: &str) -> Layer {
    Layer {
        name: "itineraries",
        description: "itineraries with the shipment and its totals".into(),
        shape: Shape::MultiLineString,
        columns: vec![
            col("itinerary", Kind::Integer, "0-based"),
            col("from", Kind::Text, "node id"),
            col("to", Kind::Text, "node id"),
            col("commodity", Kind::Text, ""),
            col("tonnes", Kind::Real, "t"),
            col("minimize", Kind::Text, "what was minimised, or pareto"),
            col("cost", Kind::Real, &format!("{currency} for the shipment")),
            col("hours", Kind::Real, "hours"),
            col("km", Kind::Real, "km"),
            col("co2_kg", Kind::Real, "kg CO2 for the shipment"),
            col(
                "generalised",
                Kind::Real,
                &format!("{currency}: money + value of time + carbon"),
            ),
            col(
                "snap_km_origin",
                Kind::Real,
                "km from the place asked to the network",
            ),
            col(
                "snap_km_destination",
                Kind::Real,
                "km from the place asked to the network",
            ),
        ],
    }
}

/// The first columns of a point layer of itinerary steps (`what`: the
/// transfers or the crossings): which itinerary, which of its `what`, which
/// step, and at which node.
fn step_columns(what: &str) -> Vec<Column> {
    vec![
        col("itinerary", Kind::Integer, "0-based"),
        col(
            "index",
            Kind::Integer,
            &format!("0-based, in the itinerary's {what}"),
        ),
        col("step", Kind::Integer, "1-based, in travel order"),
        col("at", Kind::Text, "node id"),
    ]
}

/// The `transfers` layer of `route`: one point per change of layer.
fn transfer_layer(currency: &str) -> Layer {
    Layer {
        name: "transfers",
        description: "changes of layer at terminals".into(),
        shape: Shape::Point,
        columns: [
            step_columns("transfers"),
            vec![
                col("terminal", Kind::Text, "terminal id"),
                col("from_layer", Kind::Text, ""),
                col("to_layer", Kind::Text, ""),
                col("hours", Kind::Real, "hours"),
                col("cost", Kind::Real, &format!("{currency} for the shipment")),
                col("co2_kg", Kind::Real, "kg CO2 for the shipment"),
            ],
        ]
        .concat(),
    }
}

/// The `crossings` layer of `route`: one point per border crossed.
fn crossing_layer(currency: &str) -> Layer {
    Layer {
        name: "crossings",
        description: "border crossings".into(),
        shape: Shape::Point,
        columns: [
            step_columns("crossings"),
            vec![
                col("border", Kind::Text, "border id"),
                col("country_a", Kind::Text, "country code of one side"),
                col("country_b", Kind::Text, "country code of the other side"),
                col("mode", Kind::Text, ""),
                col("hours", Kind::Real, "hours"),
                col("fees", Kind::Real, &format!("{currency} for the shipment")),
                col(
                    "waiting_cost",
                    Kind::Real,
                    &format!("{currency} for the shipment: the vehicle held for the hours"),
                ),
            ],
        ]
        .concat(),
    }
}

/// `corridor route --format gpkg`: every itinerary of `r` on `net`.
pub fn route(r: &RouteResult, net: &Network) -> Result<Vec<u8>> {
    let its = &r.itineraries;
    let currency = &net.currency;
    let steps: Vec<[Vec<Value>; 3]> = its.iter().map(step_numbers).collect();
    let mut g = GeoPackage::new()?;
    g.add(&itinerary_layer(currency), its.len(), |k, row| {
        let it = &its[k];
        let t = &it.totals;
        row.extend([
            int(k),
            text(&it.from),
            text(&it.to),
            text(&it.commodity),
            real(it.tonnes),
            text(&it.minimize),
            real(t.cost),
            real(t.hours),
            real(t.km),
            real(t.co2_kg),
            real(t.generalised),
            opt_real(it.snap_km.map(|s| s[0])),
            opt_real(it.snap_km.map(|s| s[1])),
        ]);
        itinerary_line(net, it)
    })?;

    let legs = rows(its, |it| it.legs.len());
    let layer = leg_layer(col("itinerary", Kind::Integer, "0-based"), currency);
    g.add(&layer, legs.len(), |n, row| {
        let (k, i) = legs[n];
        row.push(int(k));
        leg_row(net, &its[k], i, steps[k][0][i].clone(), row)
    })?;

    let transfers = rows(its, |it| it.transfers.len());
    let layer = transfer_layer(currency);
    g.add(&layer, transfers.len(), |n, row| {
        let (k, i) = transfers[n];
        let x = &its[k].transfers[i];
        row.extend([
            int(k),
            int(i),
            steps[k][1][i].clone(),
            text(&x.at),
            text(&x.terminal),
            text(&x.from_layer),
            text(&x.to_layer),
            real(x.hours),
            real(x.cost),
            real(x.co2_kg),
        ]);
        place(net, &x.at)
    })?;

    let crossings = rows(its, |it| it.borders.len());
    let layer = crossing_layer(currency);
    g.add(&layer, crossings.len(), |n, row| {
        let (k, i) = crossings[n];
        let b = &its[k].borders[i];
        row.extend([
            int(k),
            int(i),
            steps[k][2][i].clone(),
            text(&b.at),
            text(&b.border),
            text(&b.countries[0]),
            text(&b.countries[1]),
            text(b.mode.as_str()),
            real(b.hours),
            real(b.fees),
            real(b.waiting_cost),
        ]);
        place(net, &b.at)
    })?;
    g.into_bytes()
}
