//! Which elements a [`Selection`] picks: ids looked up exactly (an unknown
//! one is an error), the other conditions as filters that must all hold.
//! An empty result is an error too, as it is almost always a typo in a tag.

use super::{ElementKind, ElementRef, Selection};
use crate::network::Network;
use crate::{Error, Result};

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

pub(super) fn describe(sel: &Selection) -> String {
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
