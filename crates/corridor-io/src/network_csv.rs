//! The CSV bundle: a folder of `nodes.csv`, `links.csv` and optionally
//! `terminals.csv`, `borders.csv`, `commodities.csv`, plus `network.toml` or
//! `network.csv` (key,value rows) for the header and defaults, both ways.
//! Cells mean what the same TOML keys mean (`build.rs`); lists inside a cell
//! are separated by `;`; a record's line is its CSV line (header = line 1).
//! This module does not guess delimiters or encodings: files are UTF-8 with
//! commas, as spreadsheets and GIS tools export them.

use crate::build::{self, Builder};
use crate::csv_rows::{csv_diagnostic, csv_reader, empty_record, fill_record, header_columns};
use crate::network_toml::{num, overrides};
use crate::record::{Raw, Record};
use crate::rows_parallel::{self, RowsTo};
use crate::rows_plain::Plain;
use crate::toml_doc::toml_sources;
use crate::{Error, Loaded, Result, write_atomic};
use corridor_model::{
    Border, Diagnostic, FlowUnit, Link, Mode, ModeDefaults, Network, Node, SourceRef, Terminal,
    Vehicles,
};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

/// What a bundle file's rows become in the network.
type AddRecord = fn(&mut Builder, &Record);

/// Reads a CSV bundle folder. Each row is built into the network as soon
/// as it is read and then dropped, so memory holds the network, not the
/// rows.
pub fn read_csv_bundle(dir: &Path) -> Result<Loaded> {
    read_csv_bundle_with(dir, PARALLEL_FROM_BYTES)
}

/// `nodes.csv` and `links.csv` files at least this large (and without
/// quotes) are read on every core (`rows_parallel`); smaller ones are not
/// worth the threads.
const PARALLEL_FROM_BYTES: u64 = 1 << 20;

/// [`read_csv_bundle`] with the size from which links are read in
/// parallel (tests read the same bundle both ways).
fn read_csv_bundle_with(dir: &Path, parallel_from: u64) -> Result<Loaded> {
    let mut b = Builder::new(Vec::new());
    let toml_header = dir.join("network.toml");
    let csv_header = dir.join("network.csv");
    if toml_header.is_file() && csv_header.is_file() {
        // Reading one and ignoring the other would silently drop settings.
        b.diagnostic(
            Diagnostic::error(
                "network",
                None,
                "both network.toml and network.csv are present; keep one of them",
            )
            .at(Some(SourceRef {
                file: csv_header.display().to_string().into(),
                line: 1,
            })),
        );
    }
    if toml_header.is_file() {
        let text = crate::error::read_utf8(&toml_header)?;
        let s = toml_sources(&text, &toml_header.display().to_string())?;
        s.diagnostics.into_iter().for_each(|d| b.diagnostic(d));
        if !(s.nodes.is_empty() && s.links.is_empty()) {
            b.diagnostic(
                Diagnostic::warning(
                    "network",
                    None,
                    "nodes and links in network.toml of a CSV bundle are ignored (put them in nodes.csv and links.csv)",
                )
                .at(Some(SourceRef {
                    file: toml_header.display().to_string().into(),
                    line: 1,
                })),
            );
        }
        s.header.iter().for_each(|r| b.header(r));
        s.commodities.iter().for_each(|r| b.commodity(r));
    } else if csv_header.is_file() {
        let mut rows = Vec::new();
        each_row(&csv_header, &mut b, |_, r| rows.push(r.clone()))?;
        b.header(&key_value_header(&csv_header, rows));
    }
    let files: [(&str, bool, AddRecord); 5] = [
        ("commodities.csv", false, Builder::commodity),
        ("nodes.csv", true, Builder::node),
        ("links.csv", true, Builder::link),
        ("terminals.csv", false, Builder::terminal),
        ("borders.csv", false, Builder::border),
    ];
    for (name, required, add) in files {
        let path = dir.join(name);
        if !path.is_file() {
            if required {
                return Err(Error::MissingFile {
                    path,
                    what: "a CSV bundle needs nodes.csv and links.csv".to_string(),
                });
            }
            continue;
        }
        let mut parallel = false;
        if name == "nodes.csv" || name == "links.csv" {
            let (lines, quoted, bytes) = scan(&path)?;
            match name {
                "nodes.csv" => b.reserve(lines, 0),
                _ => b.reserve(0, lines),
            }
            parallel = !quoted && bytes >= parallel_from;
        }
        let rows = match name {
            "nodes.csv" if parallel => {
                let to = RowsTo {
                    plain: Plain::node,
                    build: build::node_element,
                    side: &build::NODES,
                };
                rows_parallel::read_rows(&path, &mut b, false, to)?
            }
            "links.csv" if parallel => {
                let to = RowsTo {
                    plain: Plain::link,
                    build: build::link_element,
                    side: &build::LINKS,
                };
                rows_parallel::read_rows(&path, &mut b, true, to)?
            }
            _ => each_row(&path, &mut b, add)?,
        };
        if name == "nodes.csv" && rows == 0 {
            // Otherwise only the knock-on "unknown node" of every link shows.
            b.diagnostic(
                Diagnostic::error(
                    "nodes",
                    None,
                    "no nodes: nodes.csv needs a header row (id,name,kind,lon,lat,...) and one row per node",
                )
                .at(Some(SourceRef {
                    file: path.display().to_string().into(),
                    line: 1,
                })),
            );
        }
    }
    let (net, mut diags) = b.finish();
    // An unknown column would otherwise be reported on every row.
    let mut seen = BTreeSet::new();
    diags.retain(|d| {
        let unknown_column = !d.is_error()
            && d.message.starts_with("unknown key")
            && d.source.as_ref().is_some_and(|s| s.file.ends_with(".csv"));
        if !unknown_column {
            return true;
        }
        let file = d.source.as_ref().map(|s| s.file.clone());
        seen.insert((file, d.field.clone()))
    });
    Ok(Loaded::new(net, diags))
}

