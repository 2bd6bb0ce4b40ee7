//! The scenario TOML format: an ordered list of `[[edit]]` tables read into
//! a [`corridor_model::Scenario`], with units normalised by [`crate::units`]
//! and each edit's line kept so that applying it can name `file:line`.
//!
//! ```toml
//! [scenario]
//! name = "Black Sea ports restored"
//!
//! [[edit]]
//! action = "open"              # close | open | set | scale | add | remove | ban | allow
//! tag = "black-sea-ports"      # selection: id, node, link, terminal, border, kind, mode, country, tag
//!
//! [[edit]]
//! action = "set"
//! terminal = "izmail-port"
//! capacity = "8 Mt/year"       # attributes: capacity, speed, hours, length, cost, co2, toll, fee, dwell_hours, ...
//! ```
//!
//! This module checks what it can without the network (actions, keys,
//! values, units: a bad one is an error with its line); ids are checked when
//! the scenario is applied, which repeats the edit's line. It applies
//! nothing and knows no graph.

use crate::build::parse_transfer;
use crate::{Error, Result, units};
use corridor_model::quantity::gauge_mm;
use corridor_model::scenario::{
    AttributeKind, Edit, EditAt, ElementKind, NewBorder, NewLink, NewTerminal, Scenario, Selection,
    Value, attribute, attributes,
};
use corridor_model::{Mode, ModeTable, Node, NodeKind, Quantity, SourceRef, Vehicles};
use std::collections::BTreeMap;
use std::path::Path;
use toml::de::{DeTable, DeValue};

/// A value as written, with its line.
#[derive(Clone, Debug)]
enum Raw {
    Str(String),
    Num(f64),
    Bool(bool),
    List(Vec<Raw>),
}

impl Raw {
    fn shown(&self) -> String {
        match self {
            Raw::Str(s) => format!("\"{s}\""),
            Raw::Num(x) => x.to_string(),
            Raw::Bool(b) => b.to_string(),
            Raw::List(v) => format!(
                "[{}]",
                v.iter().map(Raw::shown).collect::<Vec<_>>().join(", ")
            ),
        }
    }
    /// The text of a string or number, for unit parsers.
    fn text(&self) -> Option<String> {
        match self {
            Raw::Str(s) => Some(s.clone()),
            Raw::Num(x) => Some(x.to_string()),
            _ => None,
        }
    }
    fn strings(&self) -> Option<Vec<String>> {
        match self {
            Raw::Str(s) => Some(vec![s.clone()]),
            Raw::List(v) => v
                .iter()
                .map(|x| match x {
                    Raw::Str(s) => Some(s.clone()),
                    _ => None,
                })
                .collect(),
            _ => None,
        }
    }
}

const ACTIONS: &str = "close, open, set, scale, reserve, add, remove, ban, allow";
const SELECTION_KEYS: [&str; 9] = [
    "id", "node", "link", "terminal", "border", "kind", "mode", "country", "tag",
];

/// Reads a scenario file. `vehicles` turns `trains/day` and the like into
/// tonnes (use the network's own).
pub fn read_scenario(path: &Path, vehicles: &Vehicles) -> Result<Scenario> {
    let text = crate::error::read_utf8(path)?;
    parse_scenario(&text, &path.display().to_string(), vehicles)
}

