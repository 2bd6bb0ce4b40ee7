//! Scenarios: ordered edits on a base [`Network`] that give a new network
//! (close or restore elements, set attributes, scale capacities, add and
//! remove elements, ban or allow commodities). The base is never mutated;
//! scenarios stack by applying one to the result of another.
//!
//! This module holds edits in model units (t/day, hours, km, money) with
//! ids as the user's strings, resolved when the edit is applied so that an
//! edit may name what an earlier edit added. It reads no file: the TOML
//! reader (`corridor-io::scenario`) parses units and records each edit's
//! line, which every error raised here repeats.

use crate::commodity::CommodityRule;
use crate::diagnostic::SourceRef;
use crate::mode::{Layer, Mode, ModeTable};
use crate::network::{Border, Link, Network, Node, Terminal};
use crate::{Error, Result};
use serde::Serialize;
use std::fmt;

/// The kinds of element an edit can act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ElementKind {
    Node,
    Link,
    Terminal,
    Border,
}

impl ElementKind {
    pub const ALL: [ElementKind; 4] = [
        ElementKind::Node,
        ElementKind::Link,
        ElementKind::Terminal,
        ElementKind::Border,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ElementKind::Node => "node",
            ElementKind::Link => "link",
            ElementKind::Terminal => "terminal",
            ElementKind::Border => "border",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

impl fmt::Display for ElementKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One element of a network, by kind and dense index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ElementRef {
    pub kind: ElementKind,
    pub index: usize,
}

/// Which elements an edit acts on. Every given condition must hold; ids
/// name elements exactly (and must exist), the others filter.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Selection {
    /// `(kind, id)`; a `None` kind looks the id up among every kind.
    pub ids: Vec<(Option<ElementKind>, String)>,
    pub kind: Option<ElementKind>,
    /// Links of this mode; terminals that serve it.
    pub mode: Option<Mode>,
    /// Nodes in the country; links touching it; terminals and borders at a
    /// node in it; borders with it on either side.
    pub country: Option<String>,
    pub tag: Option<String>,
}

/// An attribute value in model units.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Value {
    Number(f64),
    Bool(bool),
    Text(String),
    /// No limit (capacity).
    Unlimited,
}

/// What a `set` may change, per kind, in model units. Listed so readers can
/// reject unknown attributes with the file's line before applying.
pub fn settable(kind: ElementKind) -> &'static [&'static str] {
    match kind {
        ElementKind::Node => &["name", "capacity", "open", "lon", "lat", "country"],
        ElementKind::Link => &[
            "capacity", "speed", "hours", "length", "cost", "co2", "toll", "oneway", "open",
            "gauge",
        ],
        ElementKind::Terminal => &["name", "capacity", "cost", "hours", "co2", "open"],
        ElementKind::Border => &[
            "name",
            "capacity",
            "fee",
            "dwell_hours",
            "dwell_hours.road",
            "dwell_hours.rail",
            "dwell_hours.sea",
            "dwell_hours.river",
            "open",
        ],
    }
}