/// Line breaks in a file (an upper bound of its records), whether it has
/// a double quote anywhere (such files are read one row at a time: a
/// quoted cell may hold a line break), and its size: read in blocks in a fraction of
/// the time parsing takes.
fn scan(path: &Path) -> Result<(usize, bool, u64)> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut buf = vec![0u8; 1 << 16];
    let (mut lines, mut quoted, mut bytes) = (0, false, 0u64);
    loop {
        match file.read(&mut buf) {
            Ok(0) => return Ok((lines, quoted, bytes)),
            Ok(n) => {
                lines += buf[..n].iter().filter(|&&b| b == b'\n').count();
                quoted = quoted || buf[..n].contains(&b'"');
                bytes += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Error::io(path, e)),
        }
    }
}

/// `key,value` rows; keys without a dot belong to `[network]`.
fn key_value_header(path: &Path, rows: Vec<Record>) -> Record {
    let mut header = Record {
        file: path.display().to_string().into(),
        line: 1,
        fields: BTreeMap::new(),
    };
    for row in rows {
        let key = row.fields.get("key").and_then(|f| match &f.value {
            Raw::Str(s) => Some(s.trim().to_string()),
            _ => None,
        });
        let value = row.fields.get("value").cloned();
        if let (Some(key), Some(value)) = (key, value) {
            let key = if key.contains('.') {
                key
            } else {
                format!("network.{key}")
            };
            header.fields.insert(key.into(), value);
        }
    }
    header
}

/// Hands every row of one CSV file as a record to `each`, in file order
/// (the same record, refilled: `each` must copy what it keeps);
/// malformed rows are diagnostics of the builder. Returns how many records
/// were handed on.
fn each_row(
    path: &Path,
    b: &mut Builder,
    mut each: impl FnMut(&mut Builder, &Record),
) -> Result<usize> {
    let file: Arc<str> = path.display().to_string().into();
    let mut rdr = csv_reader(true)
        .from_path(path)
        .map_err(|e| crate::error::from_csv(path, e))?;
    let raw = rdr
        .headers()
        .map_err(|e| crate::error::from_csv(path, e))?
        .clone();
    let headers = header_columns(&raw, &file, b);
    let mut rows = 0;
    // One row buffer and one record for the whole file: each row's cells
    // are copied into the record's strings, which keep their capacity, so
    // a row allocates nothing once the longest cell of each column is seen
    // (`records()` cloned every row; a fresh record per row built a map
    // and a string per cell).
    let mut row = csv::StringRecord::new();
    let mut rec = empty_record(&file, &headers);
    loop {
        match rdr.read_record(&mut row) {
            Ok(false) => break,
            Ok(true) => {
                let line = row.position().map_or(0, |p| p.line());
                match fill_record(&mut rec, &headers, &row, line) {
                    Ok(()) => {
                        rows += 1;
                        each(b, &rec);
                    }
                    Err(d) => b.diagnostic(d),
                }
            }
            Err(e) if e.is_io_error() => return Err(crate::error::from_csv(path, e)),
            Err(e) => b.diagnostic(csv_diagnostic(&file, &e, 0)),
        }
    }
    Ok(rows)
}

