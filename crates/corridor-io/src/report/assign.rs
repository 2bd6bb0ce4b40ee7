//! Assignment answers for people, spreadsheets and maps: the convergence
//! summary (with, for freight, a line per commodity and the busiest
//! elements), the per-link (freight: per-element) flows CSV, the network
//! map with flows in its properties, and the relative gap plotted as SVG.

use super::table::{Align, Table};
use crate::{Error, Result};
use corridor_model::Network;
use corridor_model::results::{
    AssignResult, ElementLoad, FreightAssignResult, IterationRecord, RoadAssignResult,
};
use serde_json::Value;

fn target(converged: bool, gap: f64) -> String {
    if converged {
        format!("target {gap:.0e} reached")
    } else {
        format!("target {gap:.0e} NOT reached")
    }
}

/// The text summary of either kind of assignment on `net`.
pub fn text(r: &AssignResult, net: &Network) -> String {
    match r {
        AssignResult::Road(r) => road_text(r, net),
        AssignResult::Freight(r) => freight_text(r, net),
    }
}

fn road_text(r: &RoadAssignResult, net: &Network) -> String {
    let per_iter = if r.iterations > 0 {
        r.history.last().map_or(0.0, |s| s.seconds) / r.iterations as f64
    } else {
        0.0
    };
    let mut s = format!(
        "network {} ({} nodes, {} links), {} demand rows\nmethod {}: {} iterations, relative gap {:.3e} ({}), Beckmann objective {:.6}\n{:.3} s in total, {:.4} s per iteration",
        net.name,
        net.n_nodes(),
        net.n_links(),
        r.demand_rows,
        r.method,
        r.iterations,
        r.relative_gap,
        target(r.converged, r.target_gap),
        r.objective,
        r.seconds,
        per_iter,
    );
    if r.unreachable_demand > 0.0 {
        s.push_str(&format!(
            "\nwarning: {:.3} {} of demand has no path and was not assigned",
            r.unreachable_demand,
            net.flow_unit.as_str()
        ));
    }
    s
}

fn commodity_table(r: &FreightAssignResult) -> Table {
    use Align::{Left, Right};
    let mut t = Table::new(&[Left, Right, Right, Right, Right]).header([
        "commodity",
        "t/day",
        "no path t/day",
        "total cost/day",
        "gap",
    ]);
    for c in &r.commodities {
        t.row([
            c.commodity.clone(),
            format!("{:.1}", c.t_per_day),
            format!("{:.1}", c.unreachable_t_per_day),
            format!("{:.1}", c.total_cost),
            format!("{:.2e}", c.relative_gap),
        ]);
    }
    t
}

/// How many of the busiest elements the summary lists.
const BUSIEST: usize = 10;

/// The capacitated elements carrying flow, busiest first.
fn busiest(r: &FreightAssignResult) -> Vec<(&'static str, &ElementLoad)> {
    let mut rows: Vec<(&'static str, &ElementLoad)> = [
        ("link", &r.links),
        ("terminal", &r.terminals),
        ("border", &r.borders),
    ]
    .into_iter()
    .flat_map(|(kind, es)| es.iter().map(move |e| (kind, e)))
    .filter(|(_, e)| e.utilisation.is_finite() && e.flow > 0.0)
    .collect();
    rows.sort_by(|a, b| {
        b.1.utilisation
            .total_cmp(&a.1.utilisation)
            .then_with(|| a.1.id.cmp(&b.1.id))
    });
    rows.truncate(BUSIEST);
    rows
}

fn freight_text(r: &FreightAssignResult, net: &Network) -> String {
    let mut s = format!(
        "network {} ({} nodes, {} links, {} terminals, {} borders), {} demand rows, {} commodities\n",
        net.name,
        net.n_nodes(),
        net.n_links(),
        net.terminals.len(),
        net.borders.len(),
        r.demand_rows,
        r.commodities.len(),
    );
    s.push_str(&format!(
        "method {} minimising {}: {} iterations, relative gap {:.3e} ({}), {} problem, objective {:.6}\n{:.3} s in total\n\n",
        r.method,
        r.minimize,
        r.iterations,
        r.relative_gap,
        target(r.converged, r.target_gap),
        if r.symmetric {
            "symmetric"
        } else {
            "asymmetric (diagonalised)"
        },
        r.objective,
        r.seconds,
    ));
    s.push_str(&commodity_table(r).render(""));
    let rows = busiest(r);
    if !rows.is_empty() {
        use Align::{Left, Right};
        let mut t = Table::new(&[Left, Left, Right, Right, Right, Right])
            .header(["kind", "id", "t/day", "load", "use %", "hours"]);
        for (kind, e) in rows {
            t.row([
                kind.to_string(),
                e.id.clone(),
                format!("{:.1}", e.flow),
                format!("{:.1}", e.load),
                format!("{:.1}", e.utilisation * 100.0),
                format!("{:.1}", e.hours),
            ]);
        }
        s.push_str("\nbusiest elements\n");
        s.push_str(&t.render(""));
    }
    for c in &r.commodities {
        if c.unreachable_t_per_day > 0.0 {
            s.push_str(&format!(
                "warning: {:.1} t/day of {} has no itinerary and was not assigned (try `corridor route` for why)\n",
                c.unreachable_t_per_day, c.commodity
            ));
        }
    }
    s
}

