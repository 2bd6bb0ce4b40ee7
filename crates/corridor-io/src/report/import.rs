//! Import summaries for people: what was read, what was built, what was
//! left out and why. The JSON is [`super::json`] of the summary.

use super::table::{Align, Table};
use corridor_model::results::{
    ImportSummary, OsmSummary, PortsSummary, SeaSummary, TntpSummary, WaterwaysSummary,
};

/// The summary of any import.
pub fn text(s: &ImportSummary) -> String {
    match s {
        ImportSummary::Osm(s) => osm_text(s),
        ImportSummary::Sea(s) => sea_text(s),
        ImportSummary::Ports(s) => ports_text(s),
        ImportSummary::Tntp(s) => tntp_text(s),
        ImportSummary::Waterways(s) => waterways_text(s),
    }
}

/// A table of counts and reasons (`230  highway=footway ...`).
fn reasons<'a>(rows: impl IntoIterator<Item = (&'a String, &'a usize)>, lead: &str) -> Table {
    let lead_col: &[Align] = if lead.is_empty() {
        &[Align::Right, Align::Left]
    } else {
        &[Align::Left, Align::Right, Align::Left]
    };
    let mut t = Table::new(lead_col);
    for (why, n) in rows {
        if lead.is_empty() {
            t.row([n.to_string(), why.clone()]);
        } else {
            t.row([lead.to_string(), n.to_string(), why.clone()]);
        }
    }
    t
}

pub fn osm_text(s: &OsmSummary) -> String {
    let e = &s.elements;
    let mut out = format!(
        "{}: read {} nodes, {} ways, {} relations\n",
        s.file, e.nodes, e.ways, e.relations
    );
    out += &format!("network: {} nodes, {} links\n", s.nodes, s.links);
    let mut layers = Table::new(&[Align::Left, Align::Right, Align::Right]);
    for (layer, (n, km)) in &s.by_layer {
        layers.row([
            layer.to_string(),
            format!("{n} links"),
            format!("{km:.1} km"),
        ]);
    }
    out += &layers.render("  ");
    if s.closed_links > 0 {
        out += &format!(
            "  {} road links closed to trucks (hgv, maxweight)\n",
            s.closed_links
        );
    }
    out += &format!("terminals: {}\n", s.terminals);
    out += &format!(
        "borders: {} checkpoints, {} detected changes of country\n",
        s.borders_checkpoint, s.borders_detected
    );
    if !s.untagged_gauge.is_empty() {
        let n: usize = s.untagged_gauge.values().sum();
        let by: Vec<String> = s
            .untagged_gauge
            .iter()
            .map(|(g, k)| format!("{g} mm ×{k}"))
            .collect();
        out += &format!("rail ways without a gauge tag: {n} ({})\n", by.join(", "));
    }
    if !s.skipped.is_empty() {
        out += "skipped:\n";
        out += &reasons(&s.skipped, "").render("  ");
    }
    if s.warnings > 0 {
        out += &format!("warnings: {}\n", s.warnings);
    }
    out
}

pub fn sea_text(s: &SeaSummary) -> String {
    let mut out = format!(
        "sea lanes: {} features -> {} nodes, {} links, {:.0} km\n",
        s.features, s.nodes, s.links, s.km
    );
    let p: Vec<String> = s
        .passages
        .iter()
        .map(|(k, v)| format!("{k} ({v})"))
        .collect();
    out += &format!("passages: {}\n", p.join(", "));
    if s.skipped > 0 {
        out += &format!("skipped: {} features without a line\n", s.skipped);
    }
    out
}

pub fn ports_text(s: &PortsSummary) -> String {
    let mut out = format!("ports: {} records -> {} ports\n", s.records, s.ports);
    out += &reasons(&s.skipped, "skipped").render("  ");
    out
}

pub fn tntp_text(s: &TntpSummary) -> String {
    format!(
        "{}: {} nodes, {} links, {} demand rows -> {}\n",
        s.network, s.nodes, s.links, s.demand_rows, s.out
    )
}

pub fn waterways_text(s: &WaterwaysSummary) -> String {
    let mut out = format!(
        "waterways: {} features -> {} nodes ({} ports), {} links, {:.0} km, {} locks\n",
        s.features, s.nodes, s.ports, s.links, s.km, s.locks
    );
    let mut t = Table::new(&[Align::Left, Align::Right, Align::Right]);
    for (class, (n, km)) in &s.by_class {
        t.row([
            format!("CEMT {class}"),
            format!("{n} links"),
            format!("{km:.0} km"),
        ]);
    }
    out += &t.render("  ");
    if s.closed_links > 0 {
        out += &format!("  {} links imported closed\n", s.closed_links);
    }
    out
}
