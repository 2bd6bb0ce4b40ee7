//! Applying one edit to a network in place, one step per action. Every
//! value an edit brings is checked here, at the edit, with the same
//! [`Quantity`] ranges the network readers use, so an edit built in code
//! is held to what a scenario file is. Checks that need the whole network
//! (terminals claiming layers, gauges) are `Network::validate`'s, run once
//! after all edits (see `blame.rs`).

use super::attribute::set_value;
use super::select::select;
use super::{Edit, ElementKind, ElementRef, NewBorder, NewLink, NewTerminal, Selection, Value};
use crate::commodity::{CommodityClass, CommodityRule};
use crate::mode::Mode;
use crate::network::{Border, Link, Network, Node, Terminal};
use crate::quantity::Quantity;
use crate::{Error, NodeId};

/// Why an edit was refused. `element` names the one element at fault when
/// there is one (`node "odesa"`), so the edit's label can name it rather
/// than the whole selection.
#[derive(Debug)]
pub(super) struct Refusal {
    pub element: Option<String>,
    pub message: String,
}

impl From<Error> for Refusal {
    fn from(e: Error) -> Self {
        Self {
            element: None,
            message: e.to_string(),
        }
    }
}

impl From<String> for Refusal {
    fn from(message: String) -> Self {
        Self {
            element: None,
            message,
        }
    }
}

type Applied = Result<(), Refusal>;

pub(super) fn apply_edit(net: &mut Network, edit: &Edit) -> Applied {
    match edit {
        Edit::Close(sel) => set_open(net, sel, false),
        Edit::Open(sel) => set_open(net, sel, true),
        Edit::Set { selection, values } => set(net, selection, values),
        Edit::Scale { selection, factor } => scale(net, selection, *factor),
        Edit::Reserve {
            selection,
            t_per_day,
        } => reserve(net, selection, *t_per_day),
        Edit::AddNode(n) => add_node(net, n),
        Edit::AddLink(nl) => add_link(net, nl),
        Edit::AddTerminal(nt) => add_terminal(net, nt),
        Edit::AddBorder(nb) => add_border(net, nb),
        Edit::Remove(sel) => remove(net, sel),
        Edit::Ban {
            selection,
            commodity,
        } => ban_or_allow(net, selection, commodity, true),
        Edit::Allow {
            selection,
            commodity,
        } => ban_or_allow(net, selection, commodity, false),
    }
}

pub(super) fn element_name(net: &Network, e: ElementRef) -> String {
    let id = match e.kind {
        ElementKind::Node => net.nodes[e.index].source_id.as_str(),
        ElementKind::Link => net.links[e.index].source_id.as_str(),
        ElementKind::Terminal => net.terminals[e.index].source_id.as_str(),
        ElementKind::Border => net.borders[e.index].source_id.as_str(),
    };
    format!("{} \"{id}\"", e.kind)
}

/// `x` in `quantity`'s range, else a refusal naming `key`.
fn checked(key: &str, quantity: Quantity, x: Option<f64>) -> Applied {
    quantity
        .check_opt(x)
        .map(|_| ())
        .map_err(|m| format!("{key}: {m}").into())
}

fn set_open(net: &mut Network, sel: &Selection, open: bool) -> Applied {
    for e in select(net, sel)? {
        match e.kind {
            ElementKind::Node => net.nodes[e.index].open = open,
            ElementKind::Link => net.links[e.index].open = open,
            ElementKind::Terminal => net.terminals[e.index].open = open,
            ElementKind::Border => net.borders[e.index].open = open,
        }
    }
    Ok(())
}

fn set(net: &mut Network, sel: &Selection, values: &[(String, Value)]) -> Applied {
    for e in select(net, sel)? {
        for (attr, v) in values {
            set_value(net, e, attr, v).map_err(|message| Refusal {
                element: Some(element_name(net, e)),
                message,
            })?;
        }
    }
    Ok(())
}

fn capacity_mut(net: &mut Network, e: ElementRef) -> &mut Option<f64> {
    match e.kind {
        ElementKind::Node => &mut net.nodes[e.index].capacity_t_per_day,
        ElementKind::Link => &mut net.links[e.index].capacity_t_per_day,
        ElementKind::Terminal => &mut net.terminals[e.index].capacity_t_per_day,
        ElementKind::Border => &mut net.borders[e.index].capacity_t_per_day,
    }
}

/// Multiplies capacities; unlimited stays unlimited. A finite capacity
/// times a finite factor can still overflow, which is refused too.
fn scale(net: &mut Network, sel: &Selection, factor: f64) -> Applied {
    checked("factor", Quantity::Amount, Some(factor))?;
    for e in select(net, sel)? {
        let Some(c) = *capacity_mut(net, e) else {
            continue;
        };
        let scaled = Quantity::Capacity.check(c * factor).map_err(|m| Refusal {
            element: Some(element_name(net, e)),
            message: format!("capacity: {m}"),
        })?;
        *capacity_mut(net, e) = Some(scaled);
    }
    Ok(())
}

/// Takes background traffic off capacities; unlimited stays unlimited. A
/// background that leaves nothing for the demand is refused: a capacity of
/// zero would make the element closed by other means, which `close` says.
fn reserve(net: &mut Network, sel: &Selection, t_per_day: f64) -> Applied {
    checked("background", Quantity::Capacity, Some(t_per_day))?;
    for e in select(net, sel)? {
        let Some(c) = *capacity_mut(net, e) else {
            continue;
        };
        if t_per_day >= c {
            return Err(Refusal {
                element: Some(element_name(net, e)),
                message: format!(
                    "background: {t_per_day:.0} t/day leaves nothing of the capacity ({c:.0} t/day)"
                ),
            });
        }
        *capacity_mut(net, e) = Some(c - t_per_day);
    }
    Ok(())
}

