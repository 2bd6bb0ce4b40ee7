//! System-optimum answers for people, spreadsheets and maps: the summary
//! (cost per commodity, unserved demand by pair, shadow prices of binding
//! capacities, the busiest elements), the per-element flows CSV (like
//! `assign --flows`), the network map with flows and prices in its
//! properties, and the optimum section of a comparison.

use super::table::{Align, Table};
use super::thousands;
use crate::{Error, Result};
use corridor_model::Network;
use corridor_model::results::{ElementOptimum, OptimiseComparison, OptimiseResult};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// How many of the busiest elements and shadow prices the summary lists.
const LISTED: usize = 10;

fn commodity_table(r: &OptimiseResult) -> Table {
    use Align::{Left, Right};
    let mut t = Table::new(&[Left, Right, Right, Right, Right, Right]).header([
        "commodity".to_string(),
        "demand t/day".into(),
        "served".into(),
        "unserved".into(),
        format!("cost {}/day", r.unit),
        format!("{}/t", r.unit),
    ]);
    for c in &r.by_commodity {
        t.row([
            c.commodity.clone(),
            format!("{:.1}", c.demand_t_per_day),
            format!("{:.1}", c.served_t_per_day),
            format!("{:.1}", c.unserved_t_per_day),
            format!("{:.1}", c.total_cost),
            format!("{:.2}", c.cost_per_t),
        ]);
    }
    t
}

fn unserved_table(r: &OptimiseResult) -> Table {
    use Align::{Left, Right};
    let mut t = Table::new(&[Left, Left, Left, Right, Right]).header([
        "origin",
        "destination",
        "commodity",
        "demand",
        "unserved",
    ]);
    for u in &r.unserved {
        t.row([
            u.origin.clone(),
            u.destination.clone(),
            u.commodity.clone(),
            format!("{:.1}", u.demand_t_per_day),
            format!("{:.1}", u.unserved_t_per_day),
        ]);
    }
    t
}

fn price_table(r: &OptimiseResult) -> Table {
    use Align::{Left, Right};
    let mut t = Table::new(&[Left, Left, Left, Right, Right, Right]).header([
        "kind".to_string(),
        "id".into(),
        "direction".into(),
        "capacity".into(),
        "load".into(),
        format!("{} per t/day", r.unit),
    ]);
    for s in r.shadow_prices.iter().take(LISTED) {
        let dir = match (&s.from, &s.to) {
            (Some(a), Some(b)) => format!("{a} → {b}"),
            _ => String::new(),
        };
        t.row([
            s.kind.clone(),
            s.id.clone(),
            dir,
            format!("{:.1}", s.capacity_t_per_day),
            format!("{:.1}", s.load_t_per_day),
            format!("{:.2}", s.shadow_price),
        ]);
    }
    t
}

fn busiest(r: &OptimiseResult) -> Vec<&ElementOptimum> {
    let mut rows: Vec<&ElementOptimum> = (r.elements.iter())
        .filter(|e| e.utilisation.is_some() && e.flow > 0.0)
        .collect();
    rows.sort_by(|a, b| {
        (b.utilisation
            .unwrap_or(0.0)
            .total_cmp(&a.utilisation.unwrap_or(0.0)))
        .then_with(|| (&a.kind, &a.id).cmp(&(&b.kind, &b.id)))
    });
    rows.truncate(LISTED);
    rows
}

