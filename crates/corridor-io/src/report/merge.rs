//! `merge`'s report for people: inputs, renamed ids, connectors by layer,
//! one-layer and unconnected ports and terminals, and the merged counts.
//! The JSON is [`super::json`] of the report.

use super::table::{Align, Table};
use corridor_model::results::MergeReport;
use std::collections::BTreeMap;

/// How many unconnected ports and terminals the report names.
const MAX_UNCONNECTED: usize = 20;

/// The readable report; `out` is where the merged network was written.
pub fn text(r: &MergeReport, out: &str) -> String {
    let mut s = String::new();
    for (label, n, l) in &r.inputs {
        s += &format!("input {label}: {n} nodes, {l} links\n");
    }
    if r.renamed > 0 {
        s += &format!(
            "{} ids clashed between inputs and were prefixed with the input label\n",
            r.renamed
        );
    }
    let mut by_layer: BTreeMap<String, (usize, f64)> = BTreeMap::new();
    for j in &r.joined {
        let e = by_layer.entry(j.layer.to_string()).or_default();
        e.0 += 1;
        e.1 = e.1.max(j.km);
    }
    s += &format!("joined: {} connectors\n", r.joined.len());
    let mut t = Table::new(&[Align::Left, Align::Right, Align::Left]);
    for (layer, (n, max)) in &by_layer {
        t.row([
            layer.clone(),
            n.to_string(),
            format!("(longest {max:.1} km)"),
        ]);
    }
    s += &t.render("  ");
    let mut one: BTreeMap<String, usize> = BTreeMap::new();
    for (_, l) in &r.one_layer {
        *one.entry(l.to_string()).or_default() += 1;
    }
    let one: Vec<String> = one.iter().map(|(l, n)| format!("{n} on {l}")).collect();
    if !one.is_empty() {
        s += &format!("one layer only (no transfer): {}\n", one.join(", "));
    }
    s += &format!(
        "unconnected: {} ports/terminals reached no layer\n",
        r.unconnected.len()
    );
    for (id, why) in r.unconnected.iter().take(MAX_UNCONNECTED) {
        s += &format!("  {id}: {why}\n");
    }
    if r.unconnected.len() > MAX_UNCONNECTED {
        s += &format!("  … and {} more\n", r.unconnected.len() - MAX_UNCONNECTED);
    }
    let m = &r.merged;
    s += &format!(
        "merged: {} nodes, {} links, {} terminals, {} borders; wrote {out}\n",
        m.nodes, m.links, m.terminals, m.borders
    );
    s
}
