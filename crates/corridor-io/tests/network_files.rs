//! Reading and writing networks: the shipped examples, round trips between
//! TOML and CSV (hand-picked and generated networks), and located
//! diagnostics for every kind of broken record issue 2 lists.

use corridor_io::{read_network, write_csv_bundle, write_toml};
use corridor_model::{Diagnostic, Network};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

/// The model as data, without where each element came from (a TOML line
/// and a CSV line differ, and that is fine).
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

fn load_ok(path: &Path) -> Network {
    let loaded = read_network(path).unwrap_or_else(|e| panic!("{e}"));
    let errors: Vec<String> = loaded.errors().map(|d| d.to_string()).collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    loaded.network
}

#[test]
fn triangle_loads_without_errors_or_warnings() {
    let path = examples().join("triangle.toml");
    let loaded = read_network(&path).unwrap();
    let all: Vec<String> = loaded.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(all.is_empty(), "{}", all.join("\n"));
    let net = loaded.network;
    for id in ["kyiv", "gdansk", "odesa"] {
        assert!(net.node_id(id).is_some(), "{id}");
    }
    assert!(net.commodity_id("grain").is_some());
    let odesa = net.terminal_id("terminal-odesa-port").unwrap();
    assert!(!net.terminals[odesa.index()].open);
    // The road without a length gets great-circle × detour.
    let l = net.link(net.link_id("road-hrebenne-gdansk").unwrap());
    let gc = net.great_circle_km(l.from, l.to);
    assert!((l.length_km - gc * net.defaults.road.detour_factor).abs() < 1e-9);
}

#[test]
fn grain_corridors_loads_without_errors_or_warnings() {
    let loaded = read_network(&examples().join("grain-corridors")).unwrap();
    let all: Vec<String> = loaded.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(all.is_empty(), "{}", all.join("\n"));
    let net = loaded.network;
    for id in [
        "gdansk",
        "constanta",
        "rotterdam",
        "odesa",
        "izmail",
        "reni",
    ] {
        assert!(net.node_id(id).is_some(), "{id}");
    }
    for c in ["grain", "containers", "fuel"] {
        assert!(net.commodity_id(c).is_some(), "{c}");
    }
}

#[test]
fn triangle_written_as_csv_and_toml_reads_back_the_same_model() {
    let original = load_ok(&examples().join("triangle.toml"));
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("bundle");
    write_csv_bundle(&original, &bundle).unwrap();
    assert_eq!(model(&load_ok(&bundle)), model(&original));
    let toml = dir.path().join("again.toml");
    write_toml(&original, &toml).unwrap();
    assert_eq!(model(&load_ok(&toml)), model(&original));
}

#[test]
fn grain_corridors_round_trips_through_toml() {
    let original = load_ok(&examples().join("grain-corridors"));
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("grain.toml");
    write_toml(&original, &toml).unwrap();
    assert_eq!(model(&load_ok(&toml)), model(&original));
    let bundle = dir.path().join("bundle");
    write_csv_bundle(&original, &bundle).unwrap();
    assert_eq!(model(&load_ok(&bundle)), model(&original));
}

// ------------------------------------------------------------ diagnostics

const HEADER: &str = r#"
[[commodities]]
name = "grain"
class = "bulk"

[[nodes]]
id = "a"
lon = 30.0
lat = 50.0
country = "UA"

[[nodes]]
id = "b"
lon = 24.0
lat = 51.0
country = "PL"
"#;

/// Loads `HEADER + extra` from `net.toml` and returns the diagnostics.
fn diagnose(extra: &str) -> (Vec<Diagnostic>, usize) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("net.toml");
    let text = format!("{HEADER}{extra}");
    std::fs::write(&path, &text).unwrap();
    let loaded = read_network(&path).unwrap();
    (loaded.diagnostics, HEADER.lines().count())
}

