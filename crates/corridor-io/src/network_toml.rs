//! The hand-written TOML network format, both ways. Reading keeps toml's
//! spans so that every diagnostic names the line of the record or field;
//! the meaning of each key lives in `build.rs`, shared with the CSV bundle.
//! Writing produces the same layout a person would write, with values in
//! the model's units (t/day, hours, km), only non-default keys, and
//! deterministic order. The format is documented in `docs/formats.md`.

use crate::build::{Sources, build};
use crate::record::{Field, Raw, Record};
use crate::{Error, Loaded, Result, write_atomic};
use corridor_model::{Diagnostic, FlowUnit, Mode, ModeDefaults, Network, SourceRef, Vehicles};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use toml::de::{DeTable, DeValue};

/// Reads a `.toml` network: every record, each broken one a diagnostic.
pub fn read_toml(path: &Path) -> Result<Loaded> {
    let text = crate::error::read_utf8(path)?;
    let file = path.display().to_string();
    let src = toml_sources(&text, &file)?;
    let (net, mut diags) = build(src);
    if net.nodes.is_empty() {
        // Every question on it would fail later with a stranger message.
        diags.push(
            Diagnostic::error(
                "network",
                None,
                "the network has no nodes (add [[nodes]] tables, or give a CSV bundle folder)",
            )
            .at(Some(SourceRef { file, line: 1 })),
        );
    }
    Ok(Loaded::new(net, diags))
}

/// Byte offset to 1-based line.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines(starts)
    }
    fn line(&self, offset: usize) -> u64 {
        self.0.partition_point(|&s| s <= offset) as u64
    }
}

const HEADER_TABLES: [&str; 3] = ["network", "defaults", "vehicles"];
const RECORD_ARRAYS: [&str; 5] = ["commodities", "nodes", "links", "terminals", "borders"];

/// Parses TOML text into records; only a syntax error is an `Err`.
pub(crate) fn toml_sources(text: &str, file: &str) -> Result<Sources> {
    let lines = Lines::new(text);
    let doc = DeTable::parse(text).map_err(|e| Error::Syntax {
        file: file.to_string(),
        line: e.span().map_or(1, |s| lines.line(s.start)),
        message: e.message().trim().to_string(),
    })?;
    let mut src = Sources::default();
    let mut header = Record {
        file: file.to_string(),
        line: 1,
        fields: BTreeMap::new(),
    };
    for (key, value) in doc.get_ref().iter() {
        let name = key.get_ref().as_ref();
        let line = lines.line(key.span().start);
        let at = Some(SourceRef {
            file: file.to_string(),
            line,
        });
        if HEADER_TABLES.contains(&name) {
            match value.get_ref() {
                DeValue::Table(t) => flatten(name, t, &lines, &mut header.fields),
                _ => src.diagnostics.push(
                    Diagnostic::error("network", Some(name), format!("[{name}] must be a table"))
                        .at(at),
                ),
            }
        } else if RECORD_ARRAYS.contains(&name) {
            let DeValue::Array(items) = value.get_ref() else {
                src.diagnostics.push(
                    Diagnostic::error(
                        "network",
                        Some(name),
                        format!("expected an array of tables, written [[{name}]]"),
                    )
                    .at(at),
                );
                continue;
            };
            for item in items.iter() {
                let item_line = lines.line(item.span().start);
                let DeValue::Table(t) = item.get_ref() else {
                    src.diagnostics.push(
                        Diagnostic::error("network", Some(name), "expected a table").at(Some(
                            SourceRef {
                                file: file.to_string(),
                                line: item_line,
                            },
                        )),
                    );
                    continue;
                };
                let mut rec = Record {
                    file: file.to_string(),
                    line: item_line,
                    fields: BTreeMap::new(),
                };
                flatten("", t, &lines, &mut rec.fields);
                let list = match name {
                    "commodities" => &mut src.commodities,
                    "nodes" => &mut src.nodes,
                    "links" => &mut src.links,
                    "terminals" => &mut src.terminals,
                    _ => &mut src.borders,
                };
                list.push(rec);
            }
        } else {
            src.diagnostics.push(
                Diagnostic::warning(
                    "network",
                    Some(name),
                    format!(
                        "unknown section (ignored; expected one of {}, {})",
                        HEADER_TABLES.join(", "),
                        RECORD_ARRAYS.join(", ")
                    ),
                )
                .at(at),
            );
        }
    }
    src.header.push(header);
    Ok(src)
}

fn flatten(prefix: &str, table: &DeTable<'_>, lines: &Lines, out: &mut BTreeMap<String, Field>) {
    for (k, v) in table.iter() {
        let key = if prefix.is_empty() {
            k.get_ref().to_string()
        } else {
            format!("{prefix}.{}", k.get_ref())
        };
        match v.get_ref() {
            DeValue::Table(t) => flatten(&key, t, lines, out),
            other => {
                out.insert(
                    key,
                    Field {
                        value: raw(other),
                        line: lines.line(k.span().start),
                    },
                );
            }
        }
    }
}