/// A new link; its ends are node ids resolved at application.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NewLink {
    pub id: String,
    pub from: String,
    pub to: String,
    pub mode: Mode,
    pub gauge_mm: Option<u16>,
    /// km; great-circle × the mode's detour factor when absent.
    pub length_km: Option<f64>,
    pub speed_kmh: Option<f64>,
    pub hours: Option<f64>,
    pub cost_per_tkm: Option<f64>,
    pub co2_kg_per_tkm: Option<f64>,
    pub capacity_t_per_day: Option<f64>,
    pub oneway: bool,
    pub tags: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NewTerminal {
    pub id: String,
    pub name: Option<String>,
    pub node: String,
    pub transfers: Vec<(Layer, Layer)>,
    pub handling_cost_per_t: f64,
    pub hours: f64,
    pub co2_kg_per_t: f64,
    pub capacity_t_per_day: Option<f64>,
    pub tags: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NewBorder {
    pub id: String,
    pub name: Option<String>,
    pub node: String,
    pub countries: [String; 2],
    pub dwell_hours: ModeTable<f64>,
    pub fee_per_t: f64,
    pub capacity_t_per_day: Option<f64>,
    pub tags: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Edit {
    Close(Selection),
    /// Restore: the elements are open again.
    Open(Selection),
    Set {
        selection: Selection,
        /// `(attribute, value)` in model units, applied in order.
        values: Vec<(String, Value)>,
    },
    /// Multiply capacities; elements without a limit stay unlimited.
    Scale {
        selection: Selection,
        factor: f64,
    },
    AddNode(Node),
    AddLink(NewLink),
    AddTerminal(NewTerminal),
    AddBorder(NewBorder),
    /// Remove elements; removing a node removes everything at it.
    Remove(Selection),
    Ban {
        selection: Selection,
        commodity: String,
    },
    Allow {
        selection: Selection,
        commodity: String,
    },
}

/// An edit and where it was written.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EditAt {
    pub edit: Edit,
    pub source: Option<SourceRef>,
}

/// A named, ordered list of edits.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub edits: Vec<EditAt>,
}

impl Scenario {
    /// The base network with every edit applied in order. Errors name the
    /// edit's file and line.
    pub fn apply(&self, base: &Network) -> Result<Network> {
        let mut net = base.clone();
        for e in &self.edits {
            apply_edit(&mut net, &e.edit).map_err(|err| {
                let at = e
                    .source
                    .as_ref()
                    .map(|s| format!("{s}: "))
                    .unwrap_or_default();
                Error::Invalid(format!("{at}scenario \"{}\": {err}", self.name))
            })?;
        }
        Ok(net)
    }
}

/// Applies scenarios one after another (`--scenario a --scenario b`).
pub fn apply_all(base: &Network, scenarios: &[Scenario]) -> Result<Network> {
    let mut net = base.clone();
    for s in scenarios {
        net = s.apply(&net)?;
    }
    Ok(net)
}

fn lookup(net: &Network, kind: ElementKind, id: &str) -> Option<usize> {
    match kind {
        ElementKind::Node => net.node_id(id).map(|x| x.index()),
        ElementKind::Link => net.link_id(id).map(|x| x.index()),
        ElementKind::Terminal => net.terminal_id(id).map(|x| x.index()),
        ElementKind::Border => net.border_id(id).map(|x| x.index()),
    }
}

/// Elements a selection picks, sorted; an unknown id or an empty result
/// is an error (an empty result is almost always a typo in a tag).
pub fn select(net: &Network, sel: &Selection) -> Result<Vec<ElementRef>> {
    let mut out = Vec::new();
    if !sel.ids.is_empty() {
        for (kind, id) in &sel.ids {
            let kinds: Vec<ElementKind> = match kind.or(sel.kind) {
                Some(k) => vec![k],
                None => ElementKind::ALL.to_vec(),
            };
            let hits: Vec<ElementRef> = kinds
                .iter()
                .filter_map(|&k| lookup(net, k, id).map(|index| ElementRef { kind: k, index }))
                .collect();
            match hits.len() {
                0 => {
                    return Err(Error::UnknownId {
                        kind: match kinds.as_slice() {
                            [k] => k.as_str(),
                            _ => "node, link, terminal or border",
                        },
                        id: id.clone(),
                    });
                }
                1 => out.push(hits[0]),
                _ => {
                    return Err(Error::Invalid(format!(
                        "id \"{id}\" names a {} and a {}; say which with node = / link = / terminal = / border =",
                        hits[0].kind, hits[1].kind
                    )));
                }
            }
        }
        out.retain(|e| matches(net, sel, *e));
    } else {
        for kind in ElementKind::ALL {
            if sel.kind.is_some_and(|k| k != kind) {
                continue;
            }
            let n = match kind {
                ElementKind::Node => net.nodes.len(),
                ElementKind::Link => net.links.len(),
                ElementKind::Terminal => net.terminals.len(),
                ElementKind::Border => net.borders.len(),
            };
            out.extend(
                (0..n)
                    .map(|index| ElementRef { kind, index })
                    .filter(|e| matches(net, sel, *e)),
            );
        }
    }
    out.sort();
    out.dedup();
    if out.is_empty() {
        return Err(Error::Invalid(format!(
            "the selection {} matches no element",
            describe(sel)
        )));
    }
    Ok(out)
}

