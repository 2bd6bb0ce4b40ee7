//! What a `set` edit may change on each kind of element, what each
//! attribute holds, and setting one value on one element. The table is what
//! the scenario reader parses units by and what an edit is checked against,
//! so a value out of range is refused by both, with the words of
//! [`Quantity::check`] that the network readers use too.

use super::{ElementKind, ElementRef, Value};
use crate::mode::{Mode, ModeTable};
use crate::network::Network;
use crate::quantity::{Quantity, gauge_mm};

/// What an attribute holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttributeKind {
    Text,
    Flag,
    /// A number of this quantity; a [`Quantity::Capacity`] may also be
    /// [`Value::Unlimited`].
    Number(Quantity),
    /// A rail gauge in whole mm (rail links only).
    Gauge,
}

/// One attribute a `set` edit may change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attribute {
    pub name: &'static str,
    pub kind: AttributeKind,
}

const fn attr(name: &'static str, kind: AttributeKind) -> Attribute {
    Attribute { name, kind }
}

use AttributeKind::{Flag, Gauge, Number, Text};

const NODE: [Attribute; 6] = [
    attr("name", Text),
    attr("capacity", Number(Quantity::Capacity)),
    attr("open", Flag),
    attr("lon", Number(Quantity::Longitude)),
    attr("lat", Number(Quantity::Latitude)),
    attr("country", Text),
];
const LINK: [Attribute; 10] = [
    attr("capacity", Number(Quantity::Capacity)),
    attr("speed", Number(Quantity::Speed)),
    attr("hours", Number(Quantity::Hours)),
    attr("length", Number(Quantity::Length)),
    attr("cost", Number(Quantity::Amount)),
    attr("co2", Number(Quantity::Amount)),
    attr("toll", Number(Quantity::Amount)),
    attr("oneway", Flag),
    attr("open", Flag),
    attr("gauge", Gauge),
];
const TERMINAL: [Attribute; 6] = [
    attr("name", Text),
    attr("capacity", Number(Quantity::Capacity)),
    attr("cost", Number(Quantity::Amount)),
    attr("hours", Number(Quantity::Hours)),
    attr("co2", Number(Quantity::Amount)),
    attr("open", Flag),
];
const BORDER: [Attribute; 9] = [
    attr("name", Text),
    attr("capacity", Number(Quantity::Capacity)),
    attr("fee", Number(Quantity::Amount)),
    attr("dwell_hours", Number(Quantity::Hours)),
    attr("dwell_hours.road", Number(Quantity::Hours)),
    attr("dwell_hours.rail", Number(Quantity::Hours)),
    attr("dwell_hours.sea", Number(Quantity::Hours)),
    attr("dwell_hours.river", Number(Quantity::Hours)),
    attr("open", Flag),
];

/// What a `set` may change on a kind of element, in the order docs list it.
pub fn attributes(kind: ElementKind) -> &'static [Attribute] {
    match kind {
        ElementKind::Node => &NODE,
        ElementKind::Link => &LINK,
        ElementKind::Terminal => &TERMINAL,
        ElementKind::Border => &BORDER,
    }
}

/// The attribute `name` of a kind of element, if it has one.
pub fn attribute(kind: ElementKind, name: &str) -> Option<Attribute> {
    attributes(kind).iter().copied().find(|a| a.name == name)
}

impl AttributeKind {
    /// `v` when it fits this attribute: the right type, a number in its
    /// quantity's range, a whole gauge.
    pub fn check(self, v: &Value) -> Result<Value, String> {
        match (self, v) {
            (Text, Value::Text(_)) | (Flag, Value::Bool(_)) => Ok(v.clone()),
            (Number(Quantity::Capacity), Value::Unlimited) => Ok(Value::Unlimited),
            (Number(q), Value::Number(x)) => q.check(*x).map(Value::Number),
            (Gauge, Value::Number(x)) => gauge_mm(*x).map(|g| Value::Number(f64::from(g))),
            (Text, other) => Err(format!("expected text, got {}", shown(other))),
            (Flag, other) => Err(format!("expected true or false, got {}", shown(other))),
            (Number(_) | Gauge, other) => Err(format!("expected a number, got {}", shown(other))),
        }
    }
}

