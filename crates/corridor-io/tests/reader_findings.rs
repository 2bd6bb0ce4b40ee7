//! Regressions for what the fuzz targets found (docs/reliability.md,
//! "Findings"): each test failed before its fix. The inputs are also in
//! `fuzz/corpus/`, where the fuzz smoke test replays them through the
//! harnesses.

use corridor_io::read_network;

fn write(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// One link to node 300000000 used to get past the header check and build
/// 300 million nodes (4.8 GB for their coordinates alone).
#[test]
fn tntp_node_count_must_be_backed_by_zones_and_links() {
    let dir = tempfile::tempdir().unwrap();
    let text = "<NUMBER OF ZONES> 1\n<NUMBER OF NODES> 300000000\n<FIRST THRU NODE> 1\n<NUMBER OF LINKS> 1\n<END OF METADATA>\n1 300000000 100 1 1 0.15 4 ;\n";
    let p = write(dir.path(), "sparse_net.tntp", text);
    let msg = read_network(&p).unwrap_err().to_string();
    assert!(
        msg.contains("sparse_net.tntp:1:")
            && msg.contains("<NUMBER OF NODES> says 300000000 but zones and links use only 2"),
        "{msg}"
    );
    // A few unused node numbers, as in published networks, still load.
    let few = text.replace("300000000", "900");
    let p = write(dir.path(), "few_net.tntp", &few);
    assert_eq!(read_network(&p).unwrap().network.nodes.len(), 900);
}

/// The triangle example with `old` replaced by `new` (once), read.
fn triangle_with(old: &str, new: &str) -> corridor_io::Loaded {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/triangle.toml"),
    )
    .unwrap();
    assert!(text.contains(old), "{old}");
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "t.toml", &text.replacen(old, new, 1));
    read_network(&p).unwrap()
}

/// Values that parse but come to infinity (or NaN) after their unit used
/// to load: `1e308 Mt/year` became an infinite capacity that the TOML
/// writer then wrote as `inf`, which no reader accepts.
#[test]
fn values_that_overflow_in_their_unit_are_errors_on_their_line() {
    for (old, new, field) in [
        (
            "capacity = \"30 trains/day\"",
            "capacity = \"1e308 Mt/year\"",
            "capacity",
        ),
        (
            "length = \"530 km\"",
            "length = \"530 km\"\nhours = \"1e308 d\"",
            "hours",
        ),
        ("train_payload = 3000", "train_payload = 1e308", "capacity"),
    ] {
        let loaded = triangle_with(old, new);
        let errors: Vec<String> = loaded.errors().map(ToString::to_string).collect();
        assert!(
            errors.iter().any(|e| e.contains("t.toml:")
                && e.contains(&format!("{field}:"))
                && e.contains("(too large, or a [vehicles] figure makes it so)")),
            "{new}: {errors:?}"
        );
    }
}

/// A TNTP `power` of 3.3e23 was written to TOML as the integer
/// `333333333333333300000000`, which is beyond TOML's 64-bit integers, so
/// other TOML tools refused the exported file.
#[test]
fn huge_values_are_written_as_toml_floats() {
    let dir = tempfile::tempdir().unwrap();
    let text = "<NUMBER OF ZONES> 1\n<NUMBER OF NODES> 2\n<FIRST THRU NODE> 1\n<NUMBER OF LINKS> 1\n<END OF METADATA>\n1 2 100 1 1 0.15 333333333333333300000000 ;\n";
    let p = write(dir.path(), "big_net.tntp", text);
    let net = read_network(&p).unwrap().into_network().unwrap();
    let written = corridor_io::network_toml_string(&net);
    assert!(
        written.contains("bpr_beta = 3.333333333333333e23"),
        "{written}"
    );
    let value: Result<toml::Value, _> = toml::from_str(&written);
    assert!(value.is_ok(), "{value:?}");
    let back = write(dir.path(), "big.toml", &written);
    let again = read_network(&back).unwrap().into_network().unwrap();
    assert_eq!(again.links[0].bpr_beta, net.links[0].bpr_beta);
}
