//! `corridor capacity NETWORK --from A[,B...] --to C[,D...]`: how much the
//! network can carry from the origins to the destinations, what limits it
//! (the bottlenecks of a minimum cut) and how the cheapest maximum flow
//! spreads over the elements. Also the shared `--scenario` loading that
//! `compare` uses.

use crate::commands::route::resolve_node;
use crate::load;
use crate::output::{Format, emit};
use anyhow::Result;
use corridor_engine::{CapacityQuery, CapacityReport, Objective, capacity_query};
use corridor_model::Network;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A `.toml` network file, a CSV bundle folder or a TNTP `_net.tntp` file.
    pub network: PathBuf,
    #[command(flatten)]
    pub query: QueryArgs,
    /// Apply this scenario file first (repeatable; applied in order).
    #[arg(long)]
    pub scenario: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the result to this file (atomically) instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// What `capacity` and `compare` ask of a network: between which places,
/// for which commodity, and which cost picks among maximum flows.
#[derive(Debug, clap::Args)]
pub struct QueryArgs {
    /// Origins, comma-separated node ids or names; `ID=LIMIT` caps an
    /// origin's supply (e.g. `vinnytsia=2Mt/year`).
    #[arg(long, value_delimiter = ',', required = true)]
    pub from: Vec<String>,
    /// Destinations, comma-separated; `ID=LIMIT` caps what one absorbs.
    #[arg(long, value_delimiter = ',', required = true)]
    pub to: Vec<String>,
    /// Commodity name (default: the network's first commodity).
    #[arg(long)]
    pub commodity: Option<String>,
    /// The cost that picks the cheapest among maximum flows (and, for
    /// `compare`, the best route).
    #[arg(long, default_value = "cost", value_parser = parse_objective)]
    pub minimize: Objective,
}

impl QueryArgs {
    /// Resolves node names and supply limits against `net`.
    pub fn resolve(&self, net: &Network) -> Result<CapacityQuery> {
        Ok(CapacityQuery {
            from: endpoints(net, &self.from)?,
            to: endpoints(net, &self.to)?,
            commodity: self.commodity.clone(),
            objective: self.minimize,
        })
    }
}

pub(crate) fn parse_objective(s: &str) -> Result<Objective, String> {
    s.parse()
}

/// Reads `path`, then applies the scenario files in order. Returns the base,
/// the edited network and the scenarios' names.
pub fn network_with_scenarios(
    path: &Path,
    scenarios: &[PathBuf],
) -> Result<(Network, Network, Vec<String>)> {
    let mut base = load::network(path)?;
    load::ensure_commodity(&mut base)?;
    let (edited, names) = load::apply_scenarios(&base, scenarios)?;
    Ok((base, edited, names))
}

/// Turns `--from`/`--to` items (`id` or `id=LIMIT`) into node ids and limits.
pub fn endpoints(net: &Network, items: &[String]) -> Result<Vec<(String, Option<f64>)>> {
    items
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|item| {
            let (name, limit) = match item.split_once('=') {
                Some((n, l)) => {
                    let limit = corridor_io::units::parse_capacity(l, &net.vehicles)
                        .map_err(|e| anyhow::anyhow!("\"{item}\": limit: {e}"))?;
                    (n.trim(), Some(limit))
                }
                None => (item.trim(), None),
            };
            let node = resolve_node(net, name)?;
            Ok((net.node(node).source_id.clone(), limit))
        })
        .collect()
}