// ---------------------------------------------------------------- writing

/// Every file [`write_csv_bundle`] may write: what a command replacing a
/// bundle folder may find there and drop.
pub const BUNDLE_FILES: [&str; 6] = [
    "network.csv",
    "commodities.csv",
    "nodes.csv",
    "links.csv",
    "terminals.csv",
    "borders.csv",
];

const NODE_COLUMNS: [&str; 10] = [
    "id",
    "name",
    "kind",
    "lon",
    "lat",
    "country",
    "capacity",
    "open",
    "tags",
    "no_through",
];
const LINK_COLUMNS: [&str; 20] = [
    "id",
    "from",
    "to",
    "mode",
    "gauge",
    "length",
    "speed",
    "hours",
    "cost_per_tkm",
    "co2_per_tkm",
    "capacity",
    "oneway",
    "allow",
    "ban",
    "open",
    "toll",
    "bpr_alpha",
    "bpr_beta",
    "tags",
    "geometry",
];
const TERMINAL_COLUMNS: [&str; 12] = [
    "id",
    "name",
    "node",
    "connects",
    "handling_cost",
    "hours",
    "co2_per_t",
    "capacity",
    "accepts",
    "ban",
    "open",
    "tags",
];
const BORDER_COLUMNS: [&str; 14] = [
    "id",
    "name",
    "node",
    "countries",
    "dwell_road",
    "dwell_rail",
    "dwell_sea",
    "dwell_river",
    "fee_per_t",
    "capacity",
    "allow",
    "ban",
    "open",
    "tags",
];

fn opt(x: Option<f64>) -> String {
    x.map(num).unwrap_or_default()
}

fn join(items: &[String]) -> String {
    items.join(";")
}

fn csv_bytes<const N: usize>(
    path: &Path,
    columns: [&str; N],
    rows: impl Iterator<Item = [String; N]>,
) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| Error::io(path, std::io::Error::other(e.to_string()));
    w.write_record(columns).map_err(fail)?;
    for row in rows {
        w.write_record(&row).map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| Error::io(path, std::io::Error::other(e.to_string())))
}

/// Writes one CSV file of the bundle (atomically).
fn write_table<const N: usize>(
    dir: &Path,
    name: &str,
    columns: [&str; N],
    rows: impl Iterator<Item = [String; N]>,
) -> Result<()> {
    let p = dir.join(name);
    write_atomic(&p, &csv_bytes(&p, columns, rows)?)
}

/// Writes the network as a CSV bundle into `dir` (created if absent), one
/// atomic file at a time, with the header in `network.csv`.
pub fn write_csv_bundle(net: &Network, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let header = header_rows(net).into_iter();
    write_table(dir, "network.csv", ["key", "value"], header)?;
    write_commodities(net, dir)?;
    let nodes = net.nodes.iter().map(node_row);
    write_table(dir, "nodes.csv", NODE_COLUMNS, nodes)?;
    let links = net.links.iter().map(|l| link_row(net, l));
    write_table(dir, "links.csv", LINK_COLUMNS, links)?;
    let terminals = net.terminals.iter().map(|t| terminal_row(net, t));
    write_table(dir, "terminals.csv", TERMINAL_COLUMNS, terminals)?;
    let borders = net.borders.iter().map(|b| border_row(net, b));
    write_table(dir, "borders.csv", BORDER_COLUMNS, borders)
}

/// `key,value` rows: the `[network]` keys bare, then the vehicles and
/// per-mode defaults that differ from the built-in ones, dotted.
fn header_rows(net: &Network) -> Vec<[String; 2]> {
    let mut header: Vec<[String; 2]> = vec![
        ["name".into(), net.name.clone()],
        ["currency".into(), net.currency.clone()],
        ["carbon_price".into(), num(net.carbon_price_per_t)],
    ];
    if net.flow_unit != FlowUnit::TonnesPerDay {
        header.push(["flow_unit".into(), net.flow_unit.as_str().into()]);
    }
    for (k, x) in overrides(&Vehicles::FIELDS, &net.vehicles, &Vehicles::default()) {
        header.push([format!("vehicles.{k}"), num(x)]);
    }
    let table = ModeDefaults::table();
    for mode in Mode::ALL {
        let changed = overrides(
            &ModeDefaults::FIELDS,
            net.defaults.get(mode),
            table.get(mode),
        );
        for (k, x) in changed {
            header.push([format!("defaults.{mode}.{k}"), num(x)]);
        }
    }
    header
}