/// The readable summary on `net`.
pub fn text(r: &OptimiseResult, net: &Network) -> String {
    let mut s = format!(
        "network {} ({} nodes, {} links, {} terminals, {} borders), {} demand rows, {} commodities\n",
        net.name,
        net.n_nodes(),
        net.n_links(),
        net.terminals.len(),
        net.borders.len(),
        r.demand_rows,
        r.by_commodity.len(),
    );
    let what = if r.status == "optimal" {
        "system optimum".to_string()
    } else {
        format!("best plan found ({}, not proven optimal)", r.status)
    };
    s += &format!(
        "{what} minimising {}: {} {}/day to move {} of {} t/day ({} unserved)\n",
        r.minimize,
        thousands(r.total_cost),
        r.unit,
        thousands(r.served_t_per_day),
        thousands(r.demand_t_per_day),
        thousands(r.unserved_t_per_day),
    );
    s += &format!(
        "unserved penalty {:e} {}/t ({}); LP {} by {}: {} columns, {} rows, {} rounds\n{:.3} s in total\n\n",
        r.unserved_penalty,
        r.unit,
        if r.penalty_source == "given" {
            "given"
        } else {
            "default: above any path's cost"
        },
        r.lp.formulation,
        r.lp.solver,
        r.lp.columns,
        r.lp.rows,
        r.lp.rounds,
        r.seconds,
    );
    if r.status != "optimal" {
        s += &format!(
            "NOT PROVEN OPTIMAL: column generation stopped ({}) at objective {} {}/day (penalties included), lower bound {}, gap {:.2} %: the optimum lies between them, and the unserved tonnes and shadow prices below may be artefacts of stopping early\n\n",
            r.status,
            thousands(r.objective),
            r.unit,
            thousands(r.lower_bound),
            100.0 * r.gap,
        );
    }
    s += &commodity_table(r).render("");
    if !r.unserved.is_empty() {
        s += "\nunserved demand (t/day)\n";
        s += &unserved_table(r).render("");
    }
    if !r.shadow_prices.is_empty() {
        s += &format!(
            "\nbinding capacities (t/day) and shadow prices: {} saved per day by one more t/day\n",
            r.unit
        );
        s += &price_table(r).render("");
        if r.shadow_prices.len() > LISTED {
            s += &format!(
                "... and {} more (--format json lists all)\n",
                r.shadow_prices.len() - LISTED
            );
        }
    }
    let rows = busiest(r);
    if !rows.is_empty() {
        use Align::{Left, Right};
        let mut t = Table::new(&[Left, Left, Right, Right, Right])
            .header(["kind", "id", "t/day", "load", "use %"]);
        for e in rows {
            t.row([
                e.kind.clone(),
                e.id.clone(),
                format!("{:.1}", e.flow),
                format!("{:.1}", e.load),
                format!("{:.1}", e.utilisation.unwrap_or(0.0) * 100.0),
            ]);
        }
        s += "\nbusiest elements\n";
        s += &t.render("");
    }
    s
}

fn csv_err(e: impl std::fmt::Display) -> Error {
    Error::Report(format!("cannot write CSV: {e}"))
}

/// `--flows`: one row per link, terminal, border and node with a
/// capacity: `kind,id,from,to,flow,load,capacity,utilisation,
/// shadow_price,flow_<commodity>...`; a terminal's, border's or node's
/// `from` and `to` are its node, `shadow_price` the highest of the
/// element's binding capacities (a link's two directions).
pub fn flows_csv(r: &OptimiseResult) -> Result<String> {
    let mut buf = Vec::new();
    write_flows_csv(r, &mut buf)?;
    String::from_utf8(buf).map_err(csv_err)
}

