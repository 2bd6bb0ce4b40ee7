//! The freight half of `corridor assign`: demand rows become per-commodity
//! classes for `corridor_engine::assign_freight`, and its report becomes a
//! text summary, JSON, GeoJSON (the network map with flows in the
//! properties) and the `--flows` CSV.
//!
//! It does no assignment itself and draws no progress bar (the caller in
//! `assign.rs` owns flags, the bar and the plot).

use anyhow::{Context, Result};
use corridor_engine::assign_freight::{ElementFlows, FreightDemand, FreightReport};
use corridor_io::demand::DemandRow;
use corridor_model::Network;
use serde_json::{Value, json};

/// Demand rows (already checked against the network's commodities by the
/// reader) as engine demand.
pub fn demand(net: &Network, rows: &[DemandRow]) -> Result<Vec<FreightDemand>> {
    rows.iter()
        .map(|r| {
            let commodity = net.commodity_id(&r.commodity).with_context(|| {
                format!(
                    "{}commodity: unknown commodity \"{}\"",
                    r.source
                        .as_ref()
                        .map(|s| format!("{s}: "))
                        .unwrap_or_default(),
                    r.commodity
                )
            })?;
            Ok(FreightDemand {
                origin: r.origin,
                destination: r.destination,
                commodity,
                tonnes: r.amount,
            })
        })
        .collect()
}

fn commodity_names(net: &Network, r: &FreightReport) -> Vec<String> {
    r.commodities
        .iter()
        .map(|c| net.commodities[c.commodity.index()].source_id.clone())
        .collect()
}

/// Finite numbers as JSON numbers, the rest as null.
fn num(x: f64) -> Value {
    if x.is_finite() { json!(x) } else { Value::Null }
}

/// Per-element properties shared by JSON and GeoJSON.
fn element_json(f: &ElementFlows, i: usize, names: &[String]) -> Value {
    let by: serde_json::Map<String, Value> = names
        .iter()
        .enumerate()
        .map(|(k, n)| (n.clone(), num(f.by_commodity[k][i])))
        .collect();
    json!({
        "flow": num(f.total[i]),
        "flow_by_commodity": by,
        "load": num(f.load[i]),
        "capacity_t_per_day": f.capacity[i],
        "utilisation": num(f.utilisation[i]),
        "hours": num(f.hours[i]),
    })
}

fn with_id(mut v: Value, extra: Value) -> Value {
    if let (Value::Object(m), Value::Object(e)) = (&mut v, extra) {
        for (k, x) in e {
            m.insert(k, x);
        }
    }
    v
}

/// `--format json`: the keys every method prints, then per commodity and
/// per element results.
pub fn summary_json(net: &Network, r: &FreightReport) -> String {
    let names = commodity_names(net, r);
    let links: Vec<Value> = net
        .links
        .iter()
        .enumerate()
        .map(|(i, l)| {
            with_id(
                json!({"id": l.source_id, "from": net.node(l.from).source_id, "to": net.node(l.to).source_id}),
                element_json(&r.links, i, &names),
            )
        })
        .collect();
    let terminals: Vec<Value> = net
        .terminals
        .iter()
        .enumerate()
        .map(|(i, t)| {
            with_id(
                json!({"id": t.source_id, "node": net.node(t.node).source_id}),
                element_json(&r.terminals, i, &names),
            )
        })
        .collect();
    let borders: Vec<Value> = net
        .borders
        .iter()
        .enumerate()
        .map(|(i, b)| {
            with_id(
                json!({"id": b.source_id, "node": net.node(b.node).source_id}),
                element_json(&r.borders, i, &names),
            )
        })
        .collect();
    let commodities: Vec<Value> = r
        .commodities
        .iter()
        .zip(&names)
        .map(|(c, n)| {
            json!({
                "commodity": n,
                "t_per_day": num(c.tonnes),
                "unreachable_t_per_day": num(c.unreachable),
                "total_cost": num(c.total_cost),
                "relative_gap": num(c.relative_gap),
            })
        })
        .collect();
    json!({
        "method": r.method.as_str(),
        "iterations": r.iterations,
        "relative_gap": r.relative_gap,
        "objective": r.beckmann,
        "seconds": r.seconds,
        "minimize": r.objective.as_str(),
        "converged": r.converged,
        "symmetric": r.symmetric,
        "history": super::assign::history_json(&r.history),
        "commodities": commodities,
        "links": links,
        "terminals": terminals,
        "borders": borders,
    })
    .to_string()
}

/// `--format geojson`: the network map with each link's, terminal's and
/// border's flows in its properties (for QGIS styling by `flow` or
/// `utilisation`).
pub fn summary_geojson(net: &Network, r: &FreightReport) -> Result<String> {
    let names = commodity_names(net, r);
    let mut fc = corridor_io::network_geojson(net);
    for f in &mut fc.features {
        let Some(props) = f.properties.as_mut() else {
            continue;
        };
        let kind = props.get("element").and_then(Value::as_str).unwrap_or("");
        let id = props.get("id").and_then(Value::as_str).unwrap_or("");
        let found = match kind {
            "link" => net.link_id(id).map(|i| (&r.links, i.index())),
            "terminal" => net.terminal_id(id).map(|i| (&r.terminals, i.index())),
            "border" => net.border_id(id).map(|i| (&r.borders, i.index())),
            _ => None,
        };
        if let Some((flows, i)) = found
            && let Value::Object(extra) = element_json(flows, i, &names)
        {
            for (k, v) in extra {
                props.insert(k, v);
            }
        }
    }
    Ok(serde_json::to_string(&fc)?)
}

