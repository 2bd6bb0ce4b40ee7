//! Compiled networks (`corridor_io::compiled`): every shipped example and
//! a network with every optional field set read back equal, field by field
//! (sources, geometry and warnings included), and files that are foreign,
//! stale, truncated, trailing or damaged are refused with a message naming
//! the file, never a panic.

use corridor_io::compiled::{self, FORMAT_VERSION, MAGIC};
use corridor_io::{Loaded, read_network};
use corridor_model::{
    Border, Commodity, CommodityClass, CommodityRule, Diagnostic, FlowUnit, Layer, Link, Mode,
    ModeTable, Network, Node, NodeId, NodeKind, SourceRef, Terminal,
};
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn examples() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    vec![root.join("triangle.toml"), root.join("grain-corridors")]
}

/// Every field of two networks, and the id lookups of the second.
fn assert_same(a: &Loaded, b: &Loaded) {
    let (x, y) = (&a.network, &b.network);
    assert_eq!(x.name, y.name);
    assert_eq!(x.currency, y.currency);
    assert_eq!(x.flow_unit, y.flow_unit);
    assert_eq!(x.defaults, y.defaults);
    assert_eq!(x.vehicles, y.vehicles);
    assert_eq!(
        x.carbon_price_per_t.to_bits(),
        y.carbon_price_per_t.to_bits()
    );
    assert_eq!(x.commodities, y.commodities);
    assert_eq!(x.nodes, y.nodes);
    assert_eq!(x.links, y.links);
    assert_eq!(x.terminals, y.terminals);
    assert_eq!(x.borders, y.borders);
    assert_eq!(a.diagnostics, b.diagnostics);
    for (i, n) in y.nodes.iter().enumerate() {
        assert_eq!(y.node_id(&n.source_id), Some(NodeId::from_index(i)));
    }
    for (i, l) in y.links.iter().enumerate() {
        assert_eq!(y.link_id(&l.source_id).map(|l| l.index()), Some(i));
    }
    for t in &y.terminals {
        assert!(y.terminal_id(&t.source_id).is_some());
    }
    for b in &y.borders {
        assert!(y.border_id(&b.source_id).is_some());
    }
    for c in &y.commodities {
        assert!(y.commodity_id(&c.source_id).is_some());
    }
}

fn round_trip(loaded: &Loaded) -> Loaded {
    let bytes = compiled::to_bytes(&loaded.network, &loaded.diagnostics);
    compiled::from_bytes(&bytes, Path::new("x.corridor")).unwrap()
}

#[test]
fn every_shipped_example_reads_back_equal_from_a_file() {
    let dir = tempfile::tempdir().unwrap();
    for ex in examples() {
        let source = read_network(&ex).unwrap();
        assert!(!source.network.nodes.is_empty());
        let path = dir.path().join("net.corridor");
        std::fs::write(
            &path,
            compiled::to_bytes(&source.network, &source.diagnostics),
        )
        .unwrap();
        let back = read_network(&path).unwrap();
        assert_same(&source, &back);
        // Any name: the marker decides.
        let other = dir.path().join("net.bin");
        std::fs::copy(&path, &other).unwrap();
        assert_same(&source, &read_network(&other).unwrap());
    }
}