fn describe(sel: &Selection) -> String {
    let mut parts = Vec::new();
    for (k, id) in &sel.ids {
        match k {
            Some(k) => parts.push(format!("{k} = \"{id}\"")),
            None => parts.push(format!("id = \"{id}\"")),
        }
    }
    if let Some(k) = sel.kind {
        parts.push(format!("kind = \"{k}\""));
    }
    if let Some(m) = sel.mode {
        parts.push(format!("mode = \"{m}\""));
    }
    if let Some(c) = &sel.country {
        parts.push(format!("country = \"{c}\""));
    }
    if let Some(t) = &sel.tag {
        parts.push(format!("tag = \"{t}\""));
    }
    format!("{{ {} }}", parts.join(", "))
}

fn matches(net: &Network, sel: &Selection, e: ElementRef) -> bool {
    if sel.kind.is_some_and(|k| k != e.kind) {
        return false;
    }
    let country = |n: crate::NodeId| {
        sel.country
            .as_ref()
            .is_none_or(|c| net.node(n).country.eq_ignore_ascii_case(c))
    };
    let tagged = |tags: &[String]| {
        sel.tag
            .as_ref()
            .is_none_or(|t| tags.iter().any(|x| x.eq_ignore_ascii_case(t)))
    };
    match e.kind {
        ElementKind::Node => {
            let n = &net.nodes[e.index];
            sel.mode.is_none() && country(crate::NodeId::from_index(e.index)) && tagged(&n.tags)
        }
        ElementKind::Link => {
            let l = &net.links[e.index];
            sel.mode.is_none_or(|m| m == l.mode)
                && (country(l.from) || country(l.to))
                && tagged(&l.tags)
        }
        ElementKind::Terminal => {
            let t = &net.terminals[e.index];
            sel.mode
                .is_none_or(|m| t.transfers.iter().any(|(a, b)| a.mode == m || b.mode == m))
                && country(t.node)
                && tagged(&t.tags)
        }
        ElementKind::Border => {
            let b = &net.borders[e.index];
            let in_country = sel.country.as_ref().is_none_or(|c| {
                b.countries.iter().any(|x| x.eq_ignore_ascii_case(c)) || country(b.node)
            });
            sel.mode.is_none() && in_country && tagged(&b.tags)
        }
    }
}

fn set_open(net: &mut Network, e: ElementRef, open: bool) {
    match e.kind {
        ElementKind::Node => net.nodes[e.index].open = open,
        ElementKind::Link => net.links[e.index].open = open,
        ElementKind::Terminal => net.terminals[e.index].open = open,
        ElementKind::Border => net.borders[e.index].open = open,
    }
}

fn capacity_mut(net: &mut Network, e: ElementRef) -> &mut Option<f64> {
    match e.kind {
        ElementKind::Node => &mut net.nodes[e.index].capacity_t_per_day,
        ElementKind::Link => &mut net.links[e.index].capacity_t_per_day,
        ElementKind::Terminal => &mut net.terminals[e.index].capacity_t_per_day,
        ElementKind::Border => &mut net.borders[e.index].capacity_t_per_day,
    }
}

fn rule_mut(net: &mut Network, e: ElementRef) -> Result<&mut CommodityRule> {
    Ok(match e.kind {
        ElementKind::Node => {
            return Err(Error::Invalid(format!(
                "node \"{}\" carries no commodity rules (ban the commodity on its links, terminals or borders)",
                net.nodes[e.index].source_id
            )));
        }
        ElementKind::Link => &mut net.links[e.index].commodities,
        ElementKind::Terminal => &mut net.terminals[e.index].commodities,
        ElementKind::Border => &mut net.borders[e.index].commodities,
    })
}

