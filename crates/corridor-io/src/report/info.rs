//! `info` for people: the network's size and units, a table of layers,
//! one of terminals and one of borders, and the commodities. The JSON is
//! [`super::json`] of the report.

use super::table::{Align, Table};
use super::{plain, thousands};
use corridor_model::results::InfoReport;

fn closed_note(n: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(", {n} closed")
    }
}

/// Capacities in whole tonnes (4 Mt/year is 10,959 t/day, not 10958.90):
/// hundredths of a tonne a day are conversion noise, not data.
fn capacity(c: Option<f64>) -> String {
    c.map(quantity).unwrap_or_else(|| "-".into())
}

fn quantity(x: f64) -> String {
    if x.abs() < 100.0 {
        hours(x)
    } else {
        thousands(x)
    }
}

/// As the data gives it (33.5 h, not 33.50 h; a capacity of 1 veh/h, not 1.00).
fn hours(h: f64) -> String {
    let s = plain(h);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

fn layers(r: &InfoReport) -> Table {
    use Align::{Left, Right};
    let mut t = Table::new(&[Left, Right, Right, Right]).header([
        "layer",
        "links",
        "km",
        "capacity (min-max)",
    ]);
    for l in &r.layers {
        let cap = match (l.min_capacity, l.max_capacity) {
            (Some(lo), Some(hi)) => format!("{}-{}", quantity(lo), quantity(hi)),
            _ => "-".into(),
        };
        t.row([
            l.layer.clone(),
            l.links.to_string(),
            format!("{:.1}", l.km),
            cap,
        ]);
    }
    t
}

fn terminals(r: &InfoReport) -> Table {
    use Align::{Left, Right};
    let mut t = Table::new(&[Left, Left, Left, Right, Right, Right, Left]).header([
        "id".to_string(),
        "node".into(),
        "transfers".into(),
        format!("{}/t", r.currency),
        "hours".into(),
        format!("capacity {}", r.flow_unit),
        String::new(),
    ]);
    for x in &r.terminals {
        t.row([
            x.id.clone(),
            x.node.clone(),
            x.transfers.join(", "),
            plain(x.handling_cost_per_t),
            plain(x.hours),
            capacity(x.capacity),
            if x.open { "" } else { "closed" }.to_string(),
        ]);
    }
    t
}

fn borders(r: &InfoReport) -> Table {
    use Align::{Left, Right};
    let mut t = Table::new(&[Left, Left, Left, Left, Right, Right, Left]).header([
        "id".to_string(),
        "node".into(),
        "countries".into(),
        "dwell".into(),
        format!("fee {}/t", r.currency),
        format!("capacity {}", r.flow_unit),
        String::new(),
    ]);
    for b in &r.borders {
        let dwell: Vec<String> = b
            .dwell_hours
            .iter()
            .map(|(m, h)| format!("{m} {} h", hours(*h)))
            .collect();
        t.row([
            b.id.clone(),
            b.node.clone(),
            format!("{}–{}", b.countries[0], b.countries[1]),
            if dwell.is_empty() {
                "0 h".to_string()
            } else {
                dwell.join(", ")
            },
            plain(b.fee_per_t),
            capacity(b.capacity),
            if b.open { "" } else { "closed" }.to_string(),
        ]);
    }
    t
}

/// The readable summary.
pub fn text(r: &InfoReport) -> String {
    let mut s = format!(
        "network {} (money in {}, capacities in {})\n",
        r.network, r.currency, r.flow_unit
    );
    let kinds: Vec<String> = r
        .nodes_by_kind
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    s += &format!(
        "nodes: {} ({}){}\n",
        r.nodes,
        kinds.join(", "),
        closed_note(r.closed_nodes)
    );
    s += &format!("links: {}{}\n", r.links, closed_note(r.closed_links));
    s += &layers(r).render("  ");
    let closed = r.terminals.iter().filter(|t| !t.open).count();
    s += &format!("terminals: {}{}\n", r.terminals.len(), closed_note(closed));
    if !r.terminals.is_empty() {
        s += &terminals(r).render("  ");
    }
    let closed = r.borders.iter().filter(|b| !b.open).count();
    s += &format!("borders: {}{}\n", r.borders.len(), closed_note(closed));
    if !r.borders.is_empty() {
        s += &borders(r).render("  ");
    }
    let coms: Vec<String> = r
        .commodities
        .iter()
        .map(|c| {
            format!(
                "{} ({}, value of time {} {}/t·h)",
                c.id,
                c.class,
                small(c.value_of_time_per_t_h),
                r.currency
            )
        })
        .collect();
    s += &format!(
        "commodities: {}",
        if coms.is_empty() {
            "none".to_string()
        } else {
            coms.join(", ")
        }
    );
    s
}

/// A value of time: as [`plain`], except that one below 1 keeps three
/// significant digits (grain's 0.044 is not 0.04, its interest on the
/// cargo, 0.0028, not 0.00).
fn small(x: f64) -> String {
    if x != 0.0 && x.abs() < 1.0 {
        format!("{x:.2e}")
            .parse::<f64>()
            .map_or_else(|_| plain(x), |r| r.to_string())
    } else {
        plain(x)
    }
}

#[cfg(test)]
mod tests {
    use super::{capacity, hours, small};

    #[test]
    fn capacities_and_hours_without_noise() {
        assert_eq!(capacity(Some(10958.904)), "10,959");
        assert_eq!(capacity(Some(7500.0)), "7,500");
        assert_eq!(capacity(None), "-");
        assert_eq!(capacity(Some(1.0)), "1");
        assert_eq!(capacity(Some(2.5)), "2.5");
        assert_eq!(hours(33.5), "33.5");
        assert_eq!(hours(48.0), "48");
        assert_eq!(hours(7.25), "7.25");
    }

    #[test]
    fn values_of_time_keep_their_digits() {
        assert_eq!(small(0.044), "0.044");
        assert_eq!(small(0.0028), "0.0028");
        assert_eq!(small(0.3), "0.3");
        assert_eq!(small(0.123456), "0.123");
        assert_eq!(small(1.0), "1");
        assert_eq!(small(0.0), "0");
        assert_eq!(small(2.5), "2.50");
    }
}
