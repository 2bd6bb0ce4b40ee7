//! Property test: any small valid network written as TOML or as a CSV
//! bundle reads back to the same model, with no error diagnostics.
//! Networks are generated directly in the model (not through a file), so
//! the readers are checked against an independent construction.

use corridor_io::{read_network, write_csv_bundle, write_toml};
use corridor_model::{
    Border, Commodity, CommodityClass, CommodityRule, Layer, Link, Mode, ModeTable, Network, Node,
    NodeId, NodeKind, Terminal,
};
use proptest::prelude::*;
use serde_json::Value;

fn model(net: &Network) -> Value {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(m) => {
                m.remove("source");
                m.values_mut().for_each(strip);
            }
            Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(net).unwrap();
    strip(&mut v);
    v
}

const KINDS: [NodeKind; 6] = [
    NodeKind::City,
    NodeKind::Terminal,
    NodeKind::Port,
    NodeKind::Station,
    NodeKind::Border,
    NodeKind::Junction,
];
const COUNTRIES: [&str; 4] = ["UA", "PL", "RO", "MD"];
const WORDS: [&str; 6] = ["grain", "fuel", "bulk", "dangerous", "container", "general"];

type NodeSpec = (
    String,
    usize,
    f64,
    f64,
    usize,
    Option<f64>,
    bool,
    Vec<String>,
    bool,
);

fn node_spec() -> impl Strategy<Value = NodeSpec> {
    (
        "[A-Za-zą][A-Za-z ,'\"ęł-]{0,10}[a-z]",
        0..KINDS.len(),
        -180.0..180.0f64,
        -90.0..90.0f64,
        0..COUNTRIES.len(),
        prop::option::of(0.0..1e7f64),
        any::<bool>(),
        prop::collection::vec("[a-z][a-z-]{0,6}", 0..3),
        any::<bool>(),
    )
}

type LinkSpec = (
    (usize, usize, usize, usize, f64),
    (
        Option<f64>,
        Option<f64>,
        Option<f64>,
        Option<f64>,
        Option<f64>,
    ),
    (bool, Vec<usize>, Vec<usize>, bool, f64),
    (Option<(f64, f64)>, Vec<(f64, f64)>, Vec<String>),
);

fn link_spec() -> impl Strategy<Value = LinkSpec> {
    (
        (0..8usize, 0..8usize, 0..4usize, 0..3usize, 0.0..5000.0f64),
        (
            prop::option::of(1.0..120.0f64),
            prop::option::of(0.0..200.0f64),
            prop::option::of(0.0..1.0f64),
            prop::option::of(0.0..0.2f64),
            prop::option::of(0.0..1e6f64),
        ),
        (
            any::<bool>(),
            prop::collection::vec(0..WORDS.len(), 0..2),
            prop::collection::vec(0..WORDS.len(), 0..2),
            any::<bool>(),
            prop_oneof![Just(0.0), 0.0..10.0f64],
        ),
        (
            prop::option::of((0.0..1.0f64, 1.0..6.0f64)),
            prop::collection::vec((-180.0..180.0f64, -90.0..90.0f64), 0..4),
            prop::collection::vec("[a-z]{1,5}", 0..2),
        ),
    )
}

type Extra = (
    Vec<(usize, f64, f64, f64, Option<f64>, bool)>,
    Vec<(usize, usize, usize, f64, f64, bool)>,
);

fn extra_spec() -> impl Strategy<Value = Extra> {
    (
        prop::collection::vec(
            (
                0..8usize,
                0.0..50.0f64,
                0.0..72.0f64,
                0.0..5.0f64,
                prop::option::of(0.0..1e5f64),
                any::<bool>(),
            ),
            0..4,
        ),
        prop::collection::vec(
            (
                0..8usize,
                0..4usize,
                0..4usize,
                0.0..72.0f64,
                0.0..10.0f64,
                any::<bool>(),
            ),
            0..3,
        ),
    )
}

type Header = (f64, f64, f64, f64, (f64, f64), (usize, f64));

fn header_spec() -> impl Strategy<Value = Header> {
    (
        0.0..200.0f64,
        prop_oneof![Just(2000.0), 500.0..5000.0f64],
        prop_oneof![Just(60.0), 10.0..100.0f64],
        prop_oneof![Just(1.25), 1.0..2.0f64],
        (0.0..2.0f64, 0.0..2.0f64),
        (0..4usize, 0.0..1.0f64),
    )
}

fn words(ix: &[usize]) -> Vec<String> {
    ix.iter().map(|&i| WORDS[i].to_string()).collect()
}

