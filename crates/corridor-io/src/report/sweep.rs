//! A sweep for people and spreadsheets: one line per scenario (or
//! combination) and commodity with the capacity, its ratio to the base
//! and the first bottleneck. The JSON is [`super::json`] of the report.

use super::assign::{csv_err, csv_text};
use super::table::{Align, Table};
use super::thousands;
use crate::Result;
use corridor_model::results::{SweepReport, SweepRow};

/// `base`, or the scenarios joined by ` + `.
fn combination(r: &SweepRow) -> String {
    if r.scenarios.is_empty() {
        "base".into()
    } else {
        r.scenarios.join(" + ")
    }
}

/// The readable sweep.
pub fn text(r: &SweepReport) -> String {
    let n = r.scenarios.len();
    let mut s = format!(
        "sweep from {} to {}: {}\n",
        r.from.join(", "),
        r.to.join(", "),
        if r.grid {
            format!("every combination of {n} scenario(s), by {}", r.minimize)
        } else {
            format!("the base and {n} scenario(s) each alone, by {}", r.minimize)
        }
    );
    if let Some(p) = r.part {
        s += &format!(
            "  part {} of {} (rows i with i mod {} = {})\n",
            p.index, p.of, p.of, p.index
        );
    }
    use Align::{Left, Right};
    let mut t = Table::new(&[Left, Left, Right, Right, Left]).header([
        "commodity".to_string(),
        "scenarios".into(),
        format!("capacity {}", r.unit),
        "× base".into(),
        "first bottleneck".into(),
    ]);
    for row in &r.rows {
        let last = match (&row.error, &row.bottleneck) {
            (Some(e), _) => format!("error: {}", e.lines().next().unwrap_or("")),
            (None, Some(b)) => format!("{} {} ({})", b.kind, b.id, thousands(b.capacity)),
            (None, None) => "-".into(),
        };
        t.row([
            row.commodity.clone(),
            combination(row),
            row.max_flow.map(thousands).unwrap_or_else(|| "-".into()),
            row.ratio
                .map(|x| format!("{x:.2}"))
                .unwrap_or_else(|| "-".into()),
            last,
        ]);
    }
    s.push('\n');
    s += &t.render("  ");
    s
}

/// One row per scenario combination and commodity: `commodity,scenarios,
/// max_flow,unit,ratio,cost_per_unit,exact,bottleneck_kind,
/// bottleneck_id,bottleneck_capacity,error` (`scenarios` joined by `+`,
/// empty for the base; empty cells where a row has no value).
pub fn csv(r: &SweepReport) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "commodity",
        "scenarios",
        "max_flow",
        "unit",
        "ratio",
        "cost_per_unit",
        "exact",
        "bottleneck_kind",
        "bottleneck_id",
        "bottleneck_capacity",
        "error",
    ])
    .map_err(csv_err)?;
    let num = |x: Option<f64>| x.map(|x| x.to_string()).unwrap_or_default();
    for row in &r.rows {
        let b = row.bottleneck.as_ref();
        w.write_record([
            row.commodity.clone(),
            row.scenarios.join("+"),
            num(row.max_flow),
            r.unit.clone(),
            num(row.ratio),
            num(row.cost_per_unit),
            row.exact.to_string(),
            b.map(|b| b.kind.clone()).unwrap_or_default(),
            b.map(|b| b.id.clone()).unwrap_or_default(),
            num(b.map(|b| b.capacity)),
            row.error.clone().unwrap_or_default(),
        ])
        .map_err(csv_err)?;
    }
    csv_text(w)
}
