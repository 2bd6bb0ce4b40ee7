//! An investment screening for people and spreadsheets: each project
//! alone (capacity added, and per unit of cost), then the best set within
//! the budget with the method that found it. The JSON is [`super::json`]
//! of the report.

use super::assign::{csv_err, csv_text};
use super::table::{Align, Table};
use super::{plain, thousands};
use crate::Result;
use corridor_model::results::InvestReport;

/// The readable screening.
pub fn text(r: &InvestReport) -> String {
    let unit = r.cost_unit.as_deref().unwrap_or("of cost");
    let per = r
        .cost_unit
        .as_deref()
        .map_or("per unit of cost".to_string(), |u| format!("per {u}"));
    let mut s = format!(
        "invest for {} from {} to {}: budget {} {unit}\n  base: maximum flow {} {}\n",
        r.commodity,
        r.from.join(", "),
        r.to.join(", "),
        plain(r.budget),
        thousands(r.base_max_flow),
        r.unit
    );
    use Align::{Left, Right};
    let mut t = Table::new(&[Left, Right, Right, Right, Left]).header([
        "project".to_string(),
        "cost".into(),
        format!("added {}", r.unit),
        format!("{} {per}", r.unit),
        "note".into(),
    ]);
    for p in &r.projects {
        let dash = || "-".to_string();
        t.row([
            p.name.clone(),
            plain(p.cost),
            p.added.map(thousands).unwrap_or_else(dash),
            p.added_per_cost.map(thousands).unwrap_or_else(dash),
            match &p.error {
                Some(e) => format!("error: {}", e.lines().next().unwrap_or("")),
                None => p.note.clone().unwrap_or_default(),
            },
        ]);
    }
    s += "\neach project alone\n";
    s += &t.render("  ");
    let b = &r.best;
    s += &format!(
        "\nbest within the budget ({}, {}; {} set(s) evaluated)\n",
        b.method,
        if b.exact {
            "proven best"
        } else {
            "not proven best"
        },
        b.evaluated
    );
    let chosen = if b.projects.is_empty() {
        "no project".to_string()
    } else {
        b.projects.join(" + ")
    };
    s += &format!(
        "  {chosen}: cost {} of {} {unit}, maximum flow {} {} ({}{})\n",
        plain(b.cost),
        plain(r.budget),
        thousands(b.max_flow),
        r.unit,
        if b.added >= 0.0 { "+" } else { "" },
        thousands(b.added)
    );
    if let Some(ub) = b.upper_bound {
        s += &format!(
            "  no set within the budget reaches more than {} {}\n",
            thousands(ub),
            r.unit
        );
    }
    for n in &r.notes {
        s += &format!("  note: {n}\n");
    }
    s
}

/// One row per project: `project,scenario,cost,max_flow,added,
/// added_per_cost,raises_only,chosen,error,note`.
pub fn csv(r: &InvestReport) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "project",
        "scenario",
        "cost",
        "max_flow",
        "added",
        "added_per_cost",
        "raises_only",
        "chosen",
        "error",
        "note",
    ])
    .map_err(csv_err)?;
    let num = |x: Option<f64>| x.map(|x| x.to_string()).unwrap_or_default();
    for p in &r.projects {
        w.write_record([
            p.name.clone(),
            p.scenario.clone(),
            p.cost.to_string(),
            num(p.max_flow),
            num(p.added),
            num(p.added_per_cost),
            p.raises_only.to_string(),
            r.best.projects.contains(&p.name).to_string(),
            p.error.clone().unwrap_or_default(),
            p.note.clone().unwrap_or_default(),
        ])
        .map_err(csv_err)?;
    }
    csv_text(w)
}
