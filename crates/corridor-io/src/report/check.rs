//! `check`'s findings for people: one line of counts, every error, every
//! warning, then the tally. The JSON is [`super::json`] of the report.

use corridor_model::Severity;
use corridor_model::results::CheckReport;

/// One line of counts: nodes, links by layer, terminals, borders,
/// commodities.
pub fn counts_line(r: &CheckReport) -> String {
    let by_layer: Vec<String> = r
        .links_by_layer
        .iter()
        .map(|l| format!("{} {}", l.layer, l.links))
        .collect();
    format!(
        "{} nodes, {} links ({}), {} terminals, {} borders, {} commodities",
        r.nodes,
        r.links,
        if by_layer.is_empty() {
            "none".to_string()
        } else {
            by_layer.join(", ")
        },
        r.terminals,
        r.borders,
        r.commodities
    )
}

/// The findings, errors first.
pub fn text(r: &CheckReport) -> String {
    let mut s = format!("{}: {}\n", r.network, counts_line(r));
    for d in r
        .with_severity(Severity::Error)
        .chain(r.with_severity(Severity::Warning))
    {
        s.push_str(&d.text);
        s.push('\n');
    }
    s.push_str(&format!("{} error(s), {} warning(s)", r.errors, r.warnings));
    s
}