fn node_ref(net: &Network, id: &str) -> Result<NodeId, Error> {
    net.node_id(id).ok_or_else(|| Error::UnknownId {
        kind: "node",
        id: id.to_string(),
    })
}

fn add_node(net: &mut Network, n: &Node) -> Applied {
    checked("lon", Quantity::Longitude, Some(n.lon))?;
    checked("lat", Quantity::Latitude, Some(n.lat))?;
    checked("capacity", Quantity::Capacity, n.capacity_t_per_day)?;
    net.add_node(n.clone())?;
    Ok(())
}

fn add_link(net: &mut Network, nl: &NewLink) -> Applied {
    let from = node_ref(net, &nl.from)?;
    let to = node_ref(net, &nl.to)?;
    if (nl.mode == Mode::Rail) != nl.gauge_mm.is_some() {
        return Err(
            "gauge: a rail link needs a gauge in mm and other modes have none"
                .to_string()
                .into(),
        );
    }
    if let Some(g) = nl.gauge_mm {
        crate::quantity::gauge_mm(f64::from(g)).map_err(|m| format!("gauge: {m}"))?;
    }
    for (key, quantity, x) in [
        ("length", Quantity::Length, nl.length_km),
        ("speed", Quantity::Speed, nl.speed_kmh),
        ("hours", Quantity::Hours, nl.hours),
        ("cost", Quantity::Amount, nl.cost_per_tkm),
        ("co2", Quantity::Amount, nl.co2_kg_per_tkm),
        ("capacity", Quantity::Capacity, nl.capacity_t_per_day),
    ] {
        checked(key, quantity, x)?;
    }
    let length = nl
        .length_km
        .unwrap_or_else(|| net.great_circle_km(from, to) * net.defaults.get(nl.mode).detour_factor);
    let mut l = Link::new(&nl.id, from, to, nl.mode, nl.gauge_mm, length);
    l.speed_kmh = nl.speed_kmh;
    l.hours = nl.hours;
    l.cost_per_tkm = nl.cost_per_tkm;
    l.co2_kg_per_tkm = nl.co2_kg_per_tkm;
    l.capacity_t_per_day = nl.capacity_t_per_day;
    l.oneway = nl.oneway;
    l.tags = nl.tags.clone();
    net.add_link(l)?;
    Ok(())
}

fn add_terminal(net: &mut Network, nt: &NewTerminal) -> Applied {
    let node = node_ref(net, &nt.node)?;
    for (key, quantity, x) in [
        (
            "handling_cost",
            Quantity::Amount,
            Some(nt.handling_cost_per_t),
        ),
        ("hours", Quantity::Hours, Some(nt.hours)),
        ("co2_per_t", Quantity::Amount, Some(nt.co2_kg_per_t)),
        ("capacity", Quantity::Capacity, nt.capacity_t_per_day),
    ] {
        checked(key, quantity, x)?;
    }
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
    Ok(())
}

fn add_border(net: &mut Network, nb: &NewBorder) -> Applied {
    let node = node_ref(net, &nb.node)?;
    for mode in Mode::ALL {
        let key = format!("dwell_hours.{mode}");
        checked(&key, Quantity::Hours, Some(*nb.dwell_hours.get(mode)))?;
    }
    checked("fee", Quantity::Amount, Some(nb.fee_per_t))?;
    checked("capacity", Quantity::Capacity, nb.capacity_t_per_day)?;
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
    Ok(())
}

/// Removes the selected elements; a removed node takes every link,
/// terminal and border at it along (as documented), and validation after
/// the edits reports what that leaves broken.
fn remove(net: &mut Network, sel: &Selection) -> Applied {
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
        let ids: Vec<crate::CompactString> = net
            .nodes
            .iter()
            .enumerate()
            .filter(|(i, _)| nodes[*i])
            .map(|(_, n)| n.source_id.clone())
            .collect();
        net.retain_nodes(|n| !ids.contains(&n.source_id));
    }
    Ok(())
}

fn ban_or_allow(net: &mut Network, sel: &Selection, commodity: &str, ban: bool) -> Applied {
    let known = net
        .commodities
        .iter()
        .any(|c| c.source_id.eq_ignore_ascii_case(commodity))
        || commodity.parse::<CommodityClass>().is_ok();
    if !known {
        return Err(Error::UnknownId {
            kind: "commodity",
            id: commodity.to_string(),
        }
        .into());
    }
    for e in select(net, sel)? {
        let rule = match e.kind {
            ElementKind::Node => {
                return Err(Refusal {
                    element: Some(element_name(net, e)),
                    message: "a node carries no commodity rules (ban the commodity on its links, terminals or borders)".to_string(),
                });
            }
            ElementKind::Link => &mut net.links[e.index].commodities,
            ElementKind::Terminal => &mut net.terminals[e.index].commodities,
            ElementKind::Border => &mut net.borders[e.index].commodities,
        };
        let same = |x: &String| x.eq_ignore_ascii_case(commodity);
        if ban {
            if !rule.banned.iter().any(same) {
                rule.banned.push(commodity.to_string());
            }
            rule.allowed.retain(|x| !same(x));
        } else {
            rule.banned.retain(|x| !same(x));
            if !rule.allowed.is_empty() && !rule.allowed.iter().any(same) {
                rule.allowed.push(commodity.to_string());
            }
        }
    }
    Ok(())
}