/// Capacity factors and vessel classes are written only when some
/// commodity has them, so ordinary bundles keep their three columns.
fn write_commodities(net: &Network, dir: &Path) -> Result<()> {
    let factors = net
        .commodities
        .iter()
        .any(|c| Mode::ALL.iter().any(|&m| *c.capacity_factor.get(m) != 1.0));
    let vessels = net.commodities.iter().any(|c| !c.vessels.is_empty());
    let name = "commodities.csv";
    if !factors && !vessels {
        let rows = net.commodities.iter().map(|c| {
            [
                c.source_id.clone(),
                c.class.as_str().to_string(),
                num(c.value_of_time_per_t_h),
            ]
        });
        return write_table(dir, name, ["name", "class", "value_of_time"], rows);
    }
    let rows = net.commodities.iter().map(|c| {
        let f = |m: Mode| num(*c.capacity_factor.get(m));
        [
            c.source_id.clone(),
            c.class.as_str().to_string(),
            num(c.value_of_time_per_t_h),
            f(Mode::Road),
            f(Mode::Rail),
            f(Mode::Sea),
            f(Mode::River),
            c.vessels.join(";"),
        ]
    });
    let columns = [
        "name",
        "class",
        "value_of_time",
        "capacity_factor_road",
        "capacity_factor_rail",
        "capacity_factor_sea",
        "capacity_factor_river",
        "vessels",
    ];
    write_table(dir, name, columns, rows)
}

fn node_row(n: &Node) -> [String; 10] {
    [
        n.source_id.to_string(),
        n.name.to_string(),
        n.kind.as_str().to_string(),
        num(n.lon),
        num(n.lat),
        n.country.to_string(),
        opt(n.capacity_t_per_day),
        n.open.to_string(),
        join(&n.tags),
        if n.no_through {
            "true".into()
        } else {
            String::new()
        },
    ]
}

fn link_row(net: &Network, l: &Link) -> [String; 20] {
    let geometry: Vec<String> = l
        .geometry
        .iter()
        .map(|[x, y]| format!("{} {}", num(*x), num(*y)))
        .collect();
    [
        l.source_id.to_string(),
        net.node(l.from).source_id.to_string(),
        net.node(l.to).source_id.to_string(),
        l.mode.as_str().to_string(),
        l.gauge_mm.map(|g| g.to_string()).unwrap_or_default(),
        num(l.length_km),
        opt(l.speed_kmh),
        opt(l.hours),
        opt(l.cost_per_tkm),
        opt(l.co2_kg_per_tkm),
        opt(l.capacity_t_per_day),
        l.oneway.to_string(),
        join(&l.commodities.allowed),
        join(&l.commodities.banned),
        l.open.to_string(),
        opt(Some(l.toll).filter(|t| *t != 0.0)),
        opt(l.bpr_alpha),
        opt(l.bpr_beta),
        join(&l.tags),
        geometry.join(";"),
    ]
}

fn terminal_row(net: &Network, t: &Terminal) -> [String; 12] {
    let connects: Vec<String> = t
        .transfers
        .iter()
        .map(|(a, b)| format!("{a} <-> {b}"))
        .collect();
    [
        t.source_id.clone(),
        t.name.clone(),
        net.node(t.node).source_id.to_string(),
        connects.join(";"),
        num(t.handling_cost_per_t),
        num(t.hours),
        num(t.co2_kg_per_t),
        opt(t.capacity_t_per_day),
        join(&t.commodities.allowed),
        join(&t.commodities.banned),
        t.open.to_string(),
        join(&t.tags),
    ]
}