/// The one error diagnostic, checked for file, line and field.
fn the_error(extra: &str, line_in_extra: u64, field: &str) -> Diagnostic {
    let (diags, offset) = diagnose(extra);
    let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{diags:#?}");
    let d = errors[0].clone();
    let src = d.source.clone().expect("a source");
    assert!(src.file.ends_with("net.toml"), "{d}");
    assert_eq!(src.line, offset as u64 + line_in_extra, "{d}");
    assert_eq!(d.field.as_deref(), Some(field), "{d}");
    d
}

#[test]
fn unknown_node_in_a_link_names_line_and_field() {
    let d = the_error(
        "\n[[links]]\nid = \"L1\"\nfrom = \"a\"\nto = \"nowhere\"\nmode = \"road\"\n",
        5,
        "to",
    );
    assert!(
        d.to_string()
            .contains("link \"L1\": to: unknown node \"nowhere\""),
        "{d}"
    );
}

#[test]
fn duplicate_id_points_at_the_first_definition() {
    let d = the_error("\n[[nodes]]\nid = \"a\"\nlon = 1\nlat = 1\n", 3, "id");
    assert!(d.message.contains("duplicate id \"a\""), "{d}");
    assert!(d.message.contains("first defined at"), "{d}");
}

#[test]
fn missing_required_field_names_the_record_line() {
    let d = the_error(
        "\n[[links]]\nid = \"L1\"\nfrom = \"a\"\nto = \"b\"\n",
        2,
        "mode",
    );
    assert!(d.message.contains("missing required field"), "{d}");
}

#[test]
fn negative_non_numeric_and_misspelt_capacities() {
    let link = |cap: &str| {
        format!(
            "\n[[links]]\nid = \"L1\"\nfrom = \"a\"\nto = \"b\"\nmode = \"road\"\ncapacity = {cap}\n"
        )
    };
    let d = the_error(&link("-5"), 7, "capacity");
    assert!(d.message.contains("negative"), "{d}");
    let d = the_error(&link("\"lots\""), 7, "capacity");
    assert!(d.message.contains("not a number"), "{d}");
    let d = the_error(&link("\"12 Mt/yaer\""), 7, "capacity");
    assert!(
        d.to_string().ends_with(
            "link \"L1\": capacity: \"12 Mt/yaer\": unknown unit \"Mt/yaer\" (expected t/day, t/year, kt/year, Mt/year, trains/day, trucks/day, TEU/year, TEU/day, barges/day)"
        ),
        "{d}"
    );
}

#[test]
fn rail_link_without_gauge() {
    let d = the_error(
        "\n[[links]]\nid = \"R1\"\nfrom = \"a\"\nto = \"b\"\nmode = \"rail\"\n",
        2,
        "gauge",
    );
    assert!(d.message.contains("without a gauge"), "{d}");
}

#[test]
fn terminal_claiming_a_layer_that_is_not_there() {
    let d = the_error(
        "\n[[links]]\nid = \"R1\"\nfrom = \"a\"\nto = \"b\"\nmode = \"rail\"\ngauge = 1520\n\n[[terminals]]\nid = \"T1\"\nnode = \"b\"\nconnects = [\"rail:1520 <-> rail:1435\"]\n",
        9,
        "connects",
    );
    assert!(d.message.contains("rail:1435"), "{d}");
}

#[test]
fn bad_coordinates_and_unknown_words() {
    let d = the_error("\n[[nodes]]\nid = \"c\"\nlon = 24\nlat = 95\n", 5, "lat");
    assert!(d.message.contains("outside"), "{d}");
    let d = the_error("\n[[nodes]]\nid = \"c\"\nlon = 240\nlat = 45\n", 4, "lon");
    assert!(d.message.contains("outside"), "{d}");
    let d = the_error(
        "\n[[nodes]]\nid = \"c\"\nkind = \"airport\"\nlon = 24\nlat = 45\n",
        4,
        "kind",
    );
    assert!(d.message.contains("unknown node kind"), "{d}");
    let d = the_error(
        "\n[[links]]\nid = \"L1\"\nfrom = \"a\"\nto = \"b\"\nmode = \"air\"\n",
        6,
        "mode",
    );
    assert!(d.message.contains("unknown mode"), "{d}");
    let d = the_error(
        "\n[[commodities]]\nname = \"ore\"\nclass = \"heavy\"\n",
        4,
        "class",
    );
    assert!(d.message.contains("unknown commodity class"), "{d}");
}

#[test]
fn every_broken_record_is_reported_not_just_the_first() {
    let extra = "\n[[links]]\nid = \"L1\"\nfrom = \"x\"\nto = \"b\"\nmode = \"road\"\n\n[[links]]\nid = \"L2\"\nfrom = \"a\"\nto = \"b\"\nmode = \"road\"\ncapacity = \"9 furlongs\"\n\n[[nodes]]\nid = \"d\"\nlon = 1\n";
    let (diags, _) = diagnose(extra);
    let fields: Vec<_> = diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.field.clone().unwrap_or_default())
        .collect();
    assert_eq!(fields, ["from", "capacity", "lat"], "{diags:#?}");
}

