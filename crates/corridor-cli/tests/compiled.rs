//! `corridor build` end to end: every command that takes a NETWORK answers
//! the same from a compiled file as from its source (byte for byte, with
//! the network's path the only difference), and damaged, stale and
//! foreign files are refused with exit 1 and a message naming the file.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn corridor() -> Command {
    let mut c = Command::cargo_bin("corridor").unwrap();
    c.current_dir(root());
    c
}

fn build(source: &str, out: &Path) {
    let o = corridor()
        .args(["build", source, "--out"])
        .arg(out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let said = String::from_utf8_lossy(&o.stderr);
    assert!(said.contains("wrote") && said.contains("links"), "{said}");
}

/// stdout and stderr of `corridor ARGS` with NETWORK (`{}`) replaced by
/// `network`, without the lines that tell the time taken.
fn run(args: &[&str], network: &str) -> (Option<i32>, String, String) {
    let args: Vec<String> = args.iter().map(|a| a.replace("{}", network)).collect();
    let o = corridor().args(&args).output().unwrap();
    let clean = |b: Vec<u8>| {
        String::from_utf8(b)
            .unwrap()
            .replace(network, "NETWORK")
            .lines()
            .filter(|l| !l.ends_with(" s in total") && !l.contains("\"seconds\""))
            .collect::<Vec<_>>()
            .join("\n")
    };
    (o.status.code(), clean(o.stdout), clean(o.stderr))
}

const GRAIN: &str = "examples/grain-corridors";
const FROM: &str = "vinnytsia,kropyvnytskyi,poltava,khmelnytskyi,ternopil";
const TO: &str = "gdansk,constanta,rotterdam";

#[test]
fn every_command_answers_the_same_from_source_and_compiled() {
    let dir = tempfile::tempdir().unwrap();
    let grain = dir.path().join("grain.corridor");
    let triangle = dir.path().join("triangle.corridor");
    build(GRAIN, &grain);
    build("examples/triangle.toml", &triangle);
    let restore = "examples/grain-corridors/scenarios/restore-black-sea-ports.toml";
    let demand = "examples/grain-corridors/demand.csv";
    let grain_cases: Vec<Vec<&str>> = vec![
        vec!["check", "{}"],
        vec!["info", "{}", "--format", "json"],
        vec![
            "route",
            "{}",
            "--from",
            "vinnytsia",
            "--to",
            "gdansk",
            "--commodity",
            "grain",
        ],
        vec![
            "route",
            "{}",
            "--from",
            "poltava",
            "--to",
            "rotterdam",
            "--format",
            "json",
        ],
        // The stored lowering with a scenario that only closes (used)
        // and one that adds a terminal (the network is lowered again).
        vec![
            "route",
            "{}",
            "--from",
            "vinnytsia",
            "--to",
            "gdansk",
            "--format",
            "json",
            "--scenario",
            "examples/grain-corridors/scenarios/close-polish-road-crossings.toml",
        ],
        vec![
            "route",
            "{}",
            "--from",
            "poltava",
            "--to",
            "constanta",
            "--format",
            "json",
            "--pareto",
            "--scenario",
            "examples/grain-corridors/scenarios/romanian-gauge-capacity.toml",
        ],
        vec![
            "capacity",
            "{}",
            "--from",
            FROM,
            "--to",
            TO,
            "--commodity",
            "grain",
        ],
        vec![
            "capacity", "{}", "--from", FROM, "--to", TO, "--format", "json",
        ],
        vec![
            "compare",
            "{}",
            "--scenario",
            restore,
            "--from",
            FROM,
            "--to",
            TO,
        ],
        vec![
            "criticality",
            "{}",
            "--from",
            FROM,
            "--to",
            TO,
            "--commodity",
            "grain",
        ],
        vec!["skim", "{}", "--from", "vinnytsia,poltava", "--to", TO],
        vec!["assign", "{}", "--demand", demand, "--gap", "1e-6"],
        vec!["optimise", "{}", "--demand", demand],
    ];
    for case in &grain_cases {
        let source = run(case, GRAIN);
        assert_eq!(source.0, Some(0), "{case:?}: {}", source.2);
        assert_eq!(source, run(case, grain.to_str().unwrap()), "{case:?}");
    }
    let triangle_case = [
        "route",
        "{}",
        "--from",
        "kyiv",
        "--to",
        "gdansk",
        "--commodity",
        "fuel",
        "--avoid",
        "dorohusk",
    ];
    // No route: the same explanation of what blocks it, and exit 1.
    let source = run(&triangle_case, "examples/triangle.toml");
    assert_eq!(source.0, Some(1));
    assert_eq!(source, run(&triangle_case, triangle.to_str().unwrap()));
}

#[test]
fn exports_are_the_same_from_source_and_compiled() {
    let dir = tempfile::tempdir().unwrap();
    let grain = dir.path().join("grain.corridor");
    build(GRAIN, &grain);
    for format in ["geojson", "toml"] {
        let a = dir.path().join(format!("a.{format}"));
        let b = dir.path().join(format!("b.{format}"));
        for (net, out) in [(Path::new(GRAIN), &a), (grain.as_path(), &b)] {
            corridor()
                .arg("export")
                .arg(net)
                .args(["--format", format, "--out"])
                .arg(out)
                .assert()
                .success();
        }
        assert_eq!(
            std::fs::read(a).unwrap(),
            std::fs::read(b).unwrap(),
            "{format}"
        );
    }
}

#[test]
fn damaged_stale_and_foreign_files_are_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("grain.corridor");
    build(GRAIN, &good);
    let bytes = std::fs::read(&good).unwrap();
    let mut flipped = bytes.clone();
    flipped[bytes.len() / 2] ^= 0x10;
    let mut stale = bytes.clone();
    stale[12] = stale[12].wrapping_add(1);
    let cases: [(&str, Vec<u8>, &str); 4] = [
        (
            "cut.corridor",
            bytes[..bytes.len() / 3].to_vec(),
            "truncated compiled network",
        ),
        (
            "flip.corridor",
            flipped,
            "damaged compiled network (checksum",
        ),
        ("old.corridor", stale, "stale compiled network"),
        (
            "readme.corridor",
            b"# not a network\n".to_vec(),
            "not a compiled Corridor network",
        ),
    ];
    for (name, data, says) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, data).unwrap();
        for cmd in [
            &["route", "--from", "a", "--to", "b"][..],
            &["check"],
            &["build", "--out", "x"],
        ] {
            let o = corridor()
                .arg(cmd[0])
                .arg(&path)
                .args(&cmd[1..])
                .output()
                .unwrap();
            assert_eq!(o.status.code(), Some(1), "{name} {cmd:?}");
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(err.contains(says), "{name}: {err}");
            assert!(err.contains(&*path.to_string_lossy()), "{name}: {err}");
            assert!(!err.contains("panicked"), "{err}");
        }
    }
}