fn build(nodes: Vec<NodeSpec>, links: Vec<LinkSpec>, extra: Extra, header: Header) -> Network {
    let mut net = Network::new("generated");
    let (carbon, train, road_speed, rail_detour, vots, (class, wait)) = header;
    net.carbon_price_per_t = carbon;
    net.vehicles.train_payload_t = train;
    net.defaults.road.speed_kmh = road_speed;
    net.defaults.rail.detour_factor = rail_detour;
    net.defaults.sea.waiting_cost_per_t_h = wait;
    let classes = [
        CommodityClass::Bulk,
        CommodityClass::Container,
        CommodityClass::General,
        CommodityClass::Dangerous,
    ];
    net.add_commodity(Commodity::new("grain", classes[class], vots.0))
        .unwrap();
    net.add_commodity(Commodity::new("fuel", CommodityClass::Dangerous, vots.1))
        .unwrap();
    for (i, (name, kind, lon, lat, country, cap, open, tags, no_through)) in
        nodes.into_iter().enumerate()
    {
        let mut n = Node::new(&format!("n{i}"), KINDS[kind], lon, lat, COUNTRIES[country]);
        n.name = name.into();
        n.capacity_t_per_day = cap;
        n.open = open;
        n.tags = tags;
        n.no_through = no_through;
        net.add_node(n).unwrap();
    }
    let nn = net.nodes.len();
    for (i, ((a, b, mode, gauge, len), opts, flags, (bpr, geometry, tags))) in
        links.into_iter().enumerate()
    {
        let mode = Mode::ALL[mode];
        let gauge = (mode == Mode::Rail).then_some([1435, 1520, 1067][gauge]);
        let (from, to) = (NodeId::from_index(a % nn), NodeId::from_index(b % nn));
        let mut l = Link::new(&format!("l{i}"), from, to, mode, gauge, len);
        (
            l.speed_kmh,
            l.hours,
            l.cost_per_tkm,
            l.co2_kg_per_tkm,
            l.capacity_t_per_day,
        ) = opts;
        let (oneway, allow, ban, open, toll) = flags;
        l.oneway = oneway;
        l.commodities = CommodityRule {
            allowed: words(&allow),
            banned: words(&ban),
        };
        l.open = open;
        l.toll = toll;
        l.bpr_alpha = bpr.map(|b| b.0);
        l.bpr_beta = bpr.map(|b| b.1);
        l.geometry = geometry.into_iter().map(|(x, y)| [x, y]).collect();
        l.tags = tags;
        net.add_link(l).unwrap();
    }
    let layers = net.layers_at_nodes();
    let (terminals, borders) = extra;
    for (i, (at, cost, hours, co2, cap, open)) in terminals.into_iter().enumerate() {
        let node = NodeId::from_index(at % nn);
        let here: Vec<Layer> = layers[node.index()].iter().copied().collect();
        if here.len() < 2 {
            continue;
        }
        let t = Terminal {
            source_id: format!("t{i}"),
            name: format!("Terminal {i}"),
            node,
            transfers: here.windows(2).map(|w| (w[0], w[1])).collect(),
            handling_cost_per_t: cost,
            hours,
            co2_kg_per_t: co2,
            capacity_t_per_day: cap,
            commodities: CommodityRule::default(),
            open,
            tags: vec![],
            source: None,
        };
        net.add_terminal(t).unwrap();
    }
    for (i, (at, c1, c2, dwell, fee, open)) in borders.into_iter().enumerate() {
        let node = NodeId::from_index(at % nn);
        if layers[node.index()].is_empty() || c1 == c2 {
            continue;
        }
        let mut dwell_hours = ModeTable::from_fn(|_| 0.0);
        dwell_hours.road = dwell;
        dwell_hours.rail = dwell / 2.0;
        let b = Border {
            source_id: format!("b{i}"),
            name: format!("Border {i}"),
            node,
            countries: [COUNTRIES[c1].into(), COUNTRIES[c2].into()],
            dwell_hours,
            fee_per_t: fee,
            capacity_t_per_day: None,
            commodities: CommodityRule {
                allowed: vec![],
                banned: vec!["dangerous".into()],
            },
            open,
            tags: vec!["x".into()],
            source: None,
        };
        net.add_border(b).unwrap();
    }
    net
}

fn arb_network() -> impl Strategy<Value = Network> {
    (
        prop::collection::vec(node_spec(), 2..6),
        prop::collection::vec(link_spec(), 0..8),
        extra_spec(),
        header_spec(),
    )
        .prop_map(|(n, l, e, h)| build(n, l, e, h))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn toml_and_csv_round_trip_to_the_same_model(net in arb_network()) {
        let dir = tempfile::tempdir().unwrap();
        let toml = dir.path().join("net.toml");
        write_toml(&net, &toml).unwrap();
        let loaded = read_network(&toml).unwrap();
        let errors: Vec<String> = loaded.errors().map(|d| d.to_string()).collect();
        prop_assert!(errors.is_empty(), "{}", errors.join("\n"));
        prop_assert_eq!(model(&loaded.network), model(&net));

        let bundle = dir.path().join("bundle");
        write_csv_bundle(&net, &bundle).unwrap();
        let loaded = read_network(&bundle).unwrap();
        let errors: Vec<String> = loaded.errors().map(|d| d.to_string()).collect();
        prop_assert!(errors.is_empty(), "{}", errors.join("\n"));
        prop_assert_eq!(model(&loaded.network), model(&net));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// The fixtures' multimodal generator (grids, rail, rivers, ports,
    /// terminals, borders, bans and closures) is a second, independent
    /// source of networks for the same property.
    #[test]
    fn generated_multimodal_networks_round_trip(seed in any::<u64>()) {
        let cfg = corridor_fixtures::generate::GenerateConfig::small(seed);
        let net = corridor_fixtures::generate::multimodal(&cfg);
        let dir = tempfile::tempdir().unwrap();
        let toml = dir.path().join("net.toml");
        write_toml(&net, &toml).unwrap();
        let loaded = read_network(&toml).unwrap();
        let errors: Vec<String> = loaded.errors().map(|d| d.to_string()).collect();
        prop_assert!(errors.is_empty(), "{}", errors.join("\n"));
        prop_assert_eq!(model(&loaded.network), model(&net));
        let bundle = dir.path().join("bundle");
        write_csv_bundle(&net, &bundle).unwrap();
        let loaded = read_network(&bundle).unwrap();
        prop_assert_eq!(model(&loaded.network), model(&net));
    }
}