#[test]
fn unknown_keys_are_warnings_naming_the_key() {
    let (diags, offset) = diagnose(
        "\n[[links]]\nid = \"L1\"\nfrom = \"a\"\nto = \"b\"\nmode = \"road\"\ncapcity = 5\n",
    );
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:#?}");
    let w = diags
        .iter()
        .find(|d| d.field.as_deref() == Some("capcity"))
        .expect("a warning about capcity");
    assert_eq!(w.source.as_ref().unwrap().line, offset as u64 + 7);
}

#[test]
fn a_toml_syntax_error_is_an_error_with_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.toml");
    std::fs::write(&path, "[network]\nname = \"x\"\n\n[[nodes]\nid = 1\n").unwrap();
    match read_network(&path) {
        Err(corridor_io::Error::Syntax { line, .. }) => assert_eq!(line, 4),
        other => panic!("{other:?}"),
    }
}

#[test]
fn invalid_lists_every_error_on_its_own_line() {
    let (diags, _) =
        diagnose("\n[[links]]\nid = \"L1\"\nfrom = \"x\"\nto = \"y\"\nmode = \"road\"\n");
    let e = corridor_io::Error::Invalid {
        file: "net.toml".into(),
        diagnostics: diags,
    };
    let text = e.to_string();
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(
        text.lines()
            .nth(1)
            .unwrap()
            .contains("from: unknown node \"x\"")
    );
}

// ------------------------------------------------------------ CSV bundles

