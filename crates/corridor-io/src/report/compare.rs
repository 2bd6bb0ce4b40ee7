//! A comparison for people: capacity before and after with its ratio,
//! bottlenecks relieved and new, the best route before and after, and the
//! largest flow changes. The JSON is [`super::json`] of the report.

use super::table::{Align, Table};
use super::thousands;
use corridor_model::results::{Bottleneck, CompareReport, RouteOutcome};

fn bottleneck_line(b: &Bottleneck, unit: &str) -> String {
    format!(
        "    {} {} ({}): {} {unit}, {:.1}% of the cut\n",
        b.kind,
        b.id,
        b.name,
        thousands(b.capacity),
        b.share * 100.0
    )
}

fn route_line(r: &RouteOutcome, currency: &str) -> String {
    match (&r.itinerary, &r.no_route) {
        (Some(it), _) => {
            let via: Vec<String> = it
                .legs
                .iter()
                .map(|l| match l.gauge {
                    Some(g) => format!("{} {g} {}→{}", l.mode, l.from, l.to),
                    None => format!("{} {}→{}", l.mode, l.from, l.to),
                })
                .collect();
            format!(
                "{:.2} {currency}/t, {:.1} h, {:.0} km: {}",
                it.totals.cost,
                it.totals.hours,
                it.totals.km,
                via.join(", ")
            )
        }
        (None, Some(why)) => format!("none ({why})"),
        (None, None) => "none".to_string(),
    }
}

fn bottlenecks(r: &CompareReport, unit: &str) -> String {
    if r.bottlenecks_appeared.is_empty() && r.bottlenecks_disappeared.is_empty() {
        return "\nbottlenecks: unchanged\n".to_string();
    }
    let mut s = String::new();
    if !r.bottlenecks_disappeared.is_empty() {
        s += "\nbottlenecks relieved (in the base cut, not in the scenario's)\n";
        for b in &r.bottlenecks_disappeared {
            s += &bottleneck_line(b, unit);
        }
    }
    if !r.bottlenecks_appeared.is_empty() {
        s += "\nnew bottlenecks (in the scenario's cut)\n";
        for b in &r.bottlenecks_appeared {
            s += &bottleneck_line(b, unit);
        }
    }
    s
}

/// The readable comparison; money in `currency`.
pub fn text(r: &CompareReport, currency: &str) -> String {
    let unit = &r.base.unit;
    let mut s = format!(
        "compare {} for {} from {} to {}\n",
        if r.scenarios.is_empty() {
            "base".to_string()
        } else {
            format!("base vs {}", r.scenarios.join(" + "))
        },
        r.base.commodity,
        r.base.from.join(", "),
        r.base.to.join(", ")
    );
    s += &format!(
        "  capacity: {} -> {} {unit}",
        thousands(r.base.max_flow),
        thousands(r.scenario.max_flow)
    );
    if let (Some(a), Some(b)) = (r.base.max_flow_mt_per_year, r.scenario.max_flow_mt_per_year) {
        s += &format!(" ({a:.2} -> {b:.2} Mt/year)");
    }
    match r.ratio {
        Some(x) => s += &format!("  × {x:.2}\n"),
        None => s += "  (the base carries nothing)\n",
    }
    for n in r
        .base
        .notes
        .iter()
        .map(|n| ("base", n))
        .chain(r.scenario.notes.iter().map(|n| ("scenario", n)))
    {
        s += &format!("  note ({}): {}\n", n.0, n.1);
    }
    s += &bottlenecks(r, unit);
    s += &format!(
        "\nbest route {} -> {} by {}\n  before: {}\n  after:  {}\n",
        r.base.from.first().map_or("", String::as_str),
        r.base.to.first().map_or("", String::as_str),
        r.base.minimize,
        route_line(&r.route_before, currency),
        route_line(&r.route_after, currency)
    );
    if !r.flow_changes.is_empty() {
        s += &format!("\nlargest flow changes ({unit})\n");
        let mut t = Table::new(&[Align::Right, Align::Left]);
        for c in &r.flow_changes {
            t.row([
                format!(
                    "{}{}",
                    if c.change > 0.0 { "+" } else { "" },
                    thousands(c.change)
                ),
                format!(
                    "{} {} ({}): {} -> {}",
                    c.kind,
                    c.id,
                    c.name,
                    thousands(c.before),
                    thousands(c.after)
                ),
            ]);
        }
        s += &t.render("  ");
    }
    if let Some(o) = &r.optimise {
        s += &super::optimise::comparison_text(o);
    }
    s
}
