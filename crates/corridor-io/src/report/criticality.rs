//! Criticality answers for people and spreadsheets: the base, how many
//! elements were closed and how, then the most critical ones as one short
//! table (every element, ranked, as CSV). The JSON is [`super::json`] of
//! the report.

use super::assign::{csv_err, csv_text};
use super::capacity::per_tonne;
use super::table::{Align, Table};
use super::thousands;
use crate::Result;
use corridor_model::results::{CriticalElement, CriticalityReport};

/// Rows the text table shows at most.
pub const TOP: usize = 15;

/// `+1.25`, `-0.40`, `0.00`; `-` when there is no cost to compare.
fn signed(x: Option<f64>) -> String {
    match x {
        Some(x) if x > 0.0 => format!("+{x:.2}"),
        Some(x) => format!("{x:.2}"),
        None => "-".into(),
    }
}

/// `yes`, `yes, cuts a, b` or `no`.
fn reach(e: &CriticalElement) -> String {
    match (e.connected, e.cut_off.is_empty()) {
        (false, _) => "no".into(),
        (true, true) => "yes".into(),
        (true, false) => format!("yes, cuts {}", e.cut_off.join(", ")),
    }
}

fn table(r: &CriticalityReport, rows: &[&CriticalElement]) -> Table {
    use Align::{Left, Right};
    let mut t = Table::new(&[Right, Left, Left, Right, Right, Right, Left, Left]).header([
        "#".to_string(),
        "kind".into(),
        "id".into(),
        format!("lost {}", r.unit),
        "lost".into(),
        "cost change".into(),
        "connected".into(),
        "name".into(),
    ]);
    for (i, e) in rows.iter().enumerate() {
        t.row([
            (i + 1).to_string(),
            e.kind.clone(),
            e.id.clone(),
            thousands(e.lost),
            format!("{:.1}%", e.lost_share * 100.0),
            signed(e.cost_change),
            reach(e),
            e.name.clone(),
        ]);
    }
    t
}

/// The readable report; money in `currency`.
pub fn text(r: &CriticalityReport, currency: &str) -> String {
    let mut s = format!(
        "criticality for {} from {} to {}: each element closed in turn\n",
        r.commodity,
        r.from.join(", "),
        r.to.join(", ")
    );
    if !r.scenarios.is_empty() {
        s += &format!("  after scenarios: {}\n", r.scenarios.join(" + "));
    }
    s += &format!(
        "  base: maximum flow {} {}",
        thousands(r.base.max_flow),
        r.unit
    );
    if r.base.max_flow > 0.0 {
        s += &format!(
            ", cheapest {:.2} {} on average (by {})",
            r.base.cost_per_unit,
            per_tonne(&r.minimize, currency),
            r.minimize
        );
    }
    s.push('\n');
    let with_effect: Vec<&CriticalElement> = r.elements.iter().filter(|e| e.has_effect()).collect();
    let used = r.elements.iter().filter(|e| e.used).count();
    s += &format!(
        "  closed {} element(s) ({}): {} change something; {used} carried flow",
        r.elements.len(),
        r.kinds
            .iter()
            .map(|k| format!("{k}s"))
            .collect::<Vec<_>>()
            .join(", "),
        with_effect.len()
    );
    if r.shortcut {
        s += " and were solved again, the others were answered from the base\n";
    } else {
        s += "; every element was solved again\n";
    }
    if let Some(p) = r.part {
        s += &format!(
            "  part {} of {} (elements i with i mod {} = {})\n",
            p.index, p.of, p.of, p.index
        );
    }
    for n in &r.notes {
        s += &format!("  note: {n}\n");
    }
    if with_effect.is_empty() {
        return s;
    }
    s += &format!(
        "\nmost critical (cost change per tonne, by {})\n",
        r.minimize
    );
    let shown = &with_effect[..with_effect.len().min(TOP)];
    s += &table(r, shown).render("  ");
    let more = with_effect.len() - shown.len();
    if more > 0 {
        s += &format!(
            "  ... and {more} more that change something (--format csv lists every element)\n"
        );
    }
    s
}

/// Every element, ranked: `rank,kind,id,name,used,max_flow,lost,
/// lost_share,cost_per_unit,cost_change,connected,cut_off,exact`
/// (`cut_off` ids joined by `;`, an empty `cost_change` when there is no
/// cost to compare).
pub fn csv(r: &CriticalityReport) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "rank",
        "kind",
        "id",
        "name",
        "used",
        "max_flow",
        "lost",
        "lost_share",
        "cost_per_unit",
        "cost_change",
        "connected",
        "cut_off",
        "exact",
    ])
    .map_err(csv_err)?;
    for (i, e) in r.elements.iter().enumerate() {
        w.write_record([
            (i + 1).to_string(),
            e.kind.clone(),
            e.id.clone(),
            e.name.clone(),
            e.used.to_string(),
            e.max_flow.to_string(),
            e.lost.to_string(),
            e.lost_share.to_string(),
            e.cost_per_unit.to_string(),
            e.cost_change.map(|c| c.to_string()).unwrap_or_default(),
            e.connected.to_string(),
            e.cut_off.join(";"),
            e.exact.to_string(),
        ])
        .map_err(csv_err)?;
    }
    csv_text(w)
}
