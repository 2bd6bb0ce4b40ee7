//! Capacity answers for people and maps: the maximum flow and its cost, the
//! bottlenecks of the minimum cut and the flows as tables; every element
//! carrying flow (and every bottleneck) as GeoJSON for a map to colour.

use super::table::{Align, Table};
use super::thousands;
use corridor_model::Network;
use corridor_model::results::CapacityReport;
use serde_json::{Value, json};

/// The bottleneck table (kind, id, capacity, share of the cut, name).
pub fn bottleneck_table(r: &CapacityReport) -> Table {
    use Align::{Left, Right};
    let mut t = Table::new(&[Left, Left, Right, Right, Left]).header([
        "kind".to_string(),
        "id".into(),
        format!("capacity {}", r.unit),
        "share".into(),
        "name".into(),
    ]);
    for b in &r.bottlenecks {
        t.row([
            b.kind.clone(),
            b.id.clone(),
            thousands(b.capacity),
            format!("{:.1}%", b.share * 100.0),
            b.name.clone(),
        ]);
    }
    t
}

fn flows_table(r: &CapacityReport) -> Table {
    use Align::{Left, Right};
    let mut t = Table::new(&[Left, Left, Right, Right, Right]).header([
        "kind".to_string(),
        "id".into(),
        format!("flow {}", r.unit),
        format!("capacity {}", r.unit),
        "use".into(),
    ]);
    for e in &r.elements {
        t.row([
            e.kind.clone(),
            e.id.clone(),
            thousands(e.flow),
            e.capacity.map(thousands).unwrap_or_else(|| "-".into()),
            e.utilisation
                .map(|u| format!("{:.0}%", u * 100.0))
                .unwrap_or_else(|| "-".into()),
        ]);
    }
    t
}

/// What one unit of the objective is called, per tonne.
pub(super) fn per_tonne(minimize: &str, currency: &str) -> String {
    match minimize {
        "cost" => format!("{currency} per tonne"),
        "time" => "hours per tonne".to_string(),
        "distance" => "km per tonne".to_string(),
        "co2" => "kg CO2 per tonne".to_string(),
        _ => "generalised cost per tonne".to_string(),
    }
}

/// The readable report; money in `currency`.
pub fn text(r: &CapacityReport, currency: &str) -> String {
    let mut s = format!(
        "capacity for {} from {} to {}\n",
        r.commodity,
        r.from.join(", "),
        r.to.join(", ")
    );
    s += &format!("  maximum flow: {} {}", thousands(r.max_flow), r.unit);
    if let Some(mt) = r.max_flow_mt_per_year {
        s += &format!(" ({mt:.2} Mt/year)");
    }
    s.push('\n');
    if !r.exact
        && let Some(ub) = r.upper_bound
    {
        s += &format!(
            "  (a shared capacity was divided between layers; at most {} {} if it could be shared freely)\n",
            thousands(ub),
            r.unit
        );
    }
    if r.max_flow > 0.0 {
        s += &format!(
            "  cheapest maximum flow: {:.2} {} on average (by {})\n",
            r.cost_per_unit,
            per_tonne(&r.minimize, currency),
            r.minimize
        );
    }
    for n in &r.notes {
        s += &format!("  note: {n}\n");
    }
    if !r.bottlenecks.is_empty() {
        s += "\nbottlenecks (a minimum cut: raising any of these raises the maximum)\n";
        s += &bottleneck_table(r).render("  ");
    }
    if !r.elements.is_empty() {
        s += "\nflows\n";
        s += &flows_table(r).render("  ");
    }
    s
}

/// The element's geometry: a link's line, a node's, terminal's or
/// border's point; `null` for ids the network does not know.
fn geometry(net: &Network, kind: &str, id: &str) -> Value {
    let point = |n: corridor_model::NodeId| {
        let node = net.node(n);
        json!({"type": "Point", "coordinates": [node.lon, node.lat]})
    };
    match kind {
        "link" => net
            .link_id(id)
            .map(|l| {
                let l = net.link(l);
                let coords: Vec<[f64; 2]> = if l.geometry.is_empty() {
                    let (a, b) = (net.node(l.from), net.node(l.to));
                    vec![[a.lon, a.lat], [b.lon, b.lat]]
                } else {
                    l.geometry.clone()
                };
                crate::geojson_out::line_geometry(&coords)
                    .and_then(|g| serde_json::to_value(g).ok())
                    .unwrap_or(Value::Null)
            })
            .unwrap_or(Value::Null),
        "terminal" => net
            .terminal_id(id)
            .map(|t| point(net.terminals[t.index()].node))
            .unwrap_or(Value::Null),
        "border" => net
            .border_id(id)
            .map(|b| point(net.borders[b.index()].node))
            .unwrap_or(Value::Null),
        _ => net.node_id(id).map(point).unwrap_or(Value::Null),
    }
}

/// Every element carrying flow (and every bottleneck) as a GeoJSON
/// feature, with flow, capacity and utilisation in the properties; for
/// faces that embed the map in a larger answer ([`geojson()`] is its text).
pub fn feature_collection(r: &CapacityReport, net: &Network) -> Value {
    let mut features = Vec::new();
    for e in &r.elements {
        let b = r
            .bottlenecks
            .iter()
            .find(|b| b.kind == e.kind && b.id == e.id);
        features.push(json!({
            "type": "Feature",
            "geometry": geometry(net, &e.kind, &e.id),
            "properties": {
                "kind": e.kind, "id": e.id, "name": e.name, "flow": e.flow,
                "capacity": e.capacity, "utilisation": e.utilisation,
                "unit": r.unit, "bottleneck": b.is_some(),
                "share_of_cut": b.map(|b| b.share),
            }
        }));
    }
    for b in &r.bottlenecks {
        if r.elements.iter().any(|e| e.kind == b.kind && e.id == b.id) {
            continue;
        }
        features.push(json!({
            "type": "Feature",
            "geometry": geometry(net, &b.kind, &b.id),
            "properties": {
                "kind": b.kind, "id": b.id, "name": b.name, "flow": 0.0,
                "capacity": b.capacity, "utilisation": 0.0, "unit": r.unit,
                "bottleneck": true, "share_of_cut": b.share,
            }
        }));
    }
    json!({
        "type": "FeatureCollection",
        "properties": {"max_flow": r.max_flow, "unit": r.unit, "commodity": r.commodity},
        "features": features,
    })
}

/// The capacity map as GeoJSON text (`--format geojson`).
pub fn geojson(r: &CapacityReport, net: &Network) -> String {
    feature_collection(r, net).to_string()
}