fn raw(v: &DeValue<'_>) -> Raw {
    match v {
        DeValue::String(s) => Raw::Str(s.to_string()),
        DeValue::Integer(i) => {
            let digits = i.as_str().replace('_', "");
            match i64::from_str_radix(&digits, i.radix()) {
                Ok(x) => Raw::Num(x as f64),
                Err(_) => Raw::Str(i.as_str().to_string()),
            }
        }
        DeValue::Float(f) => match f.as_str().replace('_', "").parse::<f64>() {
            Ok(x) => Raw::Num(x),
            Err(_) => Raw::Str(f.as_str().to_string()),
        },
        DeValue::Boolean(b) => Raw::Bool(*b),
        DeValue::Datetime(d) => Raw::Str(d.to_string()),
        DeValue::Array(a) => Raw::List(a.iter().map(|x| raw(x.get_ref())).collect()),
        DeValue::Table(_) => Raw::Str("{table}".to_string()),
    }
}

// ---------------------------------------------------------------- writing

fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Shortest text that reads back to the same `f64`.
pub(crate) fn num(x: f64) -> String {
    if x.is_nan() {
        "nan".to_string()
    } else if x.is_infinite() {
        if x > 0.0 { "inf" } else { "-inf" }.to_string()
    } else if x.abs() >= 1e15 {
        // `{x}` writes 3.3e23 as 24 digits, an integer beyond i64 that
        // TOML readers must refuse.
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

fn list(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| q(s)).collect();
    format!("[{}]", inner.join(", "))
}

/// The network as TOML text, in the layout of `docs/formats.md`.
pub fn network_toml_string(net: &Network) -> String {
    let mut s = String::new();
    let w = &mut s;
    let _ = writeln!(w, "[network]");
    let _ = writeln!(w, "name = {}", q(&net.name));
    let _ = writeln!(w, "currency = {}", q(&net.currency));
    let _ = writeln!(w, "carbon_price = {}", num(net.carbon_price_per_t));
    if net.flow_unit != FlowUnit::TonnesPerDay {
        let _ = writeln!(w, "flow_unit = {}", q(net.flow_unit.as_str()));
    }
    let dv = Vehicles::default();
    let v = net.vehicles;
    let vehicle_keys = [
        ("train_payload", v.train_payload_t, dv.train_payload_t),
        ("truck_payload", v.truck_payload_t, dv.truck_payload_t),
        ("teu", v.teu_t, dv.teu_t),
        ("barge_payload", v.barge_payload_t, dv.barge_payload_t),
        ("days_per_year", v.days_per_year, dv.days_per_year),
    ];
    if vehicle_keys.iter().any(|(_, a, b)| a != b) {
        let _ = writeln!(w, "\n[vehicles]");
        for (k, a, b) in vehicle_keys {
            if a != b {
                let _ = writeln!(w, "{k} = {}", num(a));
            }
        }
    }
    let table = ModeDefaults::table();
    for mode in Mode::ALL {
        let (d, t) = (net.defaults.get(mode), table.get(mode));
        let keys = [
            ("speed", d.speed_kmh, t.speed_kmh),
            ("cost_per_tkm", d.cost_per_tkm, t.cost_per_tkm),
            ("co2_per_tkm", d.co2_kg_per_tkm, t.co2_kg_per_tkm),
            ("detour", d.detour_factor, t.detour_factor),
        ];
        if keys.iter().any(|(_, a, b)| a != b) {
            let _ = writeln!(w, "\n[defaults.{mode}]");
            for (k, a, b) in keys {
                if a != b {
                    let _ = writeln!(w, "{k} = {}", num(a));
                }
            }
        }
    }
    for c in &net.commodities {
        let _ = writeln!(w, "\n[[commodities]]");
        let _ = writeln!(w, "name = {}", q(&c.source_id));
        let _ = writeln!(w, "class = {}", q(c.class.as_str()));
        let _ = writeln!(w, "value_of_time = {}", num(c.value_of_time_per_t_h));
        let factors: Vec<String> = Mode::ALL
            .iter()
            .filter(|m| *c.capacity_factor.get(**m) != 1.0)
            .map(|m| format!("{m} = {}", num(*c.capacity_factor.get(*m))))
            .collect();
        if !factors.is_empty() {
            let _ = writeln!(w, "capacity_factor = {{ {} }}", factors.join(", "));
        }
    }
    for n in &net.nodes {
        let _ = writeln!(w, "\n[[nodes]]");
        let _ = writeln!(w, "id = {}", q(&n.source_id));
        let _ = writeln!(w, "name = {}", q(&n.name));
        let _ = writeln!(w, "kind = {}", q(n.kind.as_str()));
        let _ = writeln!(w, "lon = {}", num(n.lon));
        let _ = writeln!(w, "lat = {}", num(n.lat));
        let _ = writeln!(w, "country = {}", q(&n.country));
        if let Some(c) = n.capacity_t_per_day {
            let _ = writeln!(w, "capacity = {}", num(c));
        }
        if !n.open {
            let _ = writeln!(w, "open = false");
        }
        if !n.tags.is_empty() {
            let _ = writeln!(w, "tags = {}", list(&n.tags));
        }
        if n.no_through {
            let _ = writeln!(w, "no_through = true");
        }
    }
    for l in &net.links {
        let _ = writeln!(w, "\n[[links]]");
        let _ = writeln!(w, "id = {}", q(&l.source_id));
        let _ = writeln!(w, "from = {}", q(&net.node(l.from).source_id));
        let _ = writeln!(w, "to = {}", q(&net.node(l.to).source_id));
        let _ = writeln!(w, "mode = {}", q(l.mode.as_str()));
        if let Some(g) = l.gauge_mm {
            let _ = writeln!(w, "gauge = {g}");
        }
        let _ = writeln!(w, "length = {}", num(l.length_km));
        let opt = [
            ("speed", l.speed_kmh),
            ("hours", l.hours),
            ("cost_per_tkm", l.cost_per_tkm),
            ("co2_per_tkm", l.co2_kg_per_tkm),
            ("capacity", l.capacity_t_per_day),
            ("bpr_alpha", l.bpr_alpha),
            ("bpr_beta", l.bpr_beta),
        ];
        for (k, v) in opt {
            if let Some(v) = v {
                let _ = writeln!(w, "{k} = {}", num(v));
            }
        }
        if l.toll != 0.0 {
            let _ = writeln!(w, "toll = {}", num(l.toll));
        }
        if l.oneway {
            let _ = writeln!(w, "oneway = true");
        }
        if !l.commodities.allowed.is_empty() {
            let _ = writeln!(w, "allow = {}", list(&l.commodities.allowed));
        }
        if !l.commodities.banned.is_empty() {
            let _ = writeln!(w, "ban = {}", list(&l.commodities.banned));
        }
        if !l.open {
            let _ = writeln!(w, "open = false");
        }
        if !l.tags.is_empty() {
            let _ = writeln!(w, "tags = {}", list(&l.tags));
        }
        if !l.geometry.is_empty() {
            let pts: Vec<String> = l
                .geometry
                .iter()
                .map(|[x, y]| format!("[{}, {}]", num(*x), num(*y)))
                .collect();
            let _ = writeln!(w, "geometry = [{}]", pts.join(", "));
        }
    }
    for t in &net.terminals {
        let _ = writeln!(w, "\n[[terminals]]");
        let _ = writeln!(w, "id = {}", q(&t.source_id));
        let _ = writeln!(w, "name = {}", q(&t.name));
        let _ = writeln!(w, "node = {}", q(&net.node(t.node).source_id));
        let connects: Vec<String> = t
            .transfers
            .iter()
            .map(|(a, b)| format!("{a} <-> {b}"))
            .collect();
        let _ = writeln!(w, "connects = {}", list(&connects));
        let _ = writeln!(w, "handling_cost = {}", num(t.handling_cost_per_t));
        let _ = writeln!(w, "hours = {}", num(t.hours));
        let _ = writeln!(w, "co2_per_t = {}", num(t.co2_kg_per_t));
        if let Some(c) = t.capacity_t_per_day {
            let _ = writeln!(w, "capacity = {}", num(c));
        }
        if !t.commodities.allowed.is_empty() {
            let _ = writeln!(w, "accepts = {}", list(&t.commodities.allowed));
        }
        if !t.commodities.banned.is_empty() {
            let _ = writeln!(w, "ban = {}", list(&t.commodities.banned));
        }
        if !t.open {
            let _ = writeln!(w, "open = false");
        }
        if !t.tags.is_empty() {
            let _ = writeln!(w, "tags = {}", list(&t.tags));
        }
    }
    for b in &net.borders {
        let _ = writeln!(w, "\n[[borders]]");
        let _ = writeln!(w, "id = {}", q(&b.source_id));
        let _ = writeln!(w, "name = {}", q(&b.name));
        let _ = writeln!(w, "node = {}", q(&net.node(b.node).source_id));
        let _ = writeln!(w, "countries = {}", list(&b.countries));
        let dwell: Vec<String> = Mode::ALL
            .iter()
            .filter(|m| *b.dwell_hours.get(**m) != 0.0)
            .map(|m| format!("{m} = {}", num(*b.dwell_hours.get(*m))))
            .collect();
        if !dwell.is_empty() {
            let _ = writeln!(w, "dwell = {{ {} }}", dwell.join(", "));
        }
        let _ = writeln!(w, "fee_per_t = {}", num(b.fee_per_t));
        if let Some(c) = b.capacity_t_per_day {
            let _ = writeln!(w, "capacity = {}", num(c));
        }
        if !b.commodities.allowed.is_empty() {
            let _ = writeln!(w, "allow = {}", list(&b.commodities.allowed));
        }
        if !b.commodities.banned.is_empty() {
            let _ = writeln!(w, "ban = {}", list(&b.commodities.banned));
        }
        if !b.open {
            let _ = writeln!(w, "open = false");
        }
        if !b.tags.is_empty() {
            let _ = writeln!(w, "tags = {}", list(&b.tags));
        }
    }
    s
}

/// Writes the network as a TOML file (atomically).
pub fn write_toml(net: &Network, path: &Path) -> Result<()> {
    write_atomic(path, network_toml_string(net).as_bytes())
}