fn write_bundle(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

#[test]
fn csv_diagnostics_name_file_line_and_field() {
    let dir = write_bundle(&[
        (
            "nodes.csv",
            "id,name,kind,lon,lat,country\na,A,city,30,50,UA\nb,B,city,24,51,PL\na,A again,city,1,1,UA\n",
        ),
        (
            "links.csv",
            "id,from,to,mode,gauge,capacity\nL1,a,b,rail,1520,12 Mt/year\nL2,a,zz,road,,\nL3,a,b,rail,,\nL4,a,b,road,,-3\nL5,a,b,road\n",
        ),
    ]);
    let loaded = read_network(dir.path()).unwrap();
    let got: Vec<(String, u64, String)> = loaded
        .errors()
        .map(|d| {
            let s = d.source.clone().unwrap();
            let file = Path::new(&*s.file)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (file, s.line, d.field.clone().unwrap_or_default())
        })
        .collect();
    assert_eq!(
        got,
        [
            ("links.csv".to_string(), 3, "to".to_string()),
            ("links.csv".to_string(), 4, "gauge".to_string()),
            ("links.csv".to_string(), 5, "capacity".to_string()),
            ("links.csv".to_string(), 6, String::new()),
            ("nodes.csv".to_string(), 4, "id".to_string()),
        ],
        "{:#?}",
        loaded.diagnostics
    );
}

#[test]
fn csv_bundle_without_links_is_an_error() {
    let dir = write_bundle(&[("nodes.csv", "id,name,kind,lon,lat,country\n")]);
    let e = read_network(dir.path()).unwrap_err();
    assert!(e.to_string().contains("links.csv"), "{e}");
}

#[test]
fn csv_unknown_column_is_warned_once() {
    let dir = write_bundle(&[
        (
            "nodes.csv",
            "id,name,kind,lon,lat,country,colour\na,A,city,30,50,UA,red\nb,B,city,24,51,PL,blue\n",
        ),
        ("links.csv", "id,from,to,mode\nL1,a,b,road\n"),
    ]);
    let loaded = read_network(dir.path()).unwrap();
    let n = loaded
        .warnings()
        .filter(|d| d.field.as_deref() == Some("colour"))
        .count();
    assert_eq!(n, 1, "{:#?}", loaded.diagnostics);
}

#[test]
fn csv_repeated_column_is_an_error_on_the_header_line() {
    let dir = write_bundle(&[
        (
            "nodes.csv",
            "id,name,kind,lon,lat,country\na,A,city,30,50,UA\nb,B,city,24,51,PL\n",
        ),
        (
            "links.csv",
            "id,from,to,mode,capacity,Capacity\nL1,a,b,road,10 t/day,20 t/day\n",
        ),
    ]);
    let loaded = read_network(dir.path()).unwrap();
    let errors: Vec<_> = loaded.errors().collect();
    assert_eq!(errors.len(), 1, "{:#?}", loaded.diagnostics);
    let s = errors[0].source.clone().unwrap();
    assert!(s.file.ends_with("links.csv"), "{}", s.file);
    assert_eq!(s.line, 1);
    assert!(
        errors[0].message.contains("\"capacity\" appears twice")
            && errors[0].message.contains("columns 5 and 6"),
        "{}",
        errors[0].message
    );
}

#[test]
fn unknown_format_and_missing_path() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("net.xlsx");
    std::fs::write(&p, "x").unwrap();
    assert!(matches!(
        read_network(&p),
        Err(corridor_io::Error::UnknownFormat { .. })
    ));
    assert!(matches!(
        read_network(&dir.path().join("none.toml")),
        Err(corridor_io::Error::Io { .. })
    ));
}

#[test]
fn csv_bundle_header_from_network_toml_or_network_csv() {
    let nodes = "id,name,kind,lon,lat,country\na,A,city,30,50,UA\nb,B,city,24,51,PL\n";
    let links = "id,from,to,mode,gauge,capacity\nL1,a,b,rail,1520,2 trains/day\n";
    let dir = write_bundle(&[
        ("nodes.csv", nodes),
        ("links.csv", links),
        (
            "network.toml",
            "[network]\nname = \"hdr\"\ncurrency = \"UAH\"\n[defaults.rail]\nspeed = \"20 km/h\"\n[vehicles]\ntrain_payload = \"3 kt\"\n[[commodities]]\nname = \"grain\"\nclass = \"bulk\"\n",
        ),
    ]);
    let net = load_ok(dir.path());
    assert_eq!((net.name.as_str(), net.currency.as_str()), ("hdr", "UAH"));
    assert_eq!(net.defaults.rail.speed_kmh, 20.0);
    assert_eq!(net.links[0].capacity_t_per_day, Some(6000.0));
    assert!(net.commodity_id("grain").is_some());

    let dir = write_bundle(&[
        ("nodes.csv", nodes),
        ("links.csv", links),
        (
            "network.csv",
            "key,value\nname,hdr2\ndefaults.rail.speed,25\nvehicles.train_payload,1000\nnetwork.carbon_price,90\n",
        ),
    ]);
    let net = load_ok(dir.path());
    assert_eq!(net.name, "hdr2");
    assert_eq!(net.defaults.rail.speed_kmh, 25.0);
    assert_eq!(net.carbon_price_per_t, 90.0);
    assert_eq!(net.links[0].capacity_t_per_day, Some(2000.0));
}