pub(super) fn csv_text(w: csv::Writer<Vec<u8>>) -> Result<String> {
    let bytes = w
        .into_inner()
        .map_err(|e| Error::Report(format!("cannot write CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::Report(format!("cannot write CSV: {e}")))
}

pub(super) fn csv_err(e: csv::Error) -> Error {
    Error::Report(format!("cannot write CSV: {e}"))
}

/// A finite number as Rust writes it; NaN and infinities as an empty cell.
fn finite(x: f64) -> String {
    if x.is_finite() {
        x.to_string()
    } else {
        String::new()
    }
}

/// `--flows`: road-like networks one row per link (network order)
/// `from,to,flow,cost`; freight networks one row per link, then terminal, then
/// border: `kind,id,from,to,flow,cost,load,capacity,utilisation,
/// flow_<commodity>...`, where `cost` is the hours to pass at the
/// equilibrium load and a terminal's or border's `from` and `to` are its
/// node.
pub fn flows_csv(r: &AssignResult) -> Result<String> {
    let mut buf = Vec::new();
    write_flows_csv(r, &mut buf)?;
    String::from_utf8(buf).map_err(|e| Error::Report(format!("cannot write CSV: {e}")))
}

/// [`flows_csv`] written row by row to `w`, so that the flows of a
/// country's links are never one string in memory.
pub fn write_flows_csv(r: &AssignResult, w: &mut dyn std::io::Write) -> Result<()> {
    let mut w = csv::Writer::from_writer(w);
    match r {
        AssignResult::Road(r) => {
            w.write_record(["from", "to", "flow", "cost"])
                .map_err(csv_err)?;
            for l in &r.links {
                w.write_record([&l.from, &l.to, &l.flow.to_string(), &finite(l.cost)])
                    .map_err(csv_err)?;
            }
        }
        AssignResult::Freight(r) => freight_csv(&mut w, r)?,
    }
    w.flush()
        .map_err(|e| Error::Report(format!("cannot write CSV: {e}")))
}

fn freight_csv(w: &mut csv::Writer<impl std::io::Write>, r: &FreightAssignResult) -> Result<()> {
    let names: Vec<&str> = r.commodities.iter().map(|c| c.commodity.as_str()).collect();
    let mut head: Vec<String> = [
        "kind",
        "id",
        "from",
        "to",
        "flow",
        "cost",
        "load",
        "capacity",
        "utilisation",
    ]
    .map(String::from)
    .to_vec();
    head.extend(names.iter().map(|n| format!("flow_{n}")));
    w.write_record(&head).map_err(csv_err)?;
    let kinds = [
        ("link", &r.links),
        ("terminal", &r.terminals),
        ("border", &r.borders),
    ];
    for (kind, elements) in kinds {
        for e in elements {
            let (from, to) = match &e.node {
                Some(n) => (n.as_str(), n.as_str()),
                None => (
                    e.from.as_deref().unwrap_or(""),
                    e.to.as_deref().unwrap_or(""),
                ),
            };
            let mut row = vec![
                kind.to_string(),
                e.id.clone(),
                from.to_string(),
                to.to_string(),
                e.flow.to_string(),
                finite(e.hours),
                e.load.to_string(),
                e.capacity_t_per_day
                    .map_or(String::new(), |c| c.to_string()),
                finite(e.utilisation),
            ];
            row.extend(names.iter().map(|n| {
                e.flow_by_commodity
                    .get(*n)
                    .copied()
                    .unwrap_or(0.0)
                    .to_string()
            }));
            w.write_record(&row).map_err(csv_err)?;
        }
    }
    Ok(())
}

/// The properties an element's flows add to its map feature.
const FLOW_PROPERTIES: [&str; 6] = [
    "flow",
    "flow_by_commodity",
    "load",
    "capacity_t_per_day",
    "utilisation",
    "hours",
];

/// Freight networks: the network map (see [`crate::network_geojson`]) with
/// each link's, terminal's and border's flows in its properties, for QGIS
/// styling by `flow` or `utilisation`. Road-like networks have no
/// coordinates to draw and are refused.
pub fn geojson(r: &AssignResult, net: &Network) -> Result<String> {
    let mut buf = Vec::new();
    write_geojson(r, net, &mut buf)?;
    String::from_utf8(buf).map_err(|e| Error::Report(e.to_string()))
}

/// [`geojson()`] written feature by feature to `w` (buffer it), so a
/// country's map is never whole in memory.
pub fn write_geojson(r: &AssignResult, net: &Network, w: &mut dyn std::io::Write) -> Result<()> {
    let AssignResult::Freight(r) = r else {
        return Err(Error::Report(
            "--format geojson needs a freight network (links without coordinates cannot be drawn)"
                .into(),
        ));
    };
    let mut add_flows = |props: &mut serde_json::Map<String, Value>| {
        let kind = props.get("element").and_then(Value::as_str).unwrap_or("");
        let id = props.get("id").and_then(Value::as_str).unwrap_or("");
        let found = match kind {
            "link" => net.link_id(id).and_then(|i| r.links.get(i.index())),
            "terminal" => net.terminal_id(id).and_then(|i| r.terminals.get(i.index())),
            "border" => net.border_id(id).and_then(|i| r.borders.get(i.index())),
            _ => None,
        };
        if let Some(e) = found
            && let Ok(Value::Object(mut extra)) = serde_json::to_value(e)
        {
            for k in FLOW_PROPERTIES {
                if let Some(v) = extra.remove(k) {
                    props.insert(k.to_string(), v);
                }
            }
        }
    };
    crate::write_network_geojson_with(net, w, Some(&mut add_flows))
        .map_err(|e| Error::Report(format!("cannot write the map: {e}")))
}

/// Relative gap against iteration (left) and seconds (right), log scale,
/// as an SVG document.
pub fn gap_svg(history: &[IterationRecord], method: &str) -> Result<String> {
    use plotters::prelude::*;
    let pts: Vec<&IterationRecord> = history.iter().filter(|s| s.relative_gap > 0.0).collect();
    let lo = pts
        .iter()
        .map(|s| s.relative_gap)
        .fold(f64::INFINITY, f64::min)
        .min(1e-1);
    let hi = pts
        .iter()
        .map(|s| s.relative_gap)
        .fold(0.0, f64::max)
        .max(lo * 10.0);
    let max_iter = pts.last().map_or(1.0, |s| s.iteration as f64).max(2.0);
    let max_sec = pts.last().map_or(1.0, |s| s.seconds).max(1e-3);
    let err = |e: &dyn std::fmt::Display| Error::Report(format!("cannot draw the plot: {e}"));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1000, 420)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let (left, right) = root.split_horizontally(500);
        let panels: [(&DrawingArea<SVGBackend, _>, &str, f64); 2] =
            [(&left, "iteration", max_iter), (&right, "seconds", max_sec)];
        for (i, (area, xlabel, xmax)) in panels.into_iter().enumerate() {
            let mut chart = ChartBuilder::on(area)
                .caption(
                    format!("{method} relative gap vs {xlabel}"),
                    ("sans-serif", 16),
                )
                .margin(12)
                .x_label_area_size(36)
                .y_label_area_size(64)
                .build_cartesian_2d(0f64..xmax, (lo / 2.0..hi * 2.0).log_scale())
                .map_err(|e| err(&e))?;
            chart
                .configure_mesh()
                .x_desc(xlabel)
                .y_desc("relative gap")
                .y_label_formatter(&|v| format!("{v:.0e}"))
                .draw()
                .map_err(|e| err(&e))?;
            let series = pts.iter().map(|s| {
                let x = if i == 0 {
                    s.iteration as f64
                } else {
                    s.seconds
                };
                (x, s.relative_gap)
            });
            chart
                .draw_series(LineSeries::new(series.clone(), &BLUE))
                .map_err(|e| err(&e))?;
            chart
                .draw_series(series.map(|p| Circle::new(p, 3, BLUE.filled())))
                .map_err(|e| err(&e))?;
        }
        root.present().map_err(|e| err(&e))?;
    }
    Ok(svg)
}