fn element_name(net: &Network, e: ElementRef) -> String {
    let id = match e.kind {
        ElementKind::Node => &net.nodes[e.index].source_id,
        ElementKind::Link => &net.links[e.index].source_id,
        ElementKind::Terminal => &net.terminals[e.index].source_id,
        ElementKind::Border => &net.borders[e.index].source_id,
    };
    format!("{} \"{id}\"", e.kind)
}

fn number(v: &Value, what: &str) -> Result<f64> {
    match v {
        Value::Number(x) if x.is_finite() && *x >= 0.0 => Ok(*x),
        Value::Number(x) => Err(Error::Invalid(format!(
            "{what}: {x} is not a non-negative number"
        ))),
        other => Err(Error::Invalid(format!(
            "{what}: expected a number, got {other:?}"
        ))),
    }
}

fn boolean(v: &Value, what: &str) -> Result<bool> {
    match v {
        Value::Bool(b) => Ok(*b),
        other => Err(Error::Invalid(format!(
            "{what}: expected true or false, got {other:?}"
        ))),
    }
}

fn text(v: &Value, what: &str) -> Result<String> {
    match v {
        Value::Text(s) => Ok(s.clone()),
        other => Err(Error::Invalid(format!(
            "{what}: expected text, got {other:?}"
        ))),
    }
}

fn capacity(v: &Value) -> Result<Option<f64>> {
    match v {
        Value::Unlimited => Ok(None),
        v => number(v, "capacity").map(Some),
    }
}

fn set_value(net: &mut Network, e: ElementRef, attr: &str, v: &Value) -> Result<()> {
    if !settable(e.kind).contains(&attr) {
        return Err(Error::Invalid(format!(
            "{}: unknown attribute \"{attr}\" (a {} has {})",
            element_name(net, e),
            e.kind,
            settable(e.kind).join(", ")
        )));
    }
    let name = element_name(net, e);
    let res: Result<()> = (|| {
        if attr == "capacity" {
            *capacity_mut(net, e) = capacity(v)?;
            return Ok(());
        }
        if attr == "open" {
            set_open(net, e, boolean(v, attr)?);
            return Ok(());
        }
        match e.kind {
            ElementKind::Node => {
                let n = &mut net.nodes[e.index];
                match attr {
                    "name" => n.name = text(v, attr)?,
                    "lon" => n.lon = number_any(v, attr)?,
                    "lat" => n.lat = number_any(v, attr)?,
                    "country" => n.country = text(v, attr)?,
                    _ => unreachable_attr(attr)?,
                }
            }
            ElementKind::Link => {
                let l = &mut net.links[e.index];
                match attr {
                    "speed" => l.speed_kmh = Some(positive(v, attr)?),
                    "hours" => l.hours = Some(number(v, attr)?),
                    "length" => l.length_km = number(v, attr)?,
                    "cost" => l.cost_per_tkm = Some(number(v, attr)?),
                    "co2" => l.co2_kg_per_tkm = Some(number(v, attr)?),
                    "toll" => l.toll = number(v, attr)?,
                    "oneway" => l.oneway = boolean(v, attr)?,
                    "gauge" => {
                        let g = number(v, attr)?;
                        if l.mode != Mode::Rail || g.fract() != 0.0 || g > u16::MAX as f64 {
                            return Err(Error::Invalid(format!(
                                "gauge: {g} is not a whole number of mm on a rail link"
                            )));
                        }
                        l.gauge_mm = Some(g as u16);
                    }
                    _ => unreachable_attr(attr)?,
                }
            }
            ElementKind::Terminal => {
                let t = &mut net.terminals[e.index];
                match attr {
                    "name" => t.name = text(v, attr)?,
                    "cost" => t.handling_cost_per_t = number(v, attr)?,
                    "hours" => t.hours = number(v, attr)?,
                    "co2" => t.co2_kg_per_t = number(v, attr)?,
                    _ => unreachable_attr(attr)?,
                }
            }
            ElementKind::Border => {
                let b = &mut net.borders[e.index];
                match attr {
                    "name" => b.name = text(v, attr)?,
                    "fee" => b.fee_per_t = number(v, attr)?,
                    "dwell_hours" => {
                        let h = number(v, attr)?;
                        b.dwell_hours = ModeTable::from_fn(|_| h);
                    }
                    _ => {
                        let mode: Mode = attr
                            .strip_prefix("dwell_hours.")
                            .and_then(|m| m.parse().ok())
                            .ok_or_else(|| Error::Invalid(format!("unknown attribute {attr}")))?;
                        *b.dwell_hours.get_mut(mode) = number(v, attr)?;
                    }
                }
            }
        }
        Ok(())
    })();
    res.map_err(|err| Error::Invalid(format!("{name}: {err}")))
}

