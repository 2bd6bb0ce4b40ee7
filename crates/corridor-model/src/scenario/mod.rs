//! Scenarios: ordered edits on a base [`Network`] that give a new network
//! (close or restore elements, set attributes, scale capacities, add and
//! remove elements, ban or allow commodities). The base is never mutated;
//! scenarios stack by applying one to the result of another.
//!
//! This module holds edits in model units (t/day, hours, km, money) with
//! ids as the user's strings, resolved when the edit is applied so that an
//! edit may name what an earlier edit added. It reads no file: the TOML
//! reader (`corridor-io::scenario`) parses units and records each edit's
//! line, which every error raised here repeats with the edit's number.
//!
//! Its parts: `select.rs` (what a selection picks), `attribute.rs` (what
//! `set` may change and the checks on each value), `apply.rs` (one edit,
//! one step per action, values checked at the edit) `blame.rs`
//! (validating the edited network and naming the edit behind each error)
//! and `touched.rs` (the elements a scenario's edits select or add).

mod apply;
mod attribute;
mod blame;
mod select;
mod touched;

pub use attribute::{Attribute, AttributeKind, attribute, attributes};
pub use select::select;
pub use touched::{TouchedElement, touched};

use crate::diagnostic::{Diagnostic, SourceRef};
use crate::mode::{Layer, Mode, ModeTable};
use crate::network::{Network, Node};
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
    /// Background traffic outside the demand (other goods sharing a
    /// crossing, a port or a line) takes `t_per_day` of each selected
    /// element's capacity: a published all-goods capacity stays as
    /// published and the share other goods use is written, with its own
    /// source, next to it. Unlimited stays unlimited.
    Reserve {
        selection: Selection,
        t_per_day: f64,
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

impl Edit {
    /// What the edit does in the file's words, for messages:
    /// `set node "odesa"`, `close { tag = "black-sea-ports" }`,
    /// `add link "odesa-dorohusk"`. `target` names the one element a
    /// problem is about, in place of the selection.
    pub fn label(&self, target: Option<&str>) -> String {
        let on = |sel: &Selection| target.map_or_else(|| sel.to_string(), str::to_string);
        match self {
            Edit::Close(sel) => format!("close {}", on(sel)),
            Edit::Open(sel) => format!("open {}", on(sel)),
            Edit::Set { selection, .. } => format!("set {}", on(selection)),
            Edit::Scale { selection, .. } => format!("scale {}", on(selection)),
            Edit::Reserve { selection, .. } => format!("reserve {}", on(selection)),
            Edit::AddNode(n) => format!("add node \"{}\"", n.source_id),
            Edit::AddLink(l) => format!("add link \"{}\"", l.id),
            Edit::AddTerminal(t) => format!("add terminal \"{}\"", t.id),
            Edit::AddBorder(b) => format!("add border \"{}\"", b.id),
            Edit::Remove(sel) => format!("remove {}", on(sel)),
            Edit::Ban {
                selection,
                commodity,
            } => format!("ban \"{commodity}\" on {}", on(selection)),
            Edit::Allow {
                selection,
                commodity,
            } => format!("allow \"{commodity}\" on {}", on(selection)),
        }
    }
}

impl fmt::Display for Selection {
    /// Ids as `node "odesa"` (or `"odesa"` when the kind is open), the
    /// filters as `{ mode = "rail", tag = "t" }`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids: Vec<String> = self
            .ids
            .iter()
            .map(|(k, id)| match k.or(self.kind) {
                Some(k) => format!("{k} \"{id}\""),
                None => format!("\"{id}\""),
            })
            .collect();
        let mut filters = Vec::new();
        if let Some(k) = self.kind.filter(|_| self.ids.is_empty()) {
            filters.push(format!("kind = \"{k}\""));
        }
        if let Some(m) = self.mode {
            filters.push(format!("mode = \"{m}\""));
        }
        if let Some(c) = &self.country {
            filters.push(format!("country = \"{c}\""));
        }
        if let Some(t) = &self.tag {
            filters.push(format!("tag = \"{t}\""));
        }
        let mut parts = Vec::new();
        if !ids.is_empty() {
            parts.push(ids.join(", "));
        }
        if !filters.is_empty() || ids.is_empty() {
            parts.push(format!("{{ {} }}", filters.join(", ")));
        }
        f.write_str(&parts.join(" "))
    }
}