/// Parses scenario text; `file` is how errors name it.
pub fn parse_scenario(text: &str, file: &str, vehicles: &Vehicles) -> Result<Scenario> {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| starts.partition_point(|&s| s <= offset) as u64;
    let err = |line: u64, message: String| Error::Scenario {
        file: file.to_string(),
        line,
        message,
    };
    let doc = DeTable::parse(text).map_err(|e| Error::Syntax {
        file: file.to_string(),
        line: e.span().map_or(1, |s| line_of(s.start)),
        message: e.message().trim().to_string(),
    })?;
    let stem = Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| file.to_string());
    let mut scenario = Scenario {
        name: stem,
        ..Default::default()
    };
    for (key, value) in doc.get_ref().iter() {
        let line = line_of(key.span().start);
        match key.get_ref().as_ref() {
            "scenario" => {
                let DeValue::Table(t) = value.get_ref() else {
                    return Err(err(line, "[scenario] must be a table".into()));
                };
                for (k, v) in t.iter() {
                    let l = line_of(k.span().start);
                    match (k.get_ref().as_ref(), v.get_ref()) {
                        ("name", DeValue::String(s)) => scenario.name = s.to_string(),
                        ("description", DeValue::String(s)) => scenario.description = s.to_string(),
                        (other, _) => {
                            return Err(err(
                                l,
                                format!(
                                    "[scenario]: unknown key \"{other}\" (expected name, description as text)"
                                ),
                            ));
                        }
                    }
                }
            }
            "edit" | "edits" => {
                let DeValue::Array(items) = value.get_ref() else {
                    return Err(err(line, "edits are written as [[edit]] tables".into()));
                };
                for item in items.iter() {
                    let item_line = line_of(item.span().start);
                    let DeValue::Table(t) = item.get_ref() else {
                        return Err(err(item_line, "an edit must be a table".into()));
                    };
                    let mut fields = BTreeMap::new();
                    flatten("", t, &line_of, &mut fields);
                    let n = scenario.edits.len() + 1;
                    let edit = parse_edit(&fields, vehicles).map_err(|e| {
                        let what = e.label.map(|l| format!(" ({l})")).unwrap_or_default();
                        let line = e.line.unwrap_or(item_line);
                        err(line, format!("edit {n}{what}: {}", e.message))
                    })?;
                    scenario.edits.push(EditAt {
                        edit,
                        source: Some(SourceRef {
                            file: file.to_string().into(),
                            line: item_line,
                        }),
                    });
                }
            }
            other => {
                return Err(err(
                    line,
                    format!("unknown section \"{other}\" (expected [scenario] and [[edit]])"),
                ));
            }
        }
    }
    if scenario.edits.is_empty() {
        return Err(err(1, "the scenario has no [[edit]]".into()));
    }
    Ok(scenario)
}

fn flatten(
    prefix: &str,
    t: &DeTable<'_>,
    line_of: &impl Fn(usize) -> u64,
    out: &mut BTreeMap<String, (Raw, u64)>,
) {
    for (k, v) in t.iter() {
        let key = if prefix.is_empty() {
            k.get_ref().to_string()
        } else {
            format!("{prefix}.{}", k.get_ref())
        };
        match v.get_ref() {
            DeValue::Table(inner) => flatten(&key, inner, line_of, out),
            other => {
                out.insert(key, (raw(other), line_of(k.span().start)));
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
        DeValue::Float(f) => f
            .as_str()
            .replace('_', "")
            .parse()
            .map(Raw::Num)
            .unwrap_or_else(|_| Raw::Str(f.as_str().to_string())),
        DeValue::Boolean(b) => Raw::Bool(*b),
        DeValue::Array(a) => Raw::List(a.iter().map(|x| raw(x.get_ref())).collect()),
        other => Raw::Str(format!("{other:?}")),
    }
}

/// A message and, when known, the line of the field at fault.
type FieldError = (Option<u64>, String);

/// An error in one edit: the field's line and what the edit does, when
/// known (`set node "odesa"`, as applying the edit would name it too).
struct EditError {
    line: Option<u64>,
    label: Option<String>,
    message: String,
}

impl From<FieldError> for EditError {
    fn from((line, message): FieldError) -> Self {
        Self {
            line,
            label: None,
            message,
        }
    }
}

/// Attaches the edit's label to a field error.
fn labelled(label: &str) -> impl Fn(FieldError) -> EditError + '_ {
    move |(line, message)| EditError {
        line,
        label: Some(label.to_string()),
        message,
    }
}

/// `key: message`, with the value as written in front unless the message
/// already starts with it (`lat: 999 is outside -90..90 ...`).
fn value_error(key: &str, r: &Raw, message: &str) -> String {
    let names_value = message.contains(&r.shown())
        || r.text()
            .is_some_and(|t| message.starts_with(&format!("{t} ")));
    if names_value {
        format!("{key}: {message}")
    } else {
        format!("{key}: {}: {message}", r.shown())
    }
}

struct Fields<'a> {
    map: &'a BTreeMap<String, (Raw, u64)>,
    used: Vec<&'a str>,
}