fn shown(v: &Value) -> String {
    match v {
        Value::Number(x) => x.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Text(s) => format!("\"{s}\""),
        Value::Unlimited => "unlimited".to_string(),
    }
}

/// Sets `name` to `v` on one element, after checking that the element has
/// the attribute and `v` fits it. The error names the attribute
/// (`lat: 999 is outside -90..90 ...`); the caller names the element.
pub(super) fn set_value(
    net: &mut Network,
    e: ElementRef,
    name: &str,
    v: &Value,
) -> Result<(), String> {
    let Some(a) = attribute(e.kind, name) else {
        let known: Vec<&str> = attributes(e.kind).iter().map(|a| a.name).collect();
        return Err(format!(
            "unknown attribute \"{name}\" (a {} has {})",
            e.kind,
            known.join(", ")
        ));
    };
    let v = a.kind.check(v).map_err(|m| format!("{name}: {m}"))?;
    match e.kind {
        ElementKind::Node => set_node(net, e.index, name, v),
        ElementKind::Link => set_link(net, e.index, name, v),
        ElementKind::Terminal => set_terminal(net, e.index, name, v),
        ElementKind::Border => set_border(net, e.index, name, v),
    }
}

/// A capacity as checked: `None` is unlimited.
fn limit(v: &Value) -> Option<f64> {
    match v {
        Value::Number(x) => Some(*x),
        _ => None,
    }
}

/// The table lists an attribute its setter does not handle, or the check
/// let through a value of the wrong type: a bug here, said rather than
/// panicked.
fn not_settable(name: &str, v: &Value) -> Result<(), String> {
    Err(format!("{name}: cannot be set to {}", shown(v)))
}

fn set_node(net: &mut Network, i: usize, name: &str, v: Value) -> Result<(), String> {
    let n = &mut net.nodes[i];
    match (name, v) {
        ("name", Value::Text(s)) => n.name = s.into(),
        ("capacity", v) => n.capacity_t_per_day = limit(&v),
        ("open", Value::Bool(b)) => n.open = b,
        ("lon", Value::Number(x)) => n.lon = x,
        ("lat", Value::Number(x)) => n.lat = x,
        ("country", Value::Text(s)) => n.country = s.into(),
        (name, v) => return not_settable(name, &v),
    }
    Ok(())
}

fn set_link(net: &mut Network, i: usize, name: &str, v: Value) -> Result<(), String> {
    let l = &mut net.links[i];
    match (name, v) {
        ("capacity", v) => l.capacity_t_per_day = limit(&v),
        ("speed", Value::Number(x)) => l.speed_kmh = Some(x),
        ("hours", Value::Number(x)) => l.hours = Some(x),
        ("length", Value::Number(x)) => l.length_km = x,
        ("cost", Value::Number(x)) => l.cost_per_tkm = Some(x),
        ("co2", Value::Number(x)) => l.co2_kg_per_tkm = Some(x),
        ("toll", Value::Number(x)) => l.toll = x,
        ("oneway", Value::Bool(b)) => l.oneway = b,
        ("open", Value::Bool(b)) => l.open = b,
        ("gauge", Value::Number(g)) => {
            if l.mode != Mode::Rail {
                return Err(format!("gauge: a {} link has no gauge", l.mode));
            }
            // A whole number of mm within u16: checked by `gauge_mm`.
            l.gauge_mm = Some(g as u16);
        }
        (name, v) => return not_settable(name, &v),
    }
    Ok(())
}

fn set_terminal(net: &mut Network, i: usize, name: &str, v: Value) -> Result<(), String> {
    let t = &mut net.terminals[i];
    match (name, v) {
        ("name", Value::Text(s)) => t.name = s,
        ("capacity", v) => t.capacity_t_per_day = limit(&v),
        ("cost", Value::Number(x)) => t.handling_cost_per_t = x,
        ("hours", Value::Number(x)) => t.hours = x,
        ("co2", Value::Number(x)) => t.co2_kg_per_t = x,
        ("open", Value::Bool(b)) => t.open = b,
        (name, v) => return not_settable(name, &v),
    }
    Ok(())
}

