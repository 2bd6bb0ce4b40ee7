//! Itineraries for people and for scripts: a fixed-width text table of the
//! steps in travel order with totals, and the JSON shape of issue 2 (one
//! object per itinerary, a list under `itineraries` for Pareto sets). This
//! module formats results only; it does not route or write files.

use corridor_model::{Itinerary, Step};
use serde_json::{Value, json};

fn layer(mode: corridor_model::Mode, gauge: Option<u16>) -> String {
    match gauge {
        Some(g) => format!("{mode}:{g}"),
        None => mode.to_string(),
    }
}

/// A readable table of an itinerary: one row per leg, transfer and border
/// crossing in travel order, then the totals. Money is for the whole
/// shipment in `currency`.
pub fn itinerary_text(it: &Itinerary, currency: &str) -> String {
    let steps: Vec<Step> = if it.steps.is_empty() {
        (0..it.legs.len())
            .map(Step::Leg)
            .chain((0..it.transfers.len()).map(Step::Transfer))
            .chain((0..it.borders.len()).map(Step::Border))
            .collect()
    } else {
        it.steps.clone()
    };
    let cost_head = format!("cost {currency}");
    let mut rows: Vec<[String; 8]> = vec![[
        "#".into(),
        "step".into(),
        "where".into(),
        "layer".into(),
        "km".into(),
        "hours".into(),
        cost_head,
        "CO2 kg".into(),
    ]];
    for (n, step) in steps.iter().enumerate() {
        let row = match *step {
            Step::Leg(i) => it.legs.get(i).map(|l| {
                [
                    (n + 1).to_string(),
                    "leg".into(),
                    format!("{} → {}", l.from, l.to),
                    layer(l.mode, l.gauge),
                    format!("{:.1}", l.km),
                    format!("{:.1}", l.hours),
                    format!("{:.2}", l.cost),
                    format!("{:.1}", l.co2_kg),
                ]
            }),
            Step::Transfer(i) => it.transfers.get(i).map(|x| {
                [
                    (n + 1).to_string(),
                    "transfer".into(),
                    format!("{} ({})", x.at, x.terminal),
                    format!("{} → {}", x.from_layer, x.to_layer),
                    String::new(),
                    format!("{:.1}", x.hours),
                    format!("{:.2}", x.cost),
                    format!("{:.1}", x.co2_kg),
                ]
            }),
            Step::Border(i) => it.borders.get(i).map(|b| {
                [
                    (n + 1).to_string(),
                    "border".into(),
                    format!("{} ({}–{})", b.at, b.countries[0], b.countries[1]),
                    b.mode.to_string(),
                    String::new(),
                    format!("{:.1}", b.hours),
                    format!("{:.2}", b.fees),
                    String::new(),
                ]
            }),
        };
        if let Some(row) = row {
            rows.push(row);
        }
    }
    let t = &it.totals;
    rows.push([
        String::new(),
        "total".into(),
        String::new(),
        String::new(),
        format!("{:.1}", t.km),
        format!("{:.1}", t.hours),
        format!("{:.2}", t.cost),
        format!("{:.1}", t.co2_kg),
    ]);
    let mut widths = [0usize; 8];
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let goal = match it.minimize.as_str() {
        "pareto" => "one of the itineraries trading cost against time (Pareto set)".to_string(),
        m => format!("minimising {m}"),
    };
    let mut out = format!(
        "{} t of {} from {} to {}, {goal}\n\n",
        it.tonnes, it.commodity, it.from, it.to
    );
    let last = rows.len() - 1;
    for (i, r) in rows.iter().enumerate() {
        if i == last {
            let total: usize = widths.iter().sum::<usize>() + 2 * (widths.len() - 1);
            out.push_str(&"-".repeat(total));
            out.push('\n');
        }
        let mut line = String::new();
        for (j, (c, w)) in r.iter().zip(widths).enumerate() {
            let pad = w - c.chars().count();
            if j > 0 {
                line.push_str("  ");
            }
            // Numbers right-aligned, words left-aligned.
            if j == 0 || j >= 4 {
                line.push_str(&" ".repeat(pad));
                line.push_str(c);
            } else {
                line.push_str(c);
                line.push_str(&" ".repeat(pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if it.minimize == "generalised" {
        out.push_str(&format!(
            "\ngeneralised cost (money + value of time + carbon): {:.2} {currency}\n",
            t.generalised
        ));
    }
    if let Some([a, b]) = it.snap_km {
        out.push_str(&format!(
            "\nsnapped to the network: origin {a:.1} km, destination {b:.1} km away\n"
        ));
    }
    out
}

/// One itinerary as the JSON object of issue 2 (`from`, `to`, `commodity`,
/// `tonnes`, `totals`, `legs`, `transfers`, `borders`, plus `minimize` and
/// `steps`).
pub fn itinerary_json(it: &Itinerary) -> Value {
    serde_json::to_value(it).unwrap_or_default()
}

/// A Pareto set: the shipment once, then every itinerary under
/// `itineraries`.
pub fn itineraries_json(its: &[Itinerary]) -> Value {
    let first = its.first();
    json!({
        "from": first.map(|i| i.from.as_str()),
        "to": first.map(|i| i.to.as_str()),
        "commodity": first.map(|i| i.commodity.as_str()),
        "tonnes": first.map(|i| i.tonnes),
        "itineraries": its.iter().map(itinerary_json).collect::<Vec<_>>(),
    })
}