impl<'a> Fields<'a> {
    fn get(&mut self, key: &'a str) -> Option<&'a (Raw, u64)> {
        let v = self.map.get(key);
        if v.is_some() {
            self.used.push(key);
        }
        v
    }
    fn line(&self, key: &str) -> Option<u64> {
        self.map.get(key).map(|x| x.1)
    }
    fn text(&mut self, key: &'a str) -> Result<Option<String>, FieldError> {
        match self.get(key) {
            None => Ok(None),
            Some((Raw::Str(s), _)) => Ok(Some(s.clone())),
            Some((r, l)) => Err((Some(*l), format!("{key}: {} is not text", r.shown()))),
        }
    }
    fn required_text(&mut self, key: &'a str) -> Result<String, FieldError> {
        self.text(key)?
            .ok_or_else(|| (None, format!("{key}: missing required field")))
    }
    fn value<T>(
        &mut self,
        key: &'a str,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Result<Option<T>, FieldError> {
        match self.get(key) {
            None => Ok(None),
            Some((r, l)) => {
                let s = r
                    .text()
                    .ok_or_else(|| (Some(*l), format!("{key}: {} is not a value", r.shown())))?;
                parse(&s)
                    .map(Some)
                    .map_err(|e| (Some(*l), value_error(key, r, &e)))
            }
        }
    }
    /// A number of `quantity` in planners' units, range checked.
    fn quantity(
        &mut self,
        key: &'a str,
        quantity: Quantity,
        vehicles: &Vehicles,
    ) -> Result<Option<f64>, FieldError> {
        self.value(key, |s| units::parse(quantity, s, vehicles))
    }
    fn required_quantity(
        &mut self,
        key: &'a str,
        quantity: Quantity,
        vehicles: &Vehicles,
    ) -> Result<f64, FieldError> {
        self.quantity(key, quantity, vehicles)?
            .ok_or_else(|| (None, format!("{key}: missing required field")))
    }
    fn flag(&mut self, key: &'a str) -> Result<Option<bool>, FieldError> {
        match self.get(key) {
            None => Ok(None),
            Some((Raw::Bool(b), _)) => Ok(Some(*b)),
            Some((r, l)) => Err((
                Some(*l),
                format!("{key}: {} is not true or false", r.shown()),
            )),
        }
    }
    fn strings(&mut self, key: &'a str) -> Result<Vec<String>, FieldError> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some((r, l)) => r.strings().ok_or_else(|| {
                (
                    Some(*l),
                    format!("{key}: {} is not text or a list of text", r.shown()),
                )
            }),
        }
    }
    /// Every key not read yet is an error naming its line.
    fn finish(&self, what: &str, allowed: &[&str]) -> Result<(), FieldError> {
        for (k, (_, l)) in self.map {
            if !self.used.contains(&k.as_str()) {
                return Err((
                    Some(*l),
                    format!(
                        "unknown attribute \"{k}\" for {what} (expected {})",
                        allowed.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }
}

fn parse_edit(map: &BTreeMap<String, (Raw, u64)>, vehicles: &Vehicles) -> Result<Edit, EditError> {
    let mut f = Fields {
        map,
        used: Vec::new(),
    };
    let action = f
        .text("action")?
        .ok_or_else(|| (None, format!("missing \"action\" (one of {ACTIONS})")))?;
    let action = action.to_ascii_lowercase();
    if action == "add" {
        return parse_add(&mut f, vehicles);
    }
    let selection = parse_selection(&mut f)?;
    let canonical = if action == "restore" { "open" } else { &action };
    let label = format!("{canonical} {selection}");
    let edit = match action.as_str() {
        "close" => Edit::Close(selection),
        "open" | "restore" => Edit::Open(selection),
        "remove" => Edit::Remove(selection),
        "scale" => {
            let factor = f
                .quantity("factor", Quantity::Amount, vehicles)
                .and_then(|x| {
                    x.ok_or_else(|| {
                        (
                            None,
                            "factor: missing required field (e.g. factor = 1.5)".to_string(),
                        )
                    })
                })
                .map_err(labelled(&label))?;
            Edit::Scale { selection, factor }
        }
        "reserve" => {
            let t_per_day = f
                .required_quantity("background", Quantity::Capacity, vehicles)
                .map_err(labelled(&label))?;
            Edit::Reserve {
                selection,
                t_per_day,
            }
        }
        "ban" | "allow" => {
            let commodity = f.required_text("commodity").map_err(labelled(&label))?;
            if action == "ban" {
                Edit::Ban {
                    selection,
                    commodity,
                }
            } else {
                Edit::Allow {
                    selection,
                    commodity,
                }
            }
        }
        "set" => {
            let values = set_values(&mut f, &selection, vehicles).map_err(labelled(&label))?;
            Edit::Set { selection, values }
        }
        other => {
            return Err(EditError {
                line: f.line("action"),
                label: None,
                message: format!("unknown action \"{other}\" (expected {ACTIONS})"),
            });
        }
    };
    let mut allowed: Vec<&str> = vec!["action"];
    allowed.extend(SELECTION_KEYS);
    match &edit {
        Edit::Scale { .. } => allowed.push("factor"),
        Edit::Reserve { .. } => allowed.push("background"),
        Edit::Ban { .. } | Edit::Allow { .. } => allowed.push("commodity"),
        _ => {}
    }
    f.finish(&format!("a {action} edit"), &allowed)
        .map_err(labelled(&label))?;
    Ok(edit)
}

/// The attributes of a `set` edit, in file order, each parsed by what the
/// selected kinds say it holds and checked against its range.
fn set_values(
    f: &mut Fields<'_>,
    selection: &Selection,
    vehicles: &Vehicles,
) -> Result<Vec<(String, Value)>, FieldError> {
    let kinds: Vec<ElementKind> = match selection.kind {
        Some(k) => vec![k],
        None => {
            let named: Vec<ElementKind> = selection.ids.iter().filter_map(|(k, _)| *k).collect();
            if named.is_empty() {
                ElementKind::ALL.to_vec()
            } else {
                named
            }
        }
    };
    let mut allowed: Vec<&str> = kinds
        .iter()
        .flat_map(|&k| attributes(k).iter().map(|a| a.name))
        .collect();
    allowed.sort_unstable();
    allowed.dedup();
    let mut values = Vec::new();
    let map = f.map;
    for (k, (r, l)) in map {
        if k == "action" || SELECTION_KEYS.contains(&k.as_str()) {
            continue;
        }
        // An attribute holds the same kind of value on every kind of
        // element that has it (`capacity`, `hours`, `open`, ...).
        let Some(a) = kinds.iter().find_map(|&kind| attribute(kind, k)) else {
            let what = kinds
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(" or ");
            return Err((
                Some(*l),
                format!(
                    "unknown attribute \"{k}\" for a {what} (expected {})",
                    allowed.join(", ")
                ),
            ));
        };
        f.used.push(k.as_str());
        let v =
            attribute_value(a.kind, r, vehicles).map_err(|m| (Some(*l), value_error(k, r, &m)))?;
        values.push((k.clone(), v));
    }
    if values.is_empty() {
        return Err((
            None,
            "a set edit needs at least one attribute (e.g. capacity = \"10 Mt/year\")".into(),
        ));
    }
    Ok(values)
}

/// A value for `set`, in model units and in range.
fn attribute_value(kind: AttributeKind, r: &Raw, vehicles: &Vehicles) -> Result<Value, String> {
    let text = || {
        r.text()
            .ok_or_else(|| "expected a number or text".to_string())
    };
    Ok(match kind {
        AttributeKind::Number(Quantity::Capacity)
            if text().is_ok_and(|s| {
                ["unlimited", "none", "inf"].contains(&s.trim().to_ascii_lowercase().as_str())
            }) =>
        {
            Value::Unlimited
        }
        AttributeKind::Number(q) => Value::Number(units::parse(q, &text()?, vehicles)?),
        AttributeKind::Gauge => Value::Number(f64::from(gauge(&text()?)?)),
        AttributeKind::Flag => match r {
            Raw::Bool(b) => Value::Bool(*b),
            _ => return Err("expected true or false".into()),
        },
        AttributeKind::Text => match r {
            Raw::Str(s) => Value::Text(s.clone()),
            _ => return Err("expected text".into()),
        },
    })
}

fn gauge(s: &str) -> Result<u16, String> {
    gauge_mm(units::parse_number(s)?)
}

fn parse_selection<'a>(f: &mut Fields<'a>) -> Result<Selection, FieldError> {
    let mut sel = Selection::default();
    for id in f.strings("id")? {
        sel.ids.push((None, id));
    }
    for k in ElementKind::ALL {
        for id in f.strings(k.as_str())? {
            sel.ids.push((Some(k), id));
        }
    }
    if let Some(k) = f.text("kind")? {
        sel.kind = Some(ElementKind::parse(&k).ok_or_else(|| {
            (
                f.line("kind"),
                format!("kind: \"{k}\": expected node, link, terminal or border"),
            )
        })?);
    }
    if let Some(m) = f.text("mode")? {
        sel.mode = Some(
            m.parse::<Mode>()
                .map_err(|e| (f.line("mode"), format!("mode: {e}")))?,
        );
    }
    sel.country = f.text("country")?;
    sel.tag = f.text("tag")?;
    if sel == Selection::default() {
        return Err((
            None,
            "no selection: say which elements with id, node, link, terminal, border, kind, mode, country or tag".into(),
        ));
    }
    Ok(sel)
}

/// An `add` edit: which kind of element it adds is the key that names it
/// (`link = `, `terminal = `, `border = `, `node = `, tried in that order
/// since an added terminal or border also names its node).
fn parse_add(f: &mut Fields<'_>, vehicles: &Vehicles) -> Result<Edit, EditError> {
    let kinds = [
        ElementKind::Link,
        ElementKind::Terminal,
        ElementKind::Border,
        ElementKind::Node,
    ];
    for kind in kinds {
        let Some(id) = f.text(kind.as_str())? else {
            continue;
        };
        let label = format!("add {kind} \"{id}\"");
        let edit = match kind {
            ElementKind::Link => add_link(f, id, vehicles),
            ElementKind::Terminal => add_terminal(f, id, vehicles),
            ElementKind::Border => add_border(f, id, vehicles),
            ElementKind::Node => add_node(f, id, vehicles),
        };
        return edit.map_err(labelled(&label));
    }
    Err(EditError::from((
        None,
        "an add edit names the new element with link = , terminal = , border = or node = "
            .to_string(),
    )))
}

fn add_link(f: &mut Fields<'_>, id: String, vehicles: &Vehicles) -> Result<Edit, FieldError> {
    let mode: Mode = f
        .value("mode", |s| s.parse())?
        .ok_or_else(|| (None, "mode: missing required field".to_string()))?;
    let edit = Edit::AddLink(NewLink {
        id,
        from: f.required_text("from")?,
        to: f.required_text("to")?,
        mode,
        gauge_mm: f.value("gauge", gauge)?,
        length_km: f.quantity("length", Quantity::Length, vehicles)?,
        speed_kmh: f.quantity("speed", Quantity::Speed, vehicles)?,
        hours: f.quantity("hours", Quantity::Hours, vehicles)?,
        cost_per_tkm: f.quantity("cost", Quantity::Amount, vehicles)?,
        co2_kg_per_tkm: f.quantity("co2", Quantity::Amount, vehicles)?,
        capacity_t_per_day: f.quantity("capacity", Quantity::Capacity, vehicles)?,
        oneway: f.flag("oneway")?.unwrap_or(false),
        tags: f.strings("tags")?,
    });
    f.finish(
        "an added link",
        &[
            "action", "link", "from", "to", "mode", "gauge", "length", "speed", "hours", "cost",
            "co2", "capacity", "oneway", "tags",
        ],
    )?;
    Ok(edit)
}

fn add_terminal(f: &mut Fields<'_>, id: String, vehicles: &Vehicles) -> Result<Edit, FieldError> {
    let mut transfers = Vec::new();
    for c in f.strings("connects")? {
        transfers
            .push(parse_transfer(&c).map_err(|e| (f.line("connects"), format!("connects: {e}")))?);
    }
    if transfers.is_empty() {
        return Err((
            None,
            "connects: missing required field (e.g. connects = [\"rail:1520 <-> rail:1435\"])"
                .into(),
        ));
    }
    let edit = Edit::AddTerminal(NewTerminal {
        id,
        name: f.text("name")?,
        node: f.required_text("node")?,
        transfers,
        handling_cost_per_t: f
            .quantity("handling_cost", Quantity::Amount, vehicles)?
            .unwrap_or(0.0),
        hours: f
            .quantity("hours", Quantity::Hours, vehicles)?
            .unwrap_or(0.0),
        co2_kg_per_t: f
            .quantity("co2_per_t", Quantity::Amount, vehicles)?
            .unwrap_or(0.0),
        capacity_t_per_day: f.quantity("capacity", Quantity::Capacity, vehicles)?,
        tags: f.strings("tags")?,
    });
    f.finish(
        "an added terminal",
        &[
            "action",
            "terminal",
            "name",
            "node",
            "connects",
            "handling_cost",
            "hours",
            "co2_per_t",
            "capacity",
            "tags",
        ],
    )?;
    Ok(edit)
}

fn add_border(f: &mut Fields<'_>, id: String, vehicles: &Vehicles) -> Result<Edit, FieldError> {
    let countries = f.strings("countries")?;
    let [a, b] = countries.as_slice() else {
        return Err((
            f.line("countries"),
            "countries: expected two country codes, e.g. [\"UA\", \"RO\"]".into(),
        ));
    };
    let all = f
        .quantity("dwell_hours", Quantity::Hours, vehicles)?
        .unwrap_or(0.0);
    let mut dwell = ModeTable::from_fn(|_| all);
    for m in Mode::ALL {
        let key: &'static str = match m {
            Mode::Road => "dwell_hours.road",
            Mode::Rail => "dwell_hours.rail",
            Mode::Sea => "dwell_hours.sea",
            Mode::River => "dwell_hours.river",
        };
        if let Some(h) = f.quantity(key, Quantity::Hours, vehicles)? {
            *dwell.get_mut(m) = h;
        }
    }
    let edit = Edit::AddBorder(NewBorder {
        id,
        name: f.text("name")?,
        node: f.required_text("node")?,
        countries: [a.clone(), b.clone()],
        dwell_hours: dwell,
        fee_per_t: f
            .quantity("fee", Quantity::Amount, vehicles)?
            .unwrap_or(0.0),
        capacity_t_per_day: f.quantity("capacity", Quantity::Capacity, vehicles)?,
        tags: f.strings("tags")?,
    });
    f.finish(
        "an added border",
        &[
            "action",
            "border",
            "name",
            "node",
            "countries",
            "dwell_hours",
            "dwell_hours.MODE",
            "fee",
            "capacity",
            "tags",
        ],
    )?;
    Ok(edit)
}

fn add_node(f: &mut Fields<'_>, id: String, vehicles: &Vehicles) -> Result<Edit, FieldError> {
    let kind = f
        .value("kind", |s| s.parse::<NodeKind>())?
        .unwrap_or(NodeKind::Junction);
    let lon = f.required_quantity("lon", Quantity::Longitude, vehicles)?;
    let lat = f.required_quantity("lat", Quantity::Latitude, vehicles)?;
    let country = f.required_text("country")?;
    let mut n = Node::new(&id, kind, lon, lat, &country);
    if let Some(name) = f.text("name")? {
        n.name = name.into();
    }
    n.capacity_t_per_day = f.quantity("capacity", Quantity::Capacity, vehicles)?;
    n.tags = f.strings("tags")?;
    f.finish(
        "an added node",
        &[
            "action", "node", "name", "kind", "lon", "lat", "country", "capacity", "tags",
        ],
    )?;
    Ok(Edit::AddNode(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Scenario> {
        parse_scenario(text, "s.toml", &Vehicles::default())
    }

    #[test]
    fn reads_edits_with_units_and_lines() {
        let s = parse(
            "[scenario]\nname = \"x\"\n\n[[edit]]\naction = \"open\"\ntag = \"black-sea-ports\"\n\n[[edit]]\naction = \"set\"\nterminal = \"t1\"\ncapacity = \"3.65 Mt/year\"\n",
        )
        .unwrap();
        assert_eq!(s.name, "x");
        assert_eq!(s.edits.len(), 2);
        assert_eq!(s.edits[1].source.as_ref().unwrap().line, 8);
        let Edit::Set { values, .. } = &s.edits[1].edit else {
            panic!("not a set")
        };
        assert_eq!(values[0].0, "capacity");
        assert_eq!(values[0].1, Value::Number(10_000.0));
    }

    #[test]
    fn reserve_reads_background_in_planners_units() {
        let s = parse(
            "[[edit]]\naction = \"reserve\"\nborder = \"b1\"\nbackground = \"3.65 Mt/year\"\n",
        )
        .unwrap();
        let Edit::Reserve { t_per_day, .. } = &s.edits[0].edit else {
            panic!("not a reserve")
        };
        assert_eq!(*t_per_day, 10_000.0);
        let e = parse("[[edit]]\naction = \"reserve\"\nborder = \"b1\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("background: missing required field"), "{e}");
        let e =
            parse("[[edit]]\naction = \"reserve\"\nborder = \"b1\"\nbackground = \"-5 t/day\"\n")
                .unwrap_err()
                .to_string();
        assert!(e.starts_with("s.toml:4: "), "{e}");
    }

    #[test]
    fn bad_input_names_the_line() {
        let e = parse("[[edit]]\naction = \"set\"\nlink = \"l1\"\ncolour = \"red\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("s.toml:4: "), "{e}");
        assert!(e.contains("unknown attribute \"colour\""), "{e}");
        let e = parse("[[edit]]\naction = \"set\"\nlink = \"l1\"\ncapacity = \"12 Mt/yaer\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("s.toml:4: ") && e.contains("unknown unit \"Mt/yaer\""),
            "{e}"
        );
        let e = parse("[[edit]]\naction = \"scale\"\ntag = \"x\"\nfactor = \"lots\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("s.toml:4: ") && e.contains("not a number"),
            "{e}"
        );
        let e = parse("[[edit]]\naction = \"explode\"\ntag = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown action \"explode\""), "{e}");
    }
}
