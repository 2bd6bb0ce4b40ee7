//! Whether adding projects can only raise the maximum flow: the
//! condition under which branch and bound may prune with "every
//! affordable project at once is an upper bound". It holds when every
//! edit of every project only raises capacities, opens, allows or adds
//! elements (more arcs and looser bounds never lower a maximum flow), and
//! no two projects set the capacity of the same element another way
//! (applied in list order, the later `set` would override the other's
//! raise, which can be lower).
//!
//! It looks at edits only, against the base; it applies nothing.

use corridor_model::Network;
use corridor_model::scenario::{Edit, ElementKind, ElementRef, Scenario, Selection, Value, select};
use std::collections::BTreeSet;

/// The elements of the base whose capacity a project sets to a number,
/// and those it scales; whether such a `set` selects by filter (tag,
/// mode, country, kind), which could also pick what another project adds;
/// and whether it adds anything.
#[derive(Default)]
pub(crate) struct CapacityEdits {
    set: BTreeSet<ElementRef>,
    scaled: BTreeSet<ElementRef>,
    set_by_filter: bool,
    adds: bool,
}

/// `Ok` with the capacity edits when every edit of `s` only raises
/// capacities, opens, allows or adds; else why not, in the edit's words.
pub(crate) fn raises_only(base: &Network, s: &Scenario) -> Result<CapacityEdits, String> {
    let mut c = CapacityEdits::default();
    for (i, e) in s.edits.iter().enumerate() {
        let why = |what: &str| format!("edit {} ({}) {what}", i + 1, e.edit.label(None));
        match &e.edit {
            Edit::Open(_) | Edit::Allow { .. } => {}
            Edit::AddNode(_) | Edit::AddLink(_) | Edit::AddTerminal(_) => c.adds = true,
            Edit::Close(_) | Edit::Remove(_) | Edit::Ban { .. } => {
                return Err(why("takes something away"));
            }
            Edit::AddBorder(_) => {
                return Err(why(
                    "adds a border, whose crossing may limit or forbid what passes",
                ));
            }
            Edit::Reserve { .. } => return Err(why("lowers capacities")),
            Edit::Scale { selection, factor } => {
                if *factor < 1.0 {
                    return Err(why("lowers capacities"));
                }
                if let Ok(picked) = select(base, selection) {
                    c.scaled.extend(picked);
                }
            }
            Edit::Set { selection, values } => {
                for (attr, v) in values {
                    set_raises(base, selection, attr, v, &mut c).map_err(|m| why(&m))?;
                }
            }
        }
    }
    Ok(c)
}

/// Whether one `set` of `attr` to `v` can only raise the maximum flow.
fn set_raises(
    base: &Network,
    sel: &Selection,
    attr: &str,
    v: &Value,
    c: &mut CapacityEdits,
) -> Result<(), String> {
    match (attr, v) {
        ("open", Value::Bool(true)) | ("oneway", Value::Bool(false)) => Ok(()),
        ("open" | "oneway", _) => Err(format!("sets {attr} to {}", shown(v))),
        ("gauge" | "country", _) => Err(format!(
            "changes the {attr}, which moves elements between layers or countries"
        )),
        ("capacity", _) => {
            let picked = select(base, sel)
                .map_err(|_| "sets the capacity of an element the base lacks".to_string())?;
            for e in &picked {
                let now = capacity(base, *e);
                let lower = match (v, now) {
                    (Value::Unlimited, _) => false,
                    (Value::Number(_), None) => true,
                    (Value::Number(x), Some(c)) => *x < c,
                    _ => true,
                };
                if lower {
                    return Err(format!("sets a capacity below the base's ({})", shown(v)));
                }
            }
            // "Unlimited" commutes with every raise; a number does not.
            if matches!(v, Value::Number(_)) {
                c.set.extend(picked);
                c.set_by_filter |= sel.ids.is_empty();
            }
            Ok(())
        }
        // Costs, times, lengths, fees, dwell, names and places change what
        // a flow costs, not how much can flow.
        _ => Ok(()),
    }
}

fn shown(v: &Value) -> String {
    match v {
        Value::Number(x) => x.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Text(t) => format!("\"{t}\""),
        Value::Unlimited => "unlimited".into(),
    }
}

fn capacity(net: &Network, e: ElementRef) -> Option<f64> {
    match e.kind {
        ElementKind::Node => net.nodes[e.index].capacity_t_per_day,
        ElementKind::Link => net.links[e.index].capacity_t_per_day,
        ElementKind::Terminal => net.terminals[e.index].capacity_t_per_day,
        ElementKind::Border => net.borders[e.index].capacity_t_per_day,
    }
}

/// Why two projects' capacity edits do not commute into a raise, naming
/// both; `None` when they do. `edits[i]` belongs to project `names[i]`.
pub(crate) fn conflict(edits: &[CapacityEdits], names: &[String]) -> Option<String> {
    for (i, a) in edits.iter().enumerate() {
        for (j, b) in edits.iter().enumerate() {
            if i == j {
                continue;
            }
            if a.set
                .iter()
                .any(|e| b.set.contains(e) || b.scaled.contains(e))
            {
                return Some(format!(
                    "projects \"{}\" and \"{}\" both change the capacity of one element, and the later set overrides the other",
                    names[i], names[j]
                ));
            }
            if a.set_by_filter && b.adds {
                return Some(format!(
                    "project \"{}\" sets capacities by a filter that could pick what project \"{}\" adds",
                    names[i], names[j]
                ));
            }
        }
    }
    None
}
