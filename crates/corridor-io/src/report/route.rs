//! Routes for people and for maps: the itinerary table (steps in travel
//! order, then the totals), Pareto sets as one table per itinerary, and
//! GeoJSON with every itinerary's legs, transfers and crossings. The JSON
//! is [`super::json`] of the [`RouteResult`] itself.

use super::table::{Align, Table};
use corridor_model::{Itinerary, Network, RouteResult, Step};

fn layer(mode: corridor_model::Mode, gauge: Option<u16>) -> String {
    match gauge {
        Some(g) => format!("{mode}:{g}"),
        None => mode.to_string(),
    }
}

/// The steps in travel order; itineraries built without `steps` list legs,
/// transfers and borders in turn.
fn steps(it: &Itinerary) -> Vec<Step> {
    if it.steps.is_empty() {
        (0..it.legs.len())
            .map(Step::Leg)
            .chain((0..it.transfers.len()).map(Step::Transfer))
            .chain((0..it.borders.len()).map(Step::Border))
            .collect()
    } else {
        it.steps.clone()
    }
}

fn step_row(it: &Itinerary, n: usize, step: Step) -> Option<[String; 8]> {
    let n = (n + 1).to_string();
    match step {
        Step::Leg(i) => it.legs.get(i).map(|l| {
            [
                n,
                "leg".into(),
                format!("{} → {}", l.from, l.to),
                match &l.vessel {
                    Some(v) => format!("{} ({v})", layer(l.mode, l.gauge)),
                    None => layer(l.mode, l.gauge),
                },
                format!("{:.1}", l.km),
                format!("{:.1}", l.hours),
                format!("{:.2}", l.cost),
                format!("{:.1}", l.co2_kg),
            ]
        }),
        Step::Transfer(i) => it.transfers.get(i).map(|x| {
            [
                n,
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
                n,
                "border".into(),
                format!("{} ({}–{})", b.at, b.countries[0], b.countries[1]),
                b.mode.to_string(),
                String::new(),
                format!("{:.1}", b.hours),
                format!("{:.2}", b.cost()),
                String::new(),
            ]
        }),
    }
}

/// A readable table of an itinerary: one row per leg, transfer and border
/// crossing in travel order, a rule, then the totals. Money is for the
/// whole shipment in `currency`.
pub fn itinerary_text(it: &Itinerary, currency: &str) -> String {
    use Align::{Left, Right};
    let mut table = Table::new(&[Right, Left, Left, Left, Right, Right, Right, Right]).header([
        "#".to_string(),
        "step".into(),
        "where".into(),
        "layer".into(),
        "km".into(),
        "hours".into(),
        format!("cost {currency}"),
        "CO2 kg".into(),
    ]);
    for (n, step) in steps(it).into_iter().enumerate() {
        if let Some(row) = step_row(it, n, step) {
            table.row(row);
        }
    }
    let t = &it.totals;
    table.row([
        String::new(),
        "total".into(),
        String::new(),
        String::new(),
        format!("{:.1}", t.km),
        format!("{:.1}", t.hours),
        format!("{:.2}", t.cost),
        format!("{:.1}", t.co2_kg),
    ]);
    let goal = match it.minimize.as_str() {
        "pareto" => "one of the itineraries trading cost against time (Pareto set)".to_string(),
        m => format!("minimising {m}"),
    };
    let mut out = format!(
        "{} t of {} from {} to {}, {goal}\n\n",
        it.tonnes, it.commodity, it.from, it.to
    );
    let lines = table.padded_lines();
    let last = lines.len().saturating_sub(1);
    for (i, l) in lines.iter().enumerate() {
        if i == last {
            out.push_str(&"-".repeat(l.chars().count()));
            out.push('\n');
        }
        out.push_str(l.trim_end());
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

/// Every itinerary's table, numbered when there are several.
pub fn text(r: &RouteResult, currency: &str) -> String {
    let its = &r.itineraries;
    let parts: Vec<String> = its
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let head = if its.len() > 1 {
                format!("itinerary {} of {}\n", i + 1, its.len())
            } else {
                String::new()
            };
            head + &itinerary_text(it, currency)
        })
        .collect();
    parts.join("\n")
}

/// The route as one FeatureCollection (see
/// [`crate::itinerary_geojson`]); with several itineraries every feature
/// says which (`itinerary`, 0-based). For faces that embed the map in a
/// larger answer; [`geojson()`] is its text.
pub fn feature_collection(r: &RouteResult, net: &Network) -> geojson::FeatureCollection {
    let its = &r.itineraries;
    let Some(first) = its.first() else {
        return geojson::FeatureCollection {
            bbox: None,
            features: Vec::new(),
            foreign_members: None,
        };
    };
    let mut all = crate::itinerary_geojson(net, first);
    for (i, it) in its.iter().enumerate().skip(1) {
        for mut f in crate::itinerary_geojson(net, it).features {
            f.set_property("itinerary", i);
            all.features.push(f);
        }
    }
    if its.len() > 1 {
        for f in all
            .features
            .iter_mut()
            .take_while(|f| !f.contains_property("itinerary"))
        {
            f.set_property("itinerary", 0);
        }
    }
    all
}

/// The route as GeoJSON text (`--format geojson`).
pub fn geojson(r: &RouteResult, net: &Network) -> String {
    feature_collection(r, net).to_string()
}
