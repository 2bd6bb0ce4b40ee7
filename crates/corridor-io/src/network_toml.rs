//! The hand-written TOML network format, both ways. Reading parses the
//! text into records (`toml_doc`, whole or in pieces on every core with
//! `toml_pieces`) whose meaning lives in `build.rs`, shared with the CSV
//! bundle.
//! Writing produces the same layout a person would write, with values in
//! the model's units (t/day, hours, km), only non-default keys, and
//! deterministic order. The format is documented in `docs/formats.md`.

use crate::build::build;
use crate::toml_doc::toml_sources;
use crate::{Loaded, Result, write_atomic};
use corridor_model::quantity::NumberField;
use corridor_model::{
    Border, Commodity, CommodityRule, Diagnostic, FlowUnit, Link, Mode, ModeDefaults, ModeTable,
    Network, Node, SourceRef, Terminal, Vehicles,
};
use std::fmt::Write as _;
use std::path::Path;

/// Reads a `.toml` network: every record, each broken one a diagnostic.
/// A large file whose nodes and links come as a long run of `[[nodes]]`
/// and `[[links]]` tables is read in pieces on every core
/// (`toml_pieces`); any other file, or one those pieces cannot prove to
/// mean the same, is parsed as one document.
pub fn read_toml(path: &Path) -> Result<Loaded> {
    let file = path.display().to_string();
    let (net, mut diags) = match crate::toml_pieces::read_file(path, &file)? {
        Some(built) => built,
        None => build(toml_sources(&crate::error::read_utf8(path)?, &file)?),
    };
    if net.nodes.is_empty() {
        // Every question on it would fail later with a stranger message.
        diags.push(
            Diagnostic::error(
                "network",
                None,
                "the network has no nodes (add [[nodes]] tables, or give a CSV bundle folder)",
            )
            .at(Some(SourceRef {
                file: file.into(),
                line: 1,
            })),
        );
    }
    Ok(Loaded::new(net, diags))
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

/// The fields of `fields` whose value differs from `default`, by key, in
/// table order: what both network writers put in a header, so that a file
/// keeps only what its author changed.
pub(crate) fn overrides<T>(
    fields: &[NumberField<T>],
    value: &T,
    default: &T,
) -> Vec<(&'static str, f64)> {
    fields
        .iter()
        .map(|f| (f.key, (f.get)(value), (f.get)(default)))
        .filter(|(_, a, b)| a != b)
        .map(|(k, a, _)| (k, a))
        .collect()
}

/// Per-mode values that differ from `default`, as `road = 2, sea = 1.5`.
fn per_mode(table: &ModeTable<f64>, default: f64) -> Vec<String> {
    Mode::ALL
        .iter()
        .filter(|m| *table.get(**m) != default)
        .map(|m| format!("{m} = {}", num(*table.get(*m))))
        .collect()
}

/// TOML text written a key at a time, each writer saying only what the
/// file needs (absent options and default flags are left out).
#[derive(Default)]
struct TomlText(String);

impl TomlText {
    /// A table or array-of-tables header after a blank line (the first
    /// table of the file has none).
    fn header(&mut self, header: &str) {
        if !self.0.is_empty() {
            self.0.push('\n');
        }
        let _ = writeln!(self.0, "{header}");
    }
    fn key(&mut self, key: &str, value: impl std::fmt::Display) {
        let _ = writeln!(self.0, "{key} = {value}");
    }
    fn text(&mut self, key: &str, value: &str) {
        self.key(key, q(value));
    }
    fn num(&mut self, key: &str, x: f64) {
        self.key(key, num(x));
    }
    fn opt(&mut self, key: &str, x: Option<f64>) {
        if let Some(x) = x {
            self.num(key, x);
        }
    }
    /// `key = value` only when the flag differs from its default.
    fn flag(&mut self, key: &str, value: bool, default: bool) {
        if value != default {
            self.key(key, value);
        }
    }
    fn list(&mut self, key: &str, items: &[String]) {
        if !items.is_empty() {
            self.key(key, list(items));
        }
    }
    /// An inline table such as `dwell = { road = 2 }`, when not empty.
    fn inline(&mut self, key: &str, pairs: &[String]) {
        if !pairs.is_empty() {
            self.key(key, format!("{{ {} }}", pairs.join(", ")));
        }
    }
    fn rule(&mut self, allow_key: &str, rule: &CommodityRule) {
        self.list(allow_key, &rule.allowed);
        self.list("ban", &rule.banned);
    }
}

/// The network as TOML text, in the layout of `docs/formats.md`.
pub fn network_toml_string(net: &Network) -> String {
    let mut w = TomlText::default();
    write_header(&mut w, net);
    for c in &net.commodities {
        write_commodity(&mut w, c);
    }
    for n in &net.nodes {
        write_node(&mut w, n);
    }
    for l in &net.links {
        write_link(&mut w, net, l);
    }
    for t in &net.terminals {
        write_terminal(&mut w, net, t);
    }
    for b in &net.borders {
        write_border(&mut w, net, b);
    }
    w.0
}

/// `[network]`, then `[vehicles]` and `[defaults.MODE]` with only the
/// values that differ from the built-in ones.
fn write_header(w: &mut TomlText, net: &Network) {
    w.header("[network]");
    w.text("name", &net.name);
    w.text("currency", &net.currency);
    w.num("carbon_price", net.carbon_price_per_t);
    if net.flow_unit != FlowUnit::TonnesPerDay {
        w.text("flow_unit", net.flow_unit.as_str());
    }
    let vehicles = overrides(&Vehicles::FIELDS, &net.vehicles, &Vehicles::default());
    if !vehicles.is_empty() {
        w.header("[vehicles]");
        for (k, x) in vehicles {
            w.num(k, x);
        }
    }
    let table = ModeDefaults::table();
    for mode in Mode::ALL {
        let changed = overrides(
            &ModeDefaults::FIELDS,
            net.defaults.get(mode),
            table.get(mode),
        );
        if !changed.is_empty() {
            w.header(&format!("[defaults.{mode}]"));
            for (k, x) in changed {
                w.num(k, x);
            }
        }
    }
}

fn write_commodity(w: &mut TomlText, c: &Commodity) {
    w.header("[[commodities]]");
    w.text("name", &c.source_id);
    w.text("class", c.class.as_str());
    w.num("value_of_time", c.value_of_time_per_t_h);
    w.inline("capacity_factor", &per_mode(&c.capacity_factor, 1.0));
    if !c.vessels.is_empty() {
        w.list("vessels", &c.vessels);
    }
}

fn write_node(w: &mut TomlText, n: &Node) {
    w.header("[[nodes]]");
    w.text("id", &n.source_id);
    w.text("name", &n.name);
    w.text("kind", n.kind.as_str());
    w.num("lon", n.lon);
    w.num("lat", n.lat);
    w.text("country", &n.country);
    w.opt("capacity", n.capacity_t_per_day);
    w.flag("open", n.open, true);
    w.list("tags", &n.tags);
    w.flag("no_through", n.no_through, false);
}

fn write_link(w: &mut TomlText, net: &Network, l: &Link) {
    w.header("[[links]]");
    w.text("id", &l.source_id);
    w.text("from", &net.node(l.from).source_id);
    w.text("to", &net.node(l.to).source_id);
    w.text("mode", l.mode.as_str());
    if let Some(g) = l.gauge_mm {
        w.key("gauge", g);
    }
    w.num("length", l.length_km);
    w.opt("speed", l.speed_kmh);
    w.opt("hours", l.hours);
    w.opt("cost_per_tkm", l.cost_per_tkm);
    w.opt("co2_per_tkm", l.co2_kg_per_tkm);
    w.opt("capacity", l.capacity_t_per_day);
    w.opt("bpr_alpha", l.bpr_alpha);
    w.opt("bpr_beta", l.bpr_beta);
    w.opt("toll", Some(l.toll).filter(|t| *t != 0.0));
    w.flag("oneway", l.oneway, false);
    w.rule("allow", &l.commodities);
    w.flag("open", l.open, true);
    w.list("tags", &l.tags);
    if !l.geometry.is_empty() {
        let pts: Vec<String> = l
            .geometry
            .iter()
            .map(|[x, y]| format!("[{}, {}]", num(*x), num(*y)))
            .collect();
        w.key("geometry", format!("[{}]", pts.join(", ")));
    }
}

fn write_terminal(w: &mut TomlText, net: &Network, t: &Terminal) {
    w.header("[[terminals]]");
    w.text("id", &t.source_id);
    w.text("name", &t.name);
    w.text("node", &net.node(t.node).source_id);
    let connects: Vec<String> = t
        .transfers
        .iter()
        .map(|(a, b)| format!("{a} <-> {b}"))
        .collect();
    w.key("connects", list(&connects));
    w.num("handling_cost", t.handling_cost_per_t);
    w.num("hours", t.hours);
    w.num("co2_per_t", t.co2_kg_per_t);
    w.opt("capacity", t.capacity_t_per_day);
    w.rule("accepts", &t.commodities);
    w.flag("open", t.open, true);
    w.list("tags", &t.tags);
}

fn write_border(w: &mut TomlText, net: &Network, b: &Border) {
    w.header("[[borders]]");
    w.text("id", &b.source_id);
    w.text("name", &b.name);
    w.text("node", &net.node(b.node).source_id);
    w.key("countries", list(&b.countries));
    w.inline("dwell", &per_mode(&b.dwell_hours, 0.0));
    w.num("fee_per_t", b.fee_per_t);
    w.opt("capacity", b.capacity_t_per_day);
    w.rule("allow", &b.commodities);
    w.flag("open", b.open, true);
    w.list("tags", &b.tags);
}

/// Writes the network as a TOML file (atomically).
pub fn write_toml(net: &Network, path: &Path) -> Result<()> {
    write_atomic(path, network_toml_string(net).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::Builder;

    /// A TOML grid of some 6,000 links with broken records (a negative
    /// capacity, an unknown node, duplicate node and link ids): its nodes
    /// and links built on every core give the network and diagnostics of
    /// building them one at a time.
    #[test]
    fn records_built_on_every_core_equal_records_built_one_at_a_time() {
        let cfg = corridor_fixtures::grid::GridConfig::square_with_links(6_000);
        let mut bytes = Vec::new();
        corridor_fixtures::grid::write_toml(&cfg, &mut bytes).unwrap();
        let text = String::from_utf8(bytes)
            .unwrap()
            .replacen("\ncapacity = ", "\ncapacity = -", 1)
            .replacen("to = \"n1_0\"", "to = \"nowhere\"", 1)
            .replacen("id = \"e5_1\"", "id = \"e5_0\"", 1)
            .replacen("id = \"n0_1\"\n", "id = \"n0_0\"\n", 1);
        let src = || toml_sources(&text, "grid.toml").unwrap();
        let (net, diags) = build(src());
        let all = Loaded::new(net, diags);
        let s = src();
        assert!(s.links.len() >= 6_000);
        let mut b = Builder::new(s.diagnostics);
        s.header.iter().for_each(|r| b.header(r));
        s.nodes.iter().for_each(|r| b.node(r));
        s.links.iter().for_each(|r| b.link(r));
        let (net, diags) = b.finish();
        let one = Loaded::new(net, diags);
        assert_eq!(one.network.nodes, all.network.nodes);
        assert_eq!(one.network.links.len(), all.network.links.len());
        for (a, b) in one.network.links.iter().zip(&all.network.links) {
            assert_eq!(a, b);
        }
        assert_eq!(one.diagnostics, all.diagnostics);
        let said: Vec<String> = all.diagnostics.iter().map(|d| d.to_string()).collect();
        for what in [
            "capacity",
            "unknown node \"nowhere\"",
            "duplicate id \"e5_0\"",
            "duplicate id \"n0_0\"",
        ] {
            assert!(said.iter().any(|d| d.contains(what)), "{what}: {said:?}");
        }
    }
}