/// A network with every optional field set and unusual values.
fn everything() -> Loaded {
    let file: Arc<str> = Arc::from("dir/ünïcode.toml");
    let at = |line| {
        Some(SourceRef {
            file: file.clone(),
            line,
        })
    };
    let mut n = Network::new("every field");
    n.currency = "UAH".into();
    n.flow_unit = FlowUnit::VehiclesPerHour;
    n.carbon_price_per_t = 85.5;
    n.defaults.rail.speed_kmh = 41.0;
    n.defaults.sea.waiting_cost_per_t_h = 0.054;
    n.vehicles.teu_t = 11.5;
    let mut c = Commodity::new("grain", CommodityClass::Bulk, 0.25);
    c.capacity_factor = ModeTable::from_fn(|m| if m == Mode::Rail { 1.5 } else { 1.0 });
    c.source = at(2);
    n.add_commodity(c).unwrap();
    n.add_commodity(Commodity::new("fuel", CommodityClass::Dangerous, 0.0))
        .unwrap();
    let mut a = Node::new("A", NodeKind::Port, 30.5, -50.25, "UA");
    a.name = "Odesa port".into();
    a.capacity_t_per_day = Some(1e5);
    a.open = false;
    a.tags = vec!["black-sea-ports".into(), "".into()];
    a.no_through = true;
    a.source = at(10);
    let a = n.add_node(a).unwrap();
    let b = n
        .add_node(Node::new("B", NodeKind::Zone, -0.0, f64::MIN_POSITIVE, ""))
        .unwrap();
    let mut l = Link::new("ab", a, b, Mode::Rail, Some(1520), 12.5);
    l.speed_kmh = Some(60.0);
    l.hours = Some(1.25);
    l.cost_per_tkm = Some(0.03);
    l.co2_kg_per_tkm = Some(0.02);
    l.capacity_t_per_day = Some(40_000.0);
    l.oneway = true;
    l.commodities = CommodityRule {
        allowed: vec!["grain".into()],
        banned: vec!["dangerous".into()],
    };
    l.open = false;
    l.tags = vec!["x".into()];
    l.bpr_alpha = Some(0.15);
    l.bpr_beta = Some(4.0);
    l.toll = 3.5;
    l.geometry = vec![[30.5, -50.25], [1e-9, 2.0], [-0.0, f64::MIN_POSITIVE]];
    l.source = at(20);
    n.add_link(l).unwrap();
    n.add_link(Link::new("ba", b, a, Mode::Road, None, 0.0))
        .unwrap();
    n.add_terminal(Terminal {
        source_id: "T".into(),
        name: "Terminal".into(),
        node: a,
        transfers: vec![
            (Layer::rail(1520), Layer::sea()),
            (Layer::road(), Layer::new(Mode::Rail, None)),
        ],
        handling_cost_per_t: 2.0,
        hours: 6.0,
        co2_kg_per_t: 1.0,
        capacity_t_per_day: Some(5000.0),
        commodities: CommodityRule::default(),
        open: true,
        tags: vec!["t".into()],
        source: at(30),
    })
    .unwrap();
    n.add_border(Border {
        source_id: "X".into(),
        name: "Crossing".into(),
        node: b,
        countries: ["UA".into(), "PL".into()],
        dwell_hours: ModeTable::from_fn(|m| if m == Mode::Road { 12.0 } else { 3.0 }),
        fee_per_t: 1.0,
        capacity_t_per_day: None,
        commodities: CommodityRule {
            allowed: vec![],
            banned: vec!["fuel".into()],
        },
        open: true,
        tags: vec![],
        source: None,
    })
    .unwrap();
    let diagnostics = vec![
        Diagnostic::warning("link \"ab\"", Some("speed"), "slow").at(at(20)),
        Diagnostic::warning("", None, "no source"),
    ];
    Loaded {
        network: n,
        diagnostics,
    }
}

#[test]
fn every_field_reads_back_equal() {
    let source = everything();
    let back = round_trip(&source);
    assert_same(&source, &back);
    // The shared file name stays shared.
    let file = |s: &Option<SourceRef>| s.as_ref().unwrap().file.clone();
    assert!(Arc::ptr_eq(
        &file(&back.network.nodes[0].source),
        &file(&back.network.links[0].source)
    ));
}

#[test]
fn a_generated_grid_reads_back_equal() {
    let dir = tempfile::tempdir().unwrap();
    // Over 65,536 nodes and links: the sections decoded on every core
    // (the shipped examples test the one-thread decoding).
    let cfg = corridor_fixtures::grid::GridConfig::square_with_links(140_000);
    let mut nodes = Vec::new();
    corridor_fixtures::grid::write_nodes(&cfg, &mut nodes).unwrap();
    let mut links = Vec::new();
    corridor_fixtures::grid::write_links(&cfg, &mut links).unwrap();
    std::fs::write(dir.path().join("nodes.csv"), nodes).unwrap();
    std::fs::write(dir.path().join("links.csv"), links).unwrap();
    let source = read_network(dir.path()).unwrap();
    assert!(source.network.links.len() > 19_000);
    assert!(source.network.nodes.len() > 1 << 16);
    assert_same(&source, &round_trip(&source));
}