fn border_row(net: &Network, b: &Border) -> [String; 14] {
    let dwell = |m: Mode| opt(Some(*b.dwell_hours.get(m)).filter(|h| *h != 0.0));
    [
        b.source_id.clone(),
        b.name.clone(),
        net.node(b.node).source_id.to_string(),
        b.countries.join(";"),
        dwell(Mode::Road),
        dwell(Mode::Rail),
        dwell(Mode::Sea),
        dwell(Mode::River),
        num(b.fee_per_t),
        opt(b.capacity_t_per_day),
        join(&b.commodities.allowed),
        join(&b.commodities.banned),
        b.open.to_string(),
        join(&b.tags),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A generated grid with broken nodes and links of every kind the
    /// reader reports
    /// (a bad number, an unknown node, duplicate ids, a wrong width, an
    /// unknown column, bad UTF-8), with LF and with CRLF line ends, read
    /// one row at a time and on every core: the same network and the same
    /// diagnostics, on the right lines.
    #[test]
    fn links_read_in_parallel_equal_links_read_row_by_row() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = corridor_fixtures::grid::GridConfig::square_with_links(30_000);
        let mut nodes = Vec::new();
        corridor_fixtures::grid::write_nodes(&cfg, &mut nodes).unwrap();
        let mut links = Vec::new();
        corridor_fixtures::grid::write_links(&cfg, &mut links).unwrap();
        let mut node_lines: Vec<String> = String::from_utf8(nodes)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        node_lines[7] = node_lines[7].replace(",40.", ",north 40.");
        node_lines[9_000] = node_lines[2].clone();
        node_lines.push(String::new());
        std::fs::write(dir.path().join("nodes.csv"), node_lines.join("\n")).unwrap();
        let text = String::from_utf8(links).unwrap();
        // With an unknown column every row goes the general way; without,
        // the clean rows go the short way (`rows_plain`), with cells in
        // units, flags and lists on some.
        for unknown_column in [true, false] {
            let lines = broken_links(&text, unknown_column);
            for end in ["\n", "\r\n"] {
                let mut bytes = lines.join(end).into_bytes();
                let at = bytes.len() - 10;
                bytes.insert(at, 0xff);
                bytes.extend_from_slice(end.as_bytes());
                std::fs::write(dir.path().join("links.csv"), bytes).unwrap();
                both_ways_agree(dir.path(), unknown_column);
            }
        }
    }

    /// The grid's `links.csv` lines with broken rows of every kind.
    fn broken_links(text: &str, unknown_column: bool) -> Vec<String> {
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        if unknown_column {
            lines[0].push_str(",colour");
            for l in lines.iter_mut().skip(1) {
                l.push_str(",red");
            }
        } else {
            lines[0].push_str(",Oneway,tags,hours,speed,open");
            for (i, l) in lines.iter_mut().enumerate().skip(1) {
                l.push_str(match i % 7 {
                    0 => ",yes,a; b,90 min,,",
                    1 => ",,,, 30 kn,Closed",
                    2 => ",0,,2,,",
                    _ => ",,,,,",
                });
            }
        }
        let mut cells: Vec<&str> = lines[5].split(',').collect();
        cells[6] = "lots";
        lines[5] = cells.join(",");
        lines[100] = lines[100].replacen(",n", ",nowhere", 1);
        lines[20_000] = lines[3].clone();
        lines[25_000].push_str(",extra");
        let n = lines.len();
        // A multi-byte character just above the bad byte.
        lines[n - 2] = lines[n - 2]
            .replace("red", "r\u{e9}d")
            .replace(",rail,", ",r\u{e9}il,");
        lines[200] = lines[200].replace(",rail,", ",,");
        lines[300] = lines[300].replace(",1435,", ",1435 mm,");
        lines[400] = lines[400].replace(",1435,", ",wide,");
        lines
    }

    fn both_ways_agree(dir: &Path, unknown_column: bool) {
        let one = read_csv_bundle_with(dir, u64::MAX).unwrap();
        let all = read_csv_bundle_with(dir, 0).unwrap();
        assert!(one.network.links.len() > 29_000);
        assert_eq!(one.network.links.len(), all.network.links.len());
        for (a, b) in one.network.links.iter().zip(&all.network.links) {
            assert_eq!(a, b);
        }
        assert_eq!(one.network.nodes, all.network.nodes);
        assert_eq!(one.diagnostics, all.diagnostics);
        let said: Vec<String> = all.diagnostics.iter().map(|d| d.to_string()).collect();
        for what in [
            "capacity",
            "unknown node \"nowhere",
            "duplicate id",
            "fields but the header has",
            "not valid UTF-8",
            "mode: missing required field",
            "gauge: \"wide\"",
            "lat: \"north",
            "nodes.csv:9001: node \"n0_1\": id: duplicate id \"n0_1\" (first defined at",
        ] {
            assert!(said.iter().any(|d| d.contains(what)), "{what}: {said:?}");
        }
        assert_eq!(
            said.iter().any(|d| d.contains("unknown key")),
            unknown_column
        );
        // Lines count the header.
        assert!(
            said.iter().any(|d| d.contains("links.csv:25001:")),
            "{said:?}"
        );
    }
}