/// `[defaults.MODE] waiting_cost` (TOML) and `defaults.MODE.waiting_cost`
/// (a bundle's `network.csv`) are read, both writers keep them, and a
/// negative or non-finite one is refused naming file, line and field.
#[test]
fn waiting_costs_per_mode_are_read_written_and_checked() {
    let nodes = "id,name,kind,lon,lat,country\na,A,city,30,50,UA\nb,B,city,24,51,PL\n";
    let links = "id,from,to,mode,gauge\nL1,a,b,rail,1520\n";
    let dir = write_bundle(&[
        ("nodes.csv", nodes),
        ("links.csv", links),
        (
            "network.toml",
            "[network]\nname = \"w\"\n[defaults.road]\nwaiting_cost = 0.17\n[defaults.rail]\nwaiting_cost = 0.042\n",
        ),
    ]);
    let net = load_ok(dir.path());
    let wait =
        |n: &Network| corridor_model::Mode::ALL.map(|m| n.defaults.get(m).waiting_cost_per_t_h);
    assert_eq!(wait(&net), [0.17, 0.042, 0.0, 0.0]);

    let toml = dir.path().join("out.toml");
    write_toml(&net, &toml).unwrap();
    let text = std::fs::read_to_string(&toml).unwrap();
    assert!(
        text.contains("[defaults.road]\nwaiting_cost = 0.17\n"),
        "{text}"
    );
    assert!(!text.contains("[defaults.sea]"), "{text}");
    assert_eq!(wait(&load_ok(&toml)), [0.17, 0.042, 0.0, 0.0]);
    let bundle = dir.path().join("out");
    write_csv_bundle(&net, &bundle).unwrap();
    let header = std::fs::read_to_string(bundle.join("network.csv")).unwrap();
    assert!(
        header.contains("defaults.rail.waiting_cost,0.042\n"),
        "{header}"
    );
    assert_eq!(wait(&load_ok(&bundle)), [0.17, 0.042, 0.0, 0.0]);

    // A CSV cell "nan" is not a number at all; TOML's nan is a float that
    // is not finite. Either way it is refused.
    for (bad, why) in [
        ("-0.5", "must not be negative"),
        ("nan", "not a"),
        ("inf", "not a"),
    ] {
        let dir = write_bundle(&[
            ("nodes.csv", nodes),
            ("links.csv", links),
            (
                "network.csv",
                &format!("key,value\nname,w\ndefaults.sea.waiting_cost,{bad}\n"),
            ),
        ]);
        let errors = error_texts(dir.path());
        assert!(
            errors.iter().any(|e| e.contains("network.csv:3:")
                && e.contains("defaults.sea.waiting_cost")
                && e.contains(why)),
            "{bad}: {errors:?}"
        );
        let p = dir.path().join("bad.toml");
        std::fs::write(
            &p,
            format!("[network]\nname = \"w\"\n\n[defaults.river]\nwaiting_cost = {bad}\n"),
        )
        .unwrap();
        let errors = error_texts(&p);
        assert!(
            errors.iter().any(|e| e.contains("bad.toml:5:")
                && e.contains("defaults.river.waiting_cost")
                && e.contains(why)),
            "{bad}: {errors:?}"
        );
    }
}

/// The error diagnostics of a path that reads, as text.
fn error_texts(path: &Path) -> Vec<String> {
    read_network(path)
        .unwrap_or_else(|e| panic!("{e}"))
        .errors()
        .map(|d| d.to_string())
        .collect()
}