#[test]
fn a_network_with_errors_is_not_built() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[[nodes]]\nid = \"a\"\nlon = 0\nlat = 0\n\n[[links]]\nid = \"l\"\nfrom = \"a\"\nto = \"nowhere\"\nmode = \"road\"\n",
    )
    .unwrap();
    let out = dir.path().join("bad.corridor");
    let o = corridor()
        .arg("build")
        .arg(&bad)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown node \"nowhere\""));
    assert!(!out.exists());
}

/// `corridor build --cch` keeps the hierarchy's order; `route --engine
/// cch` on it prints what `--engine dijkstra` prints on the source, and an
/// order that does not fit the stored lowering (here: the triangle's, in
/// the grain network's file) is ignored with a warning, the answer the same.
#[test]
fn a_stored_cch_order_routes_as_dijkstra_and_a_foreign_one_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let with = dir.path().join("grain-cch.corridor");
    let o = corridor()
        .args(["build", GRAIN, "--cch", "--out"])
        .arg(&with)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.success() && said.contains("with a CCH order"),
        "{said}"
    );

    let read = |p: &str| corridor_io::read_network(&root().join(p)).unwrap();
    let grain = read(GRAIN);
    let mut triangle = read("examples/triangle.toml").network;
    corridor_engine::answer::ensure_commodity(&mut triangle).unwrap();
    let lowering = corridor_engine::lower::stored_routing_lowering(&grain.network).unwrap();
    let tri_lowered = corridor_engine::lower(&triangle, &Default::default());
    let foreign = corridor_engine::hierarchy::stored_order_bytes(&triangle, &tri_lowered);
    let bytes = corridor_io::compiled::to_bytes_with_stored(
        &grain.network,
        &grain.diagnostics,
        corridor_io::compiled::Stored {
            lowering: Some(&lowering),
            cch_order: Some(&foreign),
        },
    );
    let stale = dir.path().join("grain-stale.corridor");
    std::fs::write(&stale, bytes).unwrap();

    let (with, stale) = (with.to_str().unwrap(), stale.to_str().unwrap());
    for (from, to, minimize) in [
        ("vinnytsia", "gdansk", "cost"),
        ("poltava", "rotterdam", "time"),
        ("kropyvnytskyi", "constanta", "cost"),
    ] {
        let args = |engine: &'static str| {
            vec![
                "route",
                "{}",
                "--from",
                from,
                "--to",
                to,
                "--minimize",
                minimize,
                "--engine",
                engine,
                "--format",
                "json",
            ]
        };
        let want = run(&args("dijkstra"), GRAIN);
        assert_eq!(want.0, Some(0), "{}", want.2);
        assert_eq!(run(&args("cch"), GRAIN), want, "{from} -> {to}, source");
        assert_eq!(
            run(&args("cch"), with),
            want,
            "{from} -> {to}, stored order"
        );
        let (code, out, err) = run(&args("cch"), stale);
        assert_eq!(
            (code, out),
            (want.0, want.1),
            "{from} -> {to}, foreign order"
        );
        assert!(
            err.contains("stored CCH order ignored") && err.contains("NETWORK"),
            "{err}"
        );
    }
}