/// The text summary: convergence, a line per commodity and the busiest
/// elements.
pub fn summary_text(net: &Network, r: &FreightReport, gap: f64, n_rows: usize) -> String {
    let names = commodity_names(net, r);
    let mut s = format!(
        "network {} ({} nodes, {} links, {} terminals, {} borders), {n_rows} demand rows, {} commodities\n",
        net.name,
        net.n_nodes(),
        net.n_links(),
        net.terminals.len(),
        net.borders.len(),
        names.len(),
    );
    s.push_str(&format!(
        "method {} minimising {}: {} iterations, relative gap {:.3e} ({}), {} problem, objective {:.6}\n{:.3} s in total\n\n",
        r.method.as_str(),
        r.objective,
        r.iterations,
        r.relative_gap,
        if r.converged {
            format!("target {gap:.0e} reached")
        } else {
            format!("target {gap:.0e} NOT reached")
        },
        if r.symmetric {
            "symmetric"
        } else {
            "asymmetric (diagonalised)"
        },
        r.beckmann,
        r.seconds,
    ));
    s.push_str(&format!(
        "{:<14} {:>12} {:>14} {:>16} {:>10}\n",
        "commodity", "t/day", "no path t/day", "total cost/day", "gap"
    ));
    for (c, n) in r.commodities.iter().zip(&names) {
        s.push_str(&format!(
            "{:<14} {:>12.1} {:>14.1} {:>16.1} {:>10.2e}\n",
            n, c.tonnes, c.unreachable, c.total_cost, c.relative_gap
        ));
    }
    // The busiest capacitated elements.
    let mut rows: Vec<(f64, String, String, f64, f64, f64)> = Vec::new();
    let mut collect = |kind: &str, f: &ElementFlows, id: &dyn Fn(usize) -> String| {
        for i in 0..f.total.len() {
            if f.utilisation[i].is_finite() && f.total[i] > 0.0 {
                rows.push((
                    f.utilisation[i],
                    kind.to_string(),
                    id(i),
                    f.total[i],
                    f.load[i],
                    f.hours[i],
                ));
            }
        }
    };
    collect("link", &r.links, &|i| net.links[i].source_id.clone());
    collect("terminal", &r.terminals, &|i| {
        net.terminals[i].source_id.clone()
    });
    collect("border", &r.borders, &|i| net.borders[i].source_id.clone());
    rows.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.2.cmp(&b.2)));
    if !rows.is_empty() {
        s.push_str(&format!(
            "\nbusiest elements\n{:<9} {:<34} {:>11} {:>11} {:>8} {:>8}\n",
            "kind", "id", "t/day", "load", "use %", "hours"
        ));
        for (u, kind, id, t, load, h) in rows.iter().take(10) {
            s.push_str(&format!(
                "{kind:<9} {id:<34} {t:>11.1} {load:>11.1} {:>8.1} {h:>8.1}\n",
                u * 100.0
            ));
        }
    }
    for (c, n) in r.commodities.iter().zip(&names) {
        if c.unreachable > 0.0 {
            s.push_str(&format!(
                "warning: {:.1} t/day of {n} has no itinerary and was not assigned (try `corridor route` for why)\n",
                c.unreachable
            ));
        }
    }
    s
}

/// Quotes a CSV cell when it needs it.
fn cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn opt(x: f64) -> String {
    if x.is_finite() {
        x.to_string()
    } else {
        String::new()
    }
}

/// `--flows` for freight networks: one row per link (network order), then
/// per terminal, then per border: `kind,id,from,to,flow,cost,load,capacity,
/// utilisation,flow_<commodity>...`, where `cost` is the hours to pass at
/// the equilibrium load (the one cost every commodity shares) and a
/// terminal's or border's `from` and `to` are its node.
pub fn flows_csv(net: &Network, r: &FreightReport) -> String {
    let names = commodity_names(net, r);
    let mut out = String::from("kind,id,from,to,flow,cost,load,capacity,utilisation");
    for n in &names {
        out.push_str(&format!(",{}", cell(&format!("flow_{n}"))));
    }
    out.push('\n');
    let mut row = |kind: &str, id: &str, from: &str, to: &str, f: &ElementFlows, i: usize| {
        out.push_str(&format!(
            "{kind},{},{},{},{},{},{},{},{}",
            cell(id),
            cell(from),
            cell(to),
            f.total[i],
            opt(f.hours[i]),
            f.load[i],
            f.capacity[i].map_or(String::new(), |c| c.to_string()),
            opt(f.utilisation[i]),
        ));
        for k in 0..names.len() {
            out.push_str(&format!(",{}", f.by_commodity[k][i]));
        }
        out.push('\n');
    };
    for (i, l) in net.links.iter().enumerate() {
        row(
            "link",
            &l.source_id,
            &net.node(l.from).source_id,
            &net.node(l.to).source_id,
            &r.links,
            i,
        );
    }
    for (i, t) in net.terminals.iter().enumerate() {
        let n = &net.node(t.node).source_id;
        row("terminal", &t.source_id, n, n, &r.terminals, i);
    }
    for (i, b) in net.borders.iter().enumerate() {
        let n = &net.node(b.node).source_id;
        row("border", &b.source_id, n, n, &r.borders, i);
    }
    out
}