pub fn run(args: Args) -> Result<ExitCode> {
    let (_, net, _) = network_with_scenarios(&args.network, &args.scenario)?;
    let query = args.query.resolve(&net)?;
    let report = capacity_query(&net, &query)?;
    let text = match args.format {
        Format::Text => report_text(&report, &net.currency),
        Format::Json => serde_json::to_string_pretty(&report)?,
        Format::Geojson => serde_json::to_string(&report_geojson(&net, &report))?,
    };
    emit(args.out.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}

/// `12345.678` as `12,346`; small values keep decimals.
pub fn thousands(x: f64) -> String {
    if x.abs() < 100.0 {
        return format!("{x:.2}");
    }
    let s = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if x < 0.0 { format!("-{out}") } else { out }
}

fn table(rows: &[Vec<String>], right: &[bool]) -> String {
    let n = rows.iter().map(|r| r.len()).max().unwrap_or(0);
    let width: Vec<usize> = (0..n)
        .map(|c| {
            rows.iter()
                .map(|r| r.get(c).map_or(0, |s| s.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        let mut line = String::from("  ");
        for (c, cell) in r.iter().enumerate() {
            let pad = width[c] - cell.chars().count();
            if right.get(c).copied().unwrap_or(false) {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            }
            line.push_str("  ");
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub fn bottleneck_rows(r: &CapacityReport) -> Vec<Vec<String>> {
    let mut rows = vec![vec![
        "kind".to_string(),
        "id".to_string(),
        format!("capacity {}", r.unit),
        "share".to_string(),
        "name".to_string(),
    ]];
    for b in &r.bottlenecks {
        rows.push(vec![
            b.kind.clone(),
            b.id.clone(),
            thousands(b.capacity),
            format!("{:.1}%", b.share * 100.0),
            b.name.clone(),
        ]);
    }
    rows
}

/// The readable report.
pub fn report_text(r: &CapacityReport, currency: &str) -> String {
    let mut s = format!(
        "capacity for {} from {} to {}\n",
        r.commodity,
        r.from.join(", "),
        r.to.join(", ")
    );
    s += &format!("  maximum flow: {} {}", thousands(r.max_flow), r.unit);
    if let Some(mt) = r.max_flow_mt_per_year {
        s += &format!(" ({mt:.2} Mt/year)");
    }
    s.push('\n');
    if !r.exact
        && let Some(ub) = r.upper_bound
    {
        s += &format!(
            "  (a shared capacity was divided between layers; at most {} {} if it could be shared freely)\n",
            thousands(ub),
            r.unit
        );
    }
    if r.max_flow > 0.0 {
        let per = match r.minimize.as_str() {
            "cost" => format!("{currency} per tonne"),
            "time" => "hours per tonne".to_string(),
            "distance" => "km per tonne".to_string(),
            "co2" => "kg CO2 per tonne".to_string(),
            _ => "generalised cost per tonne".to_string(),
        };
        s += &format!(
            "  cheapest maximum flow: {:.2} {per} on average (by {})\n",
            r.cost_per_unit, r.minimize
        );
    }
    for n in &r.notes {
        s += &format!("  note: {n}\n");
    }
    if !r.bottlenecks.is_empty() {
        s += "\nbottlenecks (a minimum cut: raising any of these raises the maximum)\n";
        s += &table(&bottleneck_rows(r), &[false, false, true, true, false]);
    }
    if !r.elements.is_empty() {
        s += "\nflows\n";
        let mut rows = vec![vec![
            "kind".to_string(),
            "id".to_string(),
            format!("flow {}", r.unit),
            format!("capacity {}", r.unit),
            "use".to_string(),
        ]];
        for e in &r.elements {
            rows.push(vec![
                e.kind.clone(),
                e.id.clone(),
                thousands(e.flow),
                e.capacity.map(thousands).unwrap_or_else(|| "-".into()),
                e.utilisation
                    .map(|u| format!("{:.0}%", u * 100.0))
                    .unwrap_or_else(|| "-".into()),
            ]);
        }
        s += &table(&rows, &[false, false, true, true, true]);
    }
    s
}

/// Every element carrying flow (and every bottleneck) as a GeoJSON feature:
/// links as lines, nodes, terminals and borders as points, with flow,
/// capacity and utilisation in the properties for a map to colour.
pub fn report_geojson(net: &Network, r: &CapacityReport) -> Value {
    let point = |n: corridor_model::NodeId| {
        let node = net.node(n);
        json!({"type": "Point", "coordinates": [node.lon, node.lat]})
    };
    let geometry = |kind: &str, id: &str| -> Value {
        match kind {
            "link" => net
                .link_id(id)
                .map(|l| {
                    let l = net.link(l);
                    let coords: Vec<[f64; 2]> = if l.geometry.is_empty() {
                        let (a, b) = (net.node(l.from), net.node(l.to));
                        vec![[a.lon, a.lat], [b.lon, b.lat]]
                    } else {
                        l.geometry.clone()
                    };
                    json!({"type": "LineString", "coordinates": coords})
                })
                .unwrap_or(Value::Null),
            "terminal" => net
                .terminal_id(id)
                .map(|t| point(net.terminals[t.index()].node))
                .unwrap_or(Value::Null),
            "border" => net
                .border_id(id)
                .map(|b| point(net.borders[b.index()].node))
                .unwrap_or(Value::Null),
            _ => net.node_id(id).map(point).unwrap_or(Value::Null),
        }
    };
    let mut features = Vec::new();
    for e in &r.elements {
        let b = r
            .bottlenecks
            .iter()
            .find(|b| b.kind == e.kind && b.id == e.id);
        features.push(json!({
            "type": "Feature",
            "geometry": geometry(&e.kind, &e.id),
            "properties": {
                "kind": e.kind, "id": e.id, "name": e.name, "flow": e.flow,
                "capacity": e.capacity, "utilisation": e.utilisation,
                "unit": r.unit, "bottleneck": b.is_some(),
                "share_of_cut": b.map(|b| b.share),
            }
        }));
    }
    for b in &r.bottlenecks {
        if r.elements.iter().any(|e| e.kind == b.kind && e.id == b.id) {
            continue;
        }
        features.push(json!({
            "type": "Feature",
            "geometry": geometry(&b.kind, &b.id),
            "properties": {
                "kind": b.kind, "id": b.id, "name": b.name, "flow": 0.0,
                "capacity": b.capacity, "utilisation": 0.0, "unit": r.unit,
                "bottleneck": true, "share_of_cut": b.share,
            }
        }));
    }
    json!({
        "type": "FeatureCollection",
        "properties": {"max_flow": r.max_flow, "unit": r.unit, "commodity": r.commodity},
        "features": features,
    })
}
