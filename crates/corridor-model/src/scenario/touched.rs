//! What a scenario touches: the elements its edits select or add, so a
//! face can mark a scenario (an investment project, a closure) on a map
//! without applying it.

use super::{Edit, ElementKind, ElementRef, Scenario, select};
use crate::network::Network;
use serde::Serialize;

/// An element a scenario edits or adds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TouchedElement {
    pub kind: ElementKind,
    pub id: String,
    /// The nodes it stands at (a link's two ends): where to mark an
    /// element the scenario adds, which the network's map does not have.
    pub at: Vec<String>,
}

/// The elements `s`'s edits name on `base`, in edit order, each once: a
/// selection as the scenario applies it ([`select`];
/// one that only names elements an earlier edit adds is left out, as those
/// are listed where they are added), an added element with its node(s).
pub fn touched(base: &Network, s: &Scenario) -> Vec<TouchedElement> {
    let node = |i: usize| base.nodes[i].source_id.to_string();
    let existing = |e: ElementRef| {
        let (id, at) = match e.kind {
            ElementKind::Node => (node(e.index), vec![node(e.index)]),
            ElementKind::Link => {
                let l = &base.links[e.index];
                let ends = vec![node(l.from.index()), node(l.to.index())];
                (l.source_id.to_string(), ends)
            }
            ElementKind::Terminal => {
                let t = &base.terminals[e.index];
                (t.source_id.clone(), vec![node(t.node.index())])
            }
            ElementKind::Border => {
                let b = &base.borders[e.index];
                (b.source_id.clone(), vec![node(b.node.index())])
            }
        };
        TouchedElement {
            kind: e.kind,
            id,
            at,
        }
    };
    let added = |kind, id: &str, at: &[&str]| TouchedElement {
        kind,
        id: id.to_string(),
        at: at.iter().map(|s| s.to_string()).collect(),
    };
    let mut out: Vec<TouchedElement> = Vec::new();
    for e in &s.edits {
        let found = match &e.edit {
            Edit::Close(sel)
            | Edit::Open(sel)
            | Edit::Remove(sel)
            | Edit::Set { selection: sel, .. }
            | Edit::Scale { selection: sel, .. }
            | Edit::Reserve { selection: sel, .. }
            | Edit::Ban { selection: sel, .. }
            | Edit::Allow { selection: sel, .. } => select(base, sel)
                .map(|refs| refs.into_iter().map(existing).collect())
                .unwrap_or_default(),
            Edit::AddNode(n) => {
                let id = n.source_id.as_str();
                vec![added(ElementKind::Node, id, &[id])]
            }
            Edit::AddLink(l) => {
                let ends = [l.from.as_str(), l.to.as_str()];
                vec![added(ElementKind::Link, &l.id, &ends)]
            }
            Edit::AddTerminal(t) => vec![added(ElementKind::Terminal, &t.id, &[t.node.as_str()])],
            Edit::AddBorder(b) => vec![added(ElementKind::Border, &b.id, &[b.node.as_str()])],
        };
        for f in found {
            if !out.iter().any(|o| o.kind == f.kind && o.id == f.id) {
                out.push(f);
            }
        }
    }
    out
}