/// Where a problem in a scenario comes from: the scenario, the edit's
/// number and line, and what the edit does.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EditPlace {
    pub scenario: String,
    /// 1-based position among the scenario's edits.
    pub edit: usize,
    pub source: Option<SourceRef>,
    /// [`Edit::label`]: `set node "odesa"`.
    pub label: String,
}

impl fmt::Display for EditPlace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(s) = &self.source {
            write!(f, "{s}: ")?;
        }
        write!(
            f,
            "scenario \"{}\": edit {} ({})",
            self.scenario, self.edit, self.label
        )
    }
}

/// An error of an edited network and, when a scenario caused it, the edit
/// after which it appeared (`None`: the base had it already).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EditedError {
    pub place: Option<EditPlace>,
    pub diagnostic: Diagnostic,
}

impl fmt::Display for EditedError {
    /// `s.toml:9: scenario "s": edit 2 (remove link "l"): terminal "t":
    /// connects: ... (at net.toml:40)`: the scenario's place leads, the
    /// element's own place follows.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(place) = &self.place else {
            return write!(f, "{}", self.diagnostic);
        };
        let mut d = self.diagnostic.clone();
        let at = d.source.take();
        write!(f, "{place}: {d}")?;
        if let Some(at) = at {
            write!(f, " (at {at})")?;
        }
        Ok(())
    }
}

/// The lines of [`Error::EditedNetwork`].
pub(crate) fn lines(errors: &[EditedError]) -> String {
    let lines: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    lines.join("\n")
}

impl Scenario {
    /// The base network with every edit applied in order and validated like
    /// a loaded network (see [`apply_all`]).
    pub fn apply(&self, base: &Network) -> Result<Network> {
        apply_all(base, std::slice::from_ref(self))
    }

    /// Applies the edits in place, without validating the result. A
    /// refused edit is an [`Error::Edit`] naming file, line, edit number
    /// and what the edit does.
    fn apply_edits(&self, net: &mut Network) -> Result<()> {
        for (i, e) in self.edits.iter().enumerate() {
            apply::apply_edit(net, &e.edit).map_err(|r| Error::Edit {
                place: Box::new(self.place(i, r.element.as_deref())),
                message: r.message,
            })?;
        }
        Ok(())
    }

    /// Where edit `i` (0-based) is, labelled for `target` when given.
    fn place(&self, i: usize, target: Option<&str>) -> EditPlace {
        let e = &self.edits[i];
        EditPlace {
            scenario: self.name.clone(),
            edit: i + 1,
            source: e.source.clone(),
            label: e.edit.label(target),
        }
    }
}

