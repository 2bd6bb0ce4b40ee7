//! Tiny named networks, each built to show one behaviour, described by an
//! ASCII map in its doc comment.

use corridor_model::{
    Border, Commodity, CommodityClass, CommodityRule, Layer, Link, Mode, ModeTable, Network, Node,
    NodeKind, Terminal,
};

fn node(
    net: &mut Network,
    id: &str,
    kind: NodeKind,
    lon: f64,
    lat: f64,
    cc: &str,
) -> corridor_model::NodeId {
    net.add_node(Node::new(id, kind, lon, lat, cc))
        .expect("fixture ids are unique")
}

fn link(net: &mut Network, id: &str, a: &str, b: &str, mode: Mode, gauge: Option<u16>, km: f64) {
    let (a, b) = (
        net.node_id(a).expect("fixture node"),
        net.node_id(b).expect("fixture node"),
    );
    net.add_link(Link::new(id, a, b, mode, gauge, km))
        .expect("fixture ids are unique");
}

/// A terminal at `node` joining the given layer pairs.
pub fn terminal(
    net: &mut Network,
    id: &str,
    node: &str,
    pairs: &[(Layer, Layer)],
    cost: f64,
    hours: f64,
) {
    let node = net.node_id(node).expect("fixture node");
    net.add_terminal(Terminal {
        source_id: id.to_string(),
        name: id.to_string(),
        node,
        transfers: pairs.to_vec(),
        handling_cost_per_t: cost,
        hours,
        co2_kg_per_t: 1.0,
        capacity_t_per_day: None,
        commodities: CommodityRule::default(),
        open: true,
        tags: Vec::new(),
        source: None,
    })
    .expect("fixture ids are unique");
}

/// A border crossing at `node` with the same dwell for every mode.
pub fn border(
    net: &mut Network,
    id: &str,
    node: &str,
    countries: [&str; 2],
    dwell_h: f64,
    fee: f64,
) {
    let node = net.node_id(node).expect("fixture node");
    net.add_border(Border {
        source_id: id.to_string(),
        name: id.to_string(),
        node,
        countries: [countries[0].to_string(), countries[1].to_string()],
        dwell_hours: ModeTable::from_fn(|_| dwell_h),
        fee_per_t: fee,
        capacity_t_per_day: None,
        commodities: CommodityRule::default(),
        open: true,
        tags: Vec::new(),
        source: None,
    })
    .expect("fixture ids are unique");
}

/// A 1520 mm line meets a 1435 mm line at a border, with a road alongside:
///
/// ```text
///   east ==1520== brd ==1435== west        (rail, gauge change terminal at brd)
///     \                          /
///      `------- road (via brd) -'          (road crosses the same border)
/// ```
/// Rail is cheaper per tonne-km; road is faster. Commodities: `grain`
/// (bulk) and `fuel` (dangerous).
pub fn gauge_break() -> Network {
    let mut n = Network::new("gauge_break");
    node(&mut n, "east", NodeKind::City, 24.0, 50.0, "UA");
    node(&mut n, "brd", NodeKind::Border, 23.5, 50.0, "UA");
    node(&mut n, "west", NodeKind::City, 22.0, 50.0, "PL");
    link(&mut n, "r1", "east", "brd", Mode::Rail, Some(1520), 100.0);
    link(&mut n, "r2", "brd", "west", Mode::Rail, Some(1435), 100.0);
    link(&mut n, "d1", "east", "brd", Mode::Road, None, 90.0);
    link(&mut n, "d2", "brd", "west", Mode::Road, None, 90.0);
    terminal(
        &mut n,
        "gc",
        "brd",
        &[(Layer::rail(1520), Layer::rail(1435))],
        5.0,
        6.0,
    );
    border(&mut n, "ua-pl", "brd", ["UA", "PL"], 10.0, 1.0);
    n.add_commodity(Commodity::new("grain", CommodityClass::Bulk, 0.05))
        .expect("unique");
    n.add_commodity(Commodity::new("fuel", CommodityClass::Dangerous, 0.05))
        .expect("unique");
    n
}