fn refused(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.corridor");
    std::fs::write(&path, bytes).unwrap();
    let e = read_network(&path).unwrap_err().to_string();
    assert!(e.contains(&*path.to_string_lossy()), "{e}");
    e
}

fn grain_bytes() -> Vec<u8> {
    let source = read_network(&examples()[1]).unwrap();
    compiled::to_bytes(&source.network, &source.diagnostics)
}

#[test]
fn a_stored_lowering_comes_back_as_written_and_is_optional() {
    let source = read_network(&examples()[1]).unwrap();
    let opaque: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
    let with =
        compiled::to_bytes_with_lowering(&source.network, &source.diagnostics, Some(&opaque));
    let path = Path::new("x.corridor");
    let (back, got) =
        compiled::from_bytes_with_lowering(&with, path, |_, l| l.map(<[u8]>::to_vec)).unwrap();
    assert_eq!(got.as_deref(), Some(&opaque[..]));
    assert_same(&source, &back);
    // From a file: memory-mapped, each section's pages released once
    // decoded, the lowering still handed over whole.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("net.corridor");
    std::fs::write(&file, &with).unwrap();
    let (back, got) = compiled::read_with_lowering(&file, |_, l| l.map(<[u8]>::to_vec)).unwrap();
    assert_eq!(got.as_deref(), Some(&opaque[..]));
    assert_same(&source, &back);
    let (_, none) =
        compiled::from_bytes_with_lowering(&grain_bytes(), path, |_, l| l.is_none()).unwrap();
    assert!(none);
}

#[test]
fn version_1_files_are_refused_as_stale() {
    let mut b = grain_bytes();
    b[12..16].copy_from_slice(&1u32.to_le_bytes());
    let e = refused(&b);
    assert!(e.contains("format version 1"), "{e}");
    assert!(e.contains("build it again"), "{e}");
}

#[test]
fn foreign_files_are_refused() {
    for bytes in [&b""[..], b"name = \"x\"\n", b"\x89PNG\r\n\x1a\n0000000000"] {
        let e = refused(bytes);
        assert!(e.contains("not a compiled Corridor network"), "{e}");
    }
}

#[test]
fn stale_files_are_refused_naming_both_versions() {
    let mut b = grain_bytes();
    b[12..16].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    let e = refused(&b);
    assert!(e.contains("stale compiled network"), "{e}");
    assert!(
        e.contains(&format!("format version {}", FORMAT_VERSION + 1)),
        "{e}"
    );
    assert!(
        e.contains(&format!("reads version {FORMAT_VERSION}")),
        "{e}"
    );
    assert!(e.contains("corridor build"), "{e}");
}

#[test]
fn truncated_and_extended_files_are_refused() {
    let b = grain_bytes();
    for len in (0..b.len())
        .step_by(7)
        .chain([1, MAGIC.len(), 63, 64, b.len() - 1])
    {
        if len == 0 {
            continue;
        }
        let e = refused(&b[..len]);
        assert!(e.contains("truncated compiled network"), "{len}: {e}");
    }
    let mut longer = b.clone();
    longer.push(0);
    assert!(refused(&longer).contains("damaged compiled network"));
}

#[test]
fn every_flipped_bit_is_refused() {
    let b = grain_bytes();
    for at in (MAGIC.len()..b.len()).step_by(13) {
        for bit in [0, 5] {
            let mut x = b.clone();
            x[at] ^= 1 << bit;
            let e = refused(&x);
            assert!(
                e.contains("damaged compiled network")
                    || e.contains("truncated compiled network")
                    || e.contains("stale compiled network"),
                "{at}: {e}"
            );
        }
    }
}

/// Damage behind a checksum that matches (a file edited on purpose) is
/// still refused or read, never a panic.
#[test]
fn damage_with_a_matching_checksum_never_panics() {
    let b = grain_bytes();
    for at in (64..b.len()).step_by(5) {
        for x in [0x01u8, 0x80, 0xff] {
            let mut m = b.clone();
            m[at] ^= x;
            corridor_io::fuzz::seal_compiled(&mut m);
            let _ = compiled::from_bytes(&m, Path::new("x.corridor"));
        }
    }
}