/// Applies scenarios one after another (`--scenario a --scenario b`) to a
/// copy of `base` and validates the result like a loaded network. An edit
/// that cannot be applied, or whose value is out of range, is refused at
/// that edit ([`Error::Edit`]); errors the finished network has are
/// [`Error::EditedNetwork`], each at the edit that caused it.
pub fn apply_all(base: &Network, scenarios: &[Scenario]) -> Result<Network> {
    let mut net = base.clone();
    for s in scenarios {
        s.apply_edits(&mut net)?;
    }
    blame::validated(base, scenarios, net)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Commodity, CommodityClass, CommodityRule, Link, NodeKind, Terminal};

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
    fn reserve_takes_background_off_limited_capacities_only() {
        let net = base();
        let everything = Selection::default();
        let out = scenario(vec![Edit::Reserve {
            selection: everything.clone(),
            t_per_day: 30.0,
        }])
        .apply(&net)
        .unwrap();
        assert_eq!(out.links[0].capacity_t_per_day, Some(70.0));
        assert_eq!(out.links[1].capacity_t_per_day, None, "unlimited stays");
        assert_eq!(net.links[0].capacity_t_per_day, Some(100.0));
        // All of it taken by other goods is refused, naming the element.
        let e = scenario(vec![Edit::Reserve {
            selection: everything,
            t_per_day: 100.0,
        }])
        .apply(&net)
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("s.toml:3: ") && e.contains("\"kyiv-odesa\""),
            "{e}"
        );
        assert!(e.contains("leaves nothing"), "{e}");
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

    /// Edit `i` written at line `1 + 4 i` of `bad.toml`.
    fn lined(edits: Vec<Edit>) -> Scenario {
        Scenario {
            name: "bad".into(),
            description: String::new(),
            edits: edits
                .into_iter()
                .enumerate()
                .map(|(i, edit)| EditAt {
                    edit,
                    source: Some(SourceRef {
                        file: "bad.toml".into(),
                        line: 1 + 4 * i as u64,
                    }),
                })
                .collect(),
        }
    }

    fn set(kind: ElementKind, id: &str, attr: &str, v: Value) -> Edit {
        Edit::Set {
            selection: Selection {
                ids: vec![(Some(kind), id.into())],
                ..Default::default()
            },
            values: vec![(attr.into(), v)],
        }
    }

    fn close(tag: &str) -> Edit {
        Edit::Close(Selection {
            tag: Some(tag.into()),
            ..Default::default()
        })
    }

    #[test]
    fn values_out_of_range_are_refused_at_their_edit() {
        let net = base();
        let cases = [
            (
                set(ElementKind::Node, "kyiv", "lat", Value::Number(999.0)),
                "bad.toml:5: scenario \"bad\": edit 2 (set node \"kyiv\"): lat: 999 is outside -90..90 (are lon and lat swapped?)",
            ),
            (
                set(
                    ElementKind::Link,
                    "kyiv-odesa",
                    "capacity",
                    Value::Number(-5.0),
                ),
                "bad.toml:5: scenario \"bad\": edit 2 (set link \"kyiv-odesa\"): capacity: -5 must not be negative",
            ),
            (
                set(
                    ElementKind::Link,
                    "kyiv-odesa",
                    "speed",
                    Value::Number(f64::NAN),
                ),
                "bad.toml:5: scenario \"bad\": edit 2 (set link \"kyiv-odesa\"): speed: NaN is not a finite number",
            ),
            (
                Edit::AddNode(Node::new("x", NodeKind::City, 30.0, -91.0, "UA")),
                "bad.toml:5: scenario \"bad\": edit 2 (add node \"x\"): lat: -91 is outside -90..90 (are lon and lat swapped?)",
            ),
        ];
        for (edit, want) in cases {
            let s = lined(vec![close("pl-road"), edit]);
            let e = s.apply(&net).unwrap_err();
            assert!(matches!(e, Error::Edit { .. }), "{e:?}");
            assert_eq!(e.to_string(), want);
        }
        // A selection by tag names the element at fault.
        let s = lined(vec![Edit::Set {
            selection: Selection {
                tag: Some("pl-road".into()),
                ..Default::default()
            },
            values: vec![("toll".into(), Value::Number(-1.0))],
        }]);
        let e = s.apply(&net).unwrap_err().to_string();
        assert!(
            e.starts_with(
                "bad.toml:1: scenario \"bad\": edit 1 (set link \"kyiv-dorohusk\"): toll: -1"
            ),
            "{e}"
        );
    }

    #[test]
    fn errors_the_edits_leave_are_found_and_blamed_on_their_edit() {
        let mut net = base();
        let odesa = net.node_id("odesa").unwrap();
        net.add_terminal(Terminal {
            source_id: "odesa-port".into(),
            name: "Odesa port".into(),
            node: odesa,
            transfers: vec![(Layer::rail(1520), Layer::road())],
            handling_cost_per_t: 1.0,
            hours: 1.0,
            co2_kg_per_t: 0.0,
            capacity_t_per_day: None,
            commodities: CommodityRule::default(),
            open: true,
            tags: vec![],
            source: Some(SourceRef {
                file: "net.toml".into(),
                line: 40,
            }),
        })
        .unwrap();
        let odesa_road = Edit::AddLink(NewLink {
            id: "odesa-dorohusk".into(),
            from: "odesa".into(),
            to: "dorohusk".into(),
            mode: Mode::Road,
            gauge_mm: None,
            length_km: Some(900.0),
            speed_kmh: None,
            hours: None,
            cost_per_tkm: None,
            co2_kg_per_tkm: None,
            capacity_t_per_day: None,
            oneway: false,
            tags: vec![],
        });
        // The road link makes the terminal valid; removing kyiv takes the
        // only rail link at odesa along, which leaves it claiming rail.
        let s = lined(vec![
            odesa_road,
            close("pl-road"),
            Edit::Remove(Selection {
                ids: vec![(Some(ElementKind::Node), "kyiv".into())],
                ..Default::default()
            }),
        ]);
        let e = s.apply(&net).unwrap_err();
        let Error::EditedNetwork(errors) = &e else {
            panic!("{e:?}")
        };
        assert_eq!(errors.len(), 1, "{e}");
        assert_eq!(errors[0].place.as_ref().map(|p| p.edit), Some(3));
        assert_eq!(
            e.to_string(),
            "the network after the scenarios has 1 error(s):\n\
             bad.toml:9: scenario \"bad\": edit 3 (remove node \"kyiv\"): terminal \"odesa-port\": connects: claims layer rail:1520 but node \"odesa\" has no rail:1520 link (layers there: road) (at net.toml:40)"
        );
        // An edit that uses a node an earlier edit removed names itself.
        let s = lined(vec![
            Edit::Remove(Selection {
                ids: vec![(Some(ElementKind::Node), "dorohusk".into())],
                ..Default::default()
            }),
            Edit::AddLink(NewLink {
                id: "kyiv-dorohusk-2".into(),
                from: "kyiv".into(),
                to: "dorohusk".into(),
                mode: Mode::Road,
                gauge_mm: None,
                length_km: None,
                speed_kmh: None,
                hours: None,
                cost_per_tkm: None,
                co2_kg_per_tkm: None,
                capacity_t_per_day: None,
                oneway: false,
                tags: vec![],
            }),
        ]);
        assert_eq!(
            s.apply(&base()).unwrap_err().to_string(),
            "bad.toml:5: scenario \"bad\": edit 2 (add link \"kyiv-dorohusk-2\"): unknown node \"dorohusk\""
        );
    }

    #[test]
    fn errors_the_base_had_are_listed_without_an_edit() {
        let mut net = base();
        net.links[0].gauge_mm = None;
        let e = lined(vec![close("pl-road")]).apply(&net).unwrap_err();
        let Error::EditedNetwork(errors) = &e else {
            panic!("{e:?}")
        };
        assert_eq!(errors.len(), 1);
        assert!(errors[0].place.is_none());
        assert!(e.to_string().ends_with("link \"kyiv-odesa\": gauge: rail link without a gauge (give gauge in mm, e.g. 1435 or 1520)"), "{e}");
    }

    #[test]
    fn labels_say_what_an_edit_does() {
        let sel = Selection {
            ids: vec![(None, "a".into()), (Some(ElementKind::Link), "b".into())],
            mode: Some(Mode::Rail),
            ..Default::default()
        };
        assert_eq!(sel.to_string(), "\"a\", link \"b\" { mode = \"rail\" }");
        let ban = Edit::Ban {
            selection: Selection {
                tag: Some("t".into()),
                ..Default::default()
            },
            commodity: "grain".into(),
        };
        assert_eq!(ban.label(None), "ban \"grain\" on { tag = \"t\" }");
        assert_eq!(ban.label(Some("node \"n\"")), "ban \"grain\" on node \"n\"");
    }
}