#[test]
fn small_broken_inputs_are_named_themselves() {
    let nodes = "id,name,kind,lon,lat,country\na,A,city,30,50,UA\nb,B,city,24,51,PL\n";
    let links = "id,from,to,mode,gauge\nL1,a,b,rail,1520\n";
    // An empty nodes.csv is reported itself, not only through the links
    // that then name unknown nodes.
    let dir = write_bundle(&[("nodes.csv", ""), ("links.csv", links)]);
    let errors = error_texts(dir.path());
    assert!(
        errors
            .iter()
            .any(|e| e.contains("nodes.csv:1:") && e.contains("no nodes")),
        "{errors:?}"
    );
    // Both header files: one would be ignored silently.
    let dir = write_bundle(&[
        ("nodes.csv", nodes),
        ("links.csv", links),
        ("network.toml", "[network]\nname = \"t\"\n"),
        ("network.csv", "key,value\nname,c\n"),
    ]);
    let errors = error_texts(dir.path());
    assert!(
        errors
            .iter()
            .any(|e| e.contains("both network.toml and network.csv")),
        "{errors:?}"
    );
    // An empty network is an error, not a network every query fails on.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("empty.toml");
    std::fs::write(&p, "[network]\nname = \"x\"\n").unwrap();
    let errors = error_texts(&p);
    assert!(
        errors.iter().any(|e| e.contains("has no nodes")),
        "{errors:?}"
    );
}

#[test]
fn invalid_utf8_is_located_not_dumped() {
    let links = "id,from,to,mode,gauge\nL1,a,b,rail,1520\n";
    let dir = write_bundle(&[
        (
            "nodes.csv",
            "id,name,kind,lon,lat\na,A,city,30,50\nb,B\u{0},city,24,51\n",
        ),
        ("links.csv", links),
    ]);
    let nodes = dir.path().join("nodes.csv");
    let mut bytes = std::fs::read(&nodes).unwrap();
    let at = bytes.iter().position(|&b| b == 0).unwrap();
    bytes[at] = 0xff;
    std::fs::write(&nodes, bytes).unwrap();
    let errors = error_texts(dir.path());
    assert!(
        errors.iter().any(|e| e.contains("nodes.csv:3:")
            && e.contains("field 2 is not valid UTF-8 text")
            && !e.contains("Utf8Error")),
        "{errors:?}"
    );
    let p = dir.path().join("bad.toml");
    std::fs::write(&p, b"[network]\nname = \"\xff\"\n").unwrap();
    let msg = read_network(&p).unwrap_err().to_string();
    assert!(
        msg.ends_with("bad.toml:2: not valid UTF-8 text (save the file as UTF-8)"),
        "{msg}"
    );
}

#[test]
fn os_errors_are_said_once() {
    let dir = tempfile::tempdir().unwrap();
    let e = read_network(&dir.path().join("none.toml")).unwrap_err();
    // The OS message is in the text and not repeated as a source, so an
    // error chain (`{:#}` in the CLI) prints it once.
    assert!(std::error::Error::source(&e).is_none());
    assert_eq!(e.to_string().matches("no such file").count(), 1, "{e}");
}

#[test]
fn empty_osm_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["e.osm", "e.osm.pbf"] {
        let p = dir.path().join(name);
        std::fs::write(&p, b"").unwrap();
        let cfg = corridor_io::osm::OsmConfig::default();
        let err = corridor_io::osm::import_osm(&p, &cfg, None, &mut |_| {})
            .err()
            .unwrap_or_else(|| panic!("{name} imported"));
        assert!(
            err.to_string().contains("no OpenStreetMap elements"),
            "{err}"
        );
    }
    let p = dir.path().join("shops.osm");
    std::fs::write(
        &p,
        "<?xml version='1.0'?><osm version='0.6'><node id='1' lat='50' lon='30'><tag k='shop' v='bakery'/></node></osm>",
    )
    .unwrap();
    let Err(err) = corridor_io::osm::import_osm(
        &p,
        &corridor_io::osm::OsmConfig::default(),
        None,
        &mut |_| {},
    ) else {
        panic!("a file with nothing to import imported");
    };
    assert!(
        err.to_string().contains("nothing to import: 1 nodes"),
        "{err}"
    );
}