fn set_border(net: &mut Network, i: usize, name: &str, v: Value) -> Result<(), String> {
    let b = &mut net.borders[i];
    let mode: Option<Mode> = name
        .strip_prefix("dwell_hours.")
        .and_then(|m| m.parse().ok());
    match (name, v) {
        ("name", Value::Text(s)) => b.name = s,
        ("capacity", v) => b.capacity_t_per_day = limit(&v),
        ("fee", Value::Number(x)) => b.fee_per_t = x,
        ("open", Value::Bool(o)) => b.open = o,
        ("dwell_hours", Value::Number(h)) => b.dwell_hours = ModeTable::from_fn(|_| h),
        (_, Value::Number(h)) if mode.is_some() => {
            if let Some(mode) = mode {
                *b.dwell_hours.get_mut(mode) = h;
            }
        }
        (name, v) => return not_settable(name, &v),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Border, Link, Node, NodeKind, Terminal};

    /// One element of each kind, the link on rail so it takes a gauge.
    fn one_of_each() -> Network {
        let mut n = Network::new("t");
        let a = n
            .add_node(Node::new("a", NodeKind::City, 0.0, 0.0, "UA"))
            .unwrap();
        let b = n
            .add_node(Node::new("b", NodeKind::City, 1.0, 0.0, "PL"))
            .unwrap();
        n.add_link(Link::new("ab", a, b, Mode::Rail, Some(1520), 10.0))
            .unwrap();
        n.add_terminal(Terminal {
            source_id: "t".into(),
            name: "t".into(),
            node: a,
            transfers: vec![],
            handling_cost_per_t: 0.0,
            hours: 0.0,
            co2_kg_per_t: 0.0,
            capacity_t_per_day: None,
            commodities: Default::default(),
            open: true,
            tags: vec![],
            source: None,
        })
        .unwrap();
        n.add_border(Border {
            source_id: "x".into(),
            name: "x".into(),
            node: b,
            countries: ["UA".into(), "PL".into()],
            dwell_hours: ModeTable::from_fn(|_| 0.0),
            fee_per_t: 0.0,
            capacity_t_per_day: None,
            commodities: Default::default(),
            open: true,
            tags: vec![],
            source: None,
        })
        .unwrap();
        n
    }

    /// Every attribute in the table has a setter that takes a value of its
    /// kind, so the table and the setters cannot drift apart.
    #[test]
    fn every_listed_attribute_can_be_set() {
        let mut net = one_of_each();
        for kind in ElementKind::ALL {
            let e = ElementRef { kind, index: 0 };
            for a in attributes(kind) {
                let v = match a.kind {
                    Text => Value::Text("z".into()),
                    Flag => Value::Bool(false),
                    Number(_) => Value::Number(2.0),
                    Gauge => Value::Number(1435.0),
                };
                set_value(&mut net, e, a.name, &v).unwrap();
            }
        }
        assert_eq!(net.links[0].gauge_mm, Some(1435));
        assert_eq!(net.borders[0].dwell_hours.river, 2.0);
        assert_eq!(net.nodes[0].lat, 2.0);
    }

    #[test]
    fn values_out_of_range_or_of_the_wrong_type_are_refused() {
        let mut net = one_of_each();
        let node = ElementRef {
            kind: ElementKind::Node,
            index: 0,
        };
        let link = ElementRef {
            kind: ElementKind::Link,
            index: 0,
        };
        let e = set_value(&mut net, node, "lat", &Value::Number(999.0)).unwrap_err();
        assert_eq!(e, "lat: 999 is outside -90..90 (are lon and lat swapped?)");
        let e = set_value(&mut net, link, "speed", &Value::Number(f64::NAN)).unwrap_err();
        assert_eq!(e, "speed: NaN is not a finite number");
        let e = set_value(&mut net, link, "capacity", &Value::Number(-5.0)).unwrap_err();
        assert_eq!(e, "capacity: -5 must not be negative");
        let e = set_value(&mut net, link, "speed", &Value::Unlimited).unwrap_err();
        assert_eq!(e, "speed: expected a number, got unlimited");
        let e = set_value(&mut net, link, "gauge", &Value::Number(1435.5)).unwrap_err();
        assert!(e.starts_with("gauge: 1435.5 is not a whole number"), "{e}");
        assert_eq!(net.nodes[0].lat, 0.0, "nothing was set");
    }
}