/// [`flows_csv`] written row by row to `w`, so that the flows of a
/// country's links are never one string in memory.
pub fn write_flows_csv(r: &OptimiseResult, w: &mut dyn std::io::Write) -> Result<()> {
    let names: Vec<&str> = (r.by_commodity.iter())
        .map(|c| c.commodity.as_str())
        .collect();
    let prices = prices_by_element(r);
    let mut w = csv::Writer::from_writer(w);
    let mut head: Vec<String> = [
        "kind",
        "id",
        "from",
        "to",
        "flow",
        "load",
        "capacity",
        "utilisation",
        "shadow_price",
    ]
    .map(String::from)
    .to_vec();
    head.extend(names.iter().map(|n| format!("flow_{n}")));
    w.write_record(&head).map_err(csv_err)?;
    for e in &r.elements {
        let (from, to) = match &e.node {
            Some(n) => (n.as_str(), n.as_str()),
            None => (
                e.from.as_deref().unwrap_or(""),
                e.to.as_deref().unwrap_or(""),
            ),
        };
        let opt = |x: Option<f64>| x.map_or(String::new(), |v| v.to_string());
        let price = prices.get(&(e.kind.as_str(), e.id.as_str())).copied();
        let mut row = vec![
            e.kind.clone(),
            e.id.clone(),
            from.to_string(),
            to.to_string(),
            e.flow.to_string(),
            e.load.to_string(),
            opt(e.capacity_t_per_day),
            opt(e.utilisation),
            opt(price),
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
    w.flush().map_err(csv_err)
}

/// The highest shadow price of each element's binding capacities.
fn prices_by_element(r: &OptimiseResult) -> BTreeMap<(&str, &str), f64> {
    let mut m: BTreeMap<(&str, &str), f64> = BTreeMap::new();
    for s in &r.shadow_prices {
        let e = m.entry((s.kind.as_str(), s.id.as_str())).or_insert(0.0);
        *e = e.max(s.shadow_price);
    }
    m
}

/// The network map (see [`crate::network_geojson`]) with each link's,
/// terminal's and border's flows and shadow price in its properties.
pub fn geojson(r: &OptimiseResult, net: &Network) -> Result<String> {
    let mut buf = Vec::new();
    write_geojson(r, net, &mut buf)?;
    String::from_utf8(buf).map_err(|e| Error::Report(e.to_string()))
}

/// [`geojson()`] written feature by feature to `w` (buffer it), so a
/// country's map is never whole in memory.
pub fn write_geojson(r: &OptimiseResult, net: &Network, w: &mut dyn std::io::Write) -> Result<()> {
    let by_id: BTreeMap<(&str, &str), &ElementOptimum> = (r.elements.iter())
        .map(|e| ((e.kind.as_str(), e.id.as_str()), e))
        .collect();
    let prices = prices_by_element(r);
    let mut add_flows = |props: &mut serde_json::Map<String, Value>| {
        let kind = props
            .get("element")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let id = props
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let Some(e) = by_id.get(&(kind.as_str(), id.as_str())) else {
            return;
        };
        let price = prices.get(&(kind.as_str(), id.as_str())).copied();
        props.insert("flow".into(), json!(e.flow));
        props.insert("flow_by_commodity".into(), json!(e.flow_by_commodity));
        props.insert("load".into(), json!(e.load));
        props.insert("utilisation".into(), json!(e.utilisation));
        props.insert("shadow_price".into(), json!(price));
    };
    crate::write_network_geojson_with(net, w, Some(&mut add_flows))
        .map_err(|e| Error::Report(format!("cannot write the map: {e}")))
}

/// The system-optimum section of a comparison.
pub fn comparison_text(c: &OptimiseComparison) -> String {
    let mut s = format!(
        "\nsystem optimum minimising {} (unserved penalty {:e} {}/t)\n",
        c.minimize, c.unserved_penalty, c.unit
    );
    s += &format!(
        "  total cost: {} -> {} {}/day\n  served:     {} -> {} t/day\n  unserved:   {} -> {} t/day\n",
        thousands(c.base.total_cost),
        thousands(c.scenario.total_cost),
        c.unit,
        thousands(c.base.served_t_per_day),
        thousands(c.scenario.served_t_per_day),
        thousands(c.base.unserved_t_per_day),
        thousands(c.scenario.unserved_t_per_day),
    );
    if !c.unserved_changes.is_empty() {
        s += "\n  unserved demand that changed (t/day)\n";
        let mut t = Table::new(&[Align::Left, Align::Right, Align::Right]);
        for u in &c.unserved_changes {
            t.row([
                format!("{} -> {} {}", u.origin, u.destination, u.commodity),
                format!("{:.1}", u.before),
                format!("{:.1}", u.after),
            ]);
        }
        s += &t.render("    ");
    }
    if c.shadow_price_changes.is_empty() {
        s += "\n  shadow prices: unchanged\n";
    } else {
        s += &format!("\n  shadow prices that changed ({} per t/day)\n", c.unit);
        let mut t = Table::new(&[Align::Left, Align::Right, Align::Right]);
        for p in &c.shadow_price_changes {
            let dir = match (&p.from, &p.to) {
                (Some(a), Some(b)) => format!(" {a} → {b}"),
                _ => String::new(),
            };
            t.row([
                format!("{} {}{dir}", p.kind, p.id),
                format!("{:.2}", p.before),
                format!("{:.2}", p.after),
            ]);
        }
        s += &t.render("    ");
    }
    s
}