fn number_any(v: &Value, what: &str) -> Result<f64> {
    match v {
        Value::Number(x) if x.is_finite() => Ok(*x),
        other => Err(Error::Invalid(format!(
            "{what}: expected a number, got {other:?}"
        ))),
    }
}

fn positive(v: &Value, what: &str) -> Result<f64> {
    let x = number(v, what)?;
    if x == 0.0 {
        return Err(Error::Invalid(format!("{what}: must be above zero")));
    }
    Ok(x)
}

fn unreachable_attr(attr: &str) -> Result<()> {
    Err(Error::Invalid(format!("unknown attribute \"{attr}\"")))
}

fn node_ref(net: &Network, id: &str) -> Result<crate::NodeId> {
    net.node_id(id).ok_or_else(|| Error::UnknownId {
        kind: "node",
        id: id.to_string(),
    })
}

fn apply_edit(net: &mut Network, edit: &Edit) -> Result<()> {
    match edit {
        Edit::Close(sel) | Edit::Open(sel) => {
            let open = matches!(edit, Edit::Open(_));
            for e in select(net, sel)? {
                set_open(net, e, open);
            }
        }
        Edit::Set { selection, values } => {
            for e in select(net, selection)? {
                for (attr, v) in values {
                    set_value(net, e, attr, v)?;
                }
            }
        }
        Edit::Scale { selection, factor } => {
            if !(factor.is_finite() && *factor >= 0.0) {
                return Err(Error::Invalid(format!(
                    "factor: {factor} is not a non-negative number"
                )));
            }
            for e in select(net, selection)? {
                if let Some(c) = capacity_mut(net, e) {
                    *c *= factor;
                }
            }
        }
        Edit::AddNode(n) => {
            net.add_node(n.clone())?;
        }
        Edit::AddLink(nl) => {
            let from = node_ref(net, &nl.from)?;
            let to = node_ref(net, &nl.to)?;
            if (nl.mode == Mode::Rail) != nl.gauge_mm.is_some() {
                return Err(Error::Invalid(format!(
                    "link \"{}\": gauge: a rail link needs a gauge in mm and other modes have none",
                    nl.id
                )));
            }
            let length = nl.length_km.unwrap_or_else(|| {
                net.great_circle_km(from, to) * net.defaults.get(nl.mode).detour_factor
            });
            let mut l = Link::new(&nl.id, from, to, nl.mode, nl.gauge_mm, length);
            l.speed_kmh = nl.speed_kmh;
            l.hours = nl.hours;
            l.cost_per_tkm = nl.cost_per_tkm;
            l.co2_kg_per_tkm = nl.co2_kg_per_tkm;
            l.capacity_t_per_day = nl.capacity_t_per_day;
            l.oneway = nl.oneway;
            l.tags = nl.tags.clone();
            net.add_link(l)?;
        }
        Edit::AddTerminal(nt) => {
            let node = node_ref(net, &nt.node)?;
            net.add_terminal(Terminal {
                source_id: nt.id.clone(),
                name: nt.name.clone().unwrap_or_else(|| nt.id.clone()),
                node,
                transfers: nt.transfers.clone(),
                handling_cost_per_t: nt.handling_cost_per_t,
                hours: nt.hours,
                co2_kg_per_t: nt.co2_kg_per_t,
                capacity_t_per_day: nt.capacity_t_per_day,
                commodities: CommodityRule::default(),
                open: true,
                tags: nt.tags.clone(),
                source: None,
            })?;
        }
        Edit::AddBorder(nb) => {
            let node = node_ref(net, &nb.node)?;
            net.add_border(Border {
                source_id: nb.id.clone(),
                name: nb.name.clone().unwrap_or_else(|| nb.id.clone()),
                node,
                countries: nb.countries.clone(),
                dwell_hours: nb.dwell_hours.clone(),
                fee_per_t: nb.fee_per_t,
                capacity_t_per_day: nb.capacity_t_per_day,
                commodities: CommodityRule::default(),
                open: true,
                tags: nb.tags.clone(),
                source: None,
            })?;
        }
        Edit::Remove(sel) => {
            let picked = select(net, sel)?;
            let gone = |k: ElementKind, n: usize| {
                let mut v = vec![false; n];
                for e in picked.iter().filter(|e| e.kind == k) {
                    v[e.index] = true;
                }
                v
            };
            let links = gone(ElementKind::Link, net.links.len());
            let terminals = gone(ElementKind::Terminal, net.terminals.len());
            let borders = gone(ElementKind::Border, net.borders.len());
            let nodes = gone(ElementKind::Node, net.nodes.len());
            let mut i = 0;
            net.links.retain(|_| {
                i += 1;
                !links[i - 1]
            });
            i = 0;
            net.terminals.retain(|_| {
                i += 1;
                !terminals[i - 1]
            });
            i = 0;
            net.borders.retain(|_| {
                i += 1;
                !borders[i - 1]
            });
            net.reindex()?;
            if nodes.iter().any(|&x| x) {
                let ids: Vec<String> = net
                    .nodes
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| nodes[*i])
                    .map(|(_, n)| n.source_id.clone())
                    .collect();
                net.retain_nodes(|n| !ids.contains(&n.source_id));
            }
        }
        Edit::Ban {
            selection,
            commodity,
        }
        | Edit::Allow {
            selection,
            commodity,
        } => {
            let known = net
                .commodities
                .iter()
                .any(|c| c.source_id.eq_ignore_ascii_case(commodity))
                || commodity.parse::<crate::CommodityClass>().is_ok();
            if !known {
                return Err(Error::UnknownId {
                    kind: "commodity",
                    id: commodity.clone(),
                });
            }
            let ban = matches!(edit, Edit::Ban { .. });
            for e in select(net, selection)? {
                let rule = rule_mut(net, e)?;
                let same = |x: &String| x.eq_ignore_ascii_case(commodity);
                if ban {
                    if !rule.banned.iter().any(same) {
                        rule.banned.push(commodity.clone());
                    }
                    rule.allowed.retain(|x| !same(x));
                } else {
                    rule.banned.retain(|x| !same(x));
                    if !rule.allowed.is_empty() && !rule.allowed.iter().any(same) {
                        rule.allowed.push(commodity.clone());
                    }
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Commodity, CommodityClass, NodeKind};

    fn base() -> Network {
        let mut n = Network::new("t");
        let mut a = Node::new("odesa", NodeKind::Port, 30.7, 46.5, "UA");
        a.tags.push("black-sea-ports".into());
        a.open = false;
        let a = n.add_node(a).unwrap();
        let b = n
            .add_node(Node::new("kyiv", NodeKind::City, 30.5, 50.4, "UA"))
            .unwrap();
        let c = n
            .add_node(Node::new("dorohusk", NodeKind::Border, 23.8, 51.2, "PL"))
            .unwrap();
        let mut l = Link::new("kyiv-odesa", b, a, Mode::Rail, Some(1520), 480.0);
        l.capacity_t_per_day = Some(100.0);
        n.add_link(l).unwrap();
        let mut l = Link::new("kyiv-dorohusk", b, c, Mode::Road, None, 500.0);
        l.tags.push("pl-road".into());
        n.add_link(l).unwrap();
        n.add_commodity(Commodity::new("grain", CommodityClass::Bulk, 0.1))
            .unwrap();
        n
    }

    fn at(edit: Edit) -> EditAt {
        EditAt {
            edit,
            source: Some(SourceRef {
                file: "s.toml".into(),
                line: 3,
            }),
        }
    }

    fn scenario(edits: Vec<Edit>) -> Scenario {
        Scenario {
            name: "s".into(),
            description: String::new(),
            edits: edits.into_iter().map(at).collect(),
        }
    }

    #[test]
    fn edits_apply_in_order_and_leave_the_base_alone() {
        let net = base();
        let s = scenario(vec![
            Edit::Open(Selection {
                tag: Some("black-sea-ports".into()),
                ..Default::default()
            }),
            Edit::Scale {
                selection: Selection {
                    mode: Some(Mode::Rail),
                    ..Default::default()
                },
                factor: 2.0,
            },
            Edit::Set {
                selection: Selection {
                    ids: vec![(Some(ElementKind::Link), "kyiv-odesa".into())],
                    ..Default::default()
                },
                values: vec![("speed".into(), Value::Number(40.0))],
            },
            Edit::Ban {
                selection: Selection {
                    tag: Some("pl-road".into()),
                    ..Default::default()
                },
                commodity: "grain".into(),
            },
        ]);
        let out = s.apply(&net).unwrap();
        assert!(!net.nodes[0].open, "base untouched");
        assert!(out.nodes[0].open);
        assert_eq!(out.links[0].capacity_t_per_day, Some(200.0));
        assert_eq!(out.links[0].speed_kmh, Some(40.0));
        assert!(!out.links[1].commodities.permits(&out.commodities[0]));
    }

    #[test]
    fn unknown_ids_and_attributes_name_the_line() {
        let net = base();
        let s = scenario(vec![Edit::Close(Selection {
            ids: vec![(None, "nowhere".into())],
            ..Default::default()
        })]);
        let e = s.apply(&net).unwrap_err().to_string();
        assert!(e.starts_with("s.toml:3: "), "{e}");
        assert!(e.contains("\"nowhere\""), "{e}");
        let s = scenario(vec![Edit::Set {
            selection: Selection {
                ids: vec![(None, "kyiv-odesa".into())],
                ..Default::default()
            },
            values: vec![("colour".into(), Value::Text("red".into()))],
        }]);
        let e = s.apply(&net).unwrap_err().to_string();
        assert!(e.contains("unknown attribute \"colour\""), "{e}");
        let s = scenario(vec![Edit::Close(Selection {
            tag: Some("no-such-tag".into()),
            ..Default::default()
        })]);
        assert!(
            s.apply(&net)
                .unwrap_err()
                .to_string()
                .contains("matches no element")
        );
    }

    #[test]
    fn add_then_remove_and_stack() {
        let net = base();
        let a = scenario(vec![Edit::AddLink(NewLink {
            id: "odesa-dorohusk".into(),
            from: "odesa".into(),
            to: "dorohusk".into(),
            mode: Mode::Road,
            gauge_mm: None,
            length_km: None,
            speed_kmh: None,
            hours: None,
            cost_per_tkm: None,
            co2_kg_per_tkm: None,
            capacity_t_per_day: Some(5.0),
            oneway: false,
            tags: vec![],
        })]);
        let b = scenario(vec![Edit::Remove(Selection {
            ids: vec![(Some(ElementKind::Node), "kyiv".into())],
            ..Default::default()
        })]);
        let out = apply_all(&net, &[a, b]).unwrap();
        assert_eq!(out.links.len(), 1);
        assert_eq!(out.links[0].source_id, "odesa-dorohusk");
        assert!(out.links[0].length_km > 0.0);
        assert_eq!(out.nodes.len(), 2);
    }
}
