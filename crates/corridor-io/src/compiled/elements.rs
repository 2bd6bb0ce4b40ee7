//! One encode and one decode function per model element, field by field in
//! declaration order, so that a compiled network reads back equal to the
//! one written (every field, including source lines and geometry). Node
//! and link rows are decoded independently of each other (each from its
//! own offset), which lets the reader decode them in parallel.

use super::codec::{Corrupt, Dec, DecResult, Enc};
use corridor_model::{
    Border, Commodity, CommodityClass, Diagnostic, FlowUnit, Link, Mode, ModeDefaults, ModeTable,
    Network, Node, NodeId, NodeKind, Severity, Terminal, Vehicles,
};

/// Network-wide fields (section `HEAD`).
pub(crate) fn put_header(e: &mut Enc, n: &Network) {
    e.str(&n.name);
    e.str(&n.currency);
    e.u8(match n.flow_unit {
        FlowUnit::TonnesPerDay => 0,
        FlowUnit::VehiclesPerHour => 1,
    });
    for m in Mode::ALL {
        let d = n.defaults.get(m);
        for x in [
            d.speed_kmh,
            d.cost_per_tkm,
            d.co2_kg_per_tkm,
            d.detour_factor,
            d.waiting_cost_per_t_h,
        ] {
            e.f64(x);
        }
    }
    let v = &n.vehicles;
    for x in [
        v.train_payload_t,
        v.truck_payload_t,
        v.teu_t,
        v.barge_payload_t,
        v.days_per_year,
    ] {
        e.f64(x);
    }
    e.f64(n.carbon_price_per_t);
}

pub(crate) fn get_header(d: &mut Dec<'_>) -> DecResult<Network> {
    let mut n = Network::new(&d.str()?);
    n.currency = d.str()?;
    n.flow_unit = match d.u8()? {
        0 => FlowUnit::TonnesPerDay,
        1 => FlowUnit::VehiclesPerHour,
        x => return Err(Corrupt(format!("flow unit {x}"))),
    };
    let mut defaults = Vec::with_capacity(4);
    for _ in Mode::ALL {
        defaults.push(ModeDefaults {
            speed_kmh: d.f64()?,
            cost_per_tkm: d.f64()?,
            co2_kg_per_tkm: d.f64()?,
            detour_factor: d.f64()?,
            waiting_cost_per_t_h: d.f64()?,
        });
    }
    n.defaults = ModeTable {
        road: defaults[0],
        rail: defaults[1],
        sea: defaults[2],
        river: defaults[3],
    };
    n.vehicles = Vehicles {
        train_payload_t: d.f64()?,
        truck_payload_t: d.f64()?,
        teu_t: d.f64()?,
        barge_payload_t: d.f64()?,
        days_per_year: d.f64()?,
    };
    n.carbon_price_per_t = d.f64()?;
    Ok(n)
}

const CLASSES: [CommodityClass; 4] = [
    CommodityClass::Bulk,
    CommodityClass::Container,
    CommodityClass::General,
    CommodityClass::Dangerous,
];

pub(crate) fn put_commodity(e: &mut Enc, c: &Commodity) {
    e.str(&c.source_id);
    e.u8(CLASSES.iter().position(|&k| k == c.class).unwrap_or(0) as u8);
    e.f64(c.value_of_time_per_t_h);
    e.table(&c.capacity_factor);
    e.strs(&c.vessels);
    e.source(c.source.as_ref());
}

pub(crate) fn get_commodity(d: &mut Dec<'_>) -> DecResult<Commodity> {
    let source_id = d.str()?;
    let k = d.u8()?;
    let class = *CLASSES
        .get(k as usize)
        .ok_or_else(|| Corrupt(format!("commodity class {k}")))?;
    Ok(Commodity {
        source_id,
        class,
        value_of_time_per_t_h: d.f64()?,
        capacity_factor: d.table()?,
        vessels: d.strs()?,
        source: d.source()?,
    })
}

const KINDS: [NodeKind; 7] = [
    NodeKind::City,
    NodeKind::Terminal,
    NodeKind::Port,
    NodeKind::Station,
    NodeKind::Border,
    NodeKind::Junction,
    NodeKind::Zone,
];

pub(crate) fn put_node(e: &mut Enc, n: &Node) {
    e.str(&n.source_id);
    // The name is most often the id: a flag instead of a second copy.
    e.opt_str((n.name != n.source_id).then_some(n.name.as_str()));
    e.u8(KINDS.iter().position(|&k| k == n.kind).unwrap_or(0) as u8);
    e.f64(n.lon);
    e.f64(n.lat);
    e.str(&n.country);
    e.opt_f64(n.capacity_t_per_day);
    e.bool(n.open);
    e.strs(&n.tags);
    e.bool(n.no_through);
    e.source(n.source.as_ref());
}

pub(crate) fn get_node(d: &mut Dec<'_>) -> DecResult<Node> {
    let source_id = d.text()?;
    let name = d.opt_text()?.unwrap_or(source_id);
    let k = d.u8()?;
    let kind = *KINDS
        .get(k as usize)
        .ok_or_else(|| Corrupt(format!("node kind {k}")))?;
    let mut n = Node::new(source_id, kind, d.f64()?, d.f64()?, d.text()?);
    n.name = name.into();
    // Details are only touched (and so allocated) when the row has one.
    let capacity = d.opt_f64()?;
    n.open = d.bool()?;
    let tags = d.strs()?;
    if capacity.is_some() || !tags.is_empty() {
        (n.capacity_t_per_day, n.tags) = (capacity, tags);
    }
    n.no_through = d.bool()?;
    n.source = d.source()?;
    Ok(n)
}

/// A node reference, refused when it is not below `n_nodes` (a corrupt
/// index would otherwise panic far from here).
fn node_ref(d: &mut Dec<'_>, n_nodes: usize) -> DecResult<NodeId> {
    let i = d.u32()?;
    if i as usize >= n_nodes {
        return Err(Corrupt(format!("node index {i} of {n_nodes} nodes")));
    }
    Ok(NodeId(i))
}

// Bits of a link row's flags (u16): which optional fields follow, and the
// two booleans. Most links of a large network set few of them, so absent
// fields take no bytes at all.
const GAUGE: u16 = 1;
const SPEED: u16 = 1 << 1;
const HOURS: u16 = 1 << 2;
const COST: u16 = 1 << 3;
const CO2: u16 = 1 << 4;
const CAPACITY: u16 = 1 << 5;
const BPR_ALPHA: u16 = 1 << 6;
const BPR_BETA: u16 = 1 << 7;
const TOLL: u16 = 1 << 8;
const RULE: u16 = 1 << 9;
const TAGS: u16 = 1 << 10;
const GEOMETRY: u16 = 1 << 11;
const ONEWAY: u16 = 1 << 12;
const OPEN: u16 = 1 << 13;
/// Bits of the fields a [`Link`] keeps in its details.
const DETAILS: u16 =
    SPEED | HOURS | COST | CO2 | BPR_ALPHA | BPR_BETA | TOLL | RULE | TAGS | GEOMETRY;
/// Bits no version-1 writer sets.
const UNKNOWN: u16 = !((1 << 14) - 1);

/// The optional numbers of a link, in row order, with their bits.
fn link_numbers(l: &Link) -> [(u16, Option<f64>); 7] {
    [
        (SPEED, l.speed_kmh),
        (HOURS, l.hours),
        (COST, l.cost_per_tkm),
        (CO2, l.co2_kg_per_tkm),
        (CAPACITY, l.capacity_t_per_day),
        (BPR_ALPHA, l.bpr_alpha),
        (BPR_BETA, l.bpr_beta),
    ]
}

pub(crate) fn put_link(e: &mut Enc, l: &Link) {
    let numbers = link_numbers(l);
    let mut flags = numbers
        .iter()
        .filter(|(_, x)| x.is_some())
        .fold(0, |f, (bit, _)| f | bit);
    for (bit, set) in [
        (GAUGE, l.gauge_mm.is_some()),
        // Bit for bit: a toll of -0.0 is kept.
        (TOLL, l.toll.to_bits() != 0),
        (RULE, !l.commodities.is_empty()),
        (TAGS, !l.tags.is_empty()),
        (GEOMETRY, !l.geometry.is_empty()),
        (ONEWAY, l.oneway),
        (OPEN, l.open),
    ] {
        if set {
            flags |= bit;
        }
    }
    e.str(&l.source_id);
    e.u32(l.from.0);
    e.u32(l.to.0);
    e.mode(l.mode);
    e.u16(flags);
    e.f64(l.length_km);
    if let Some(g) = l.gauge_mm {
        e.u16(g);
    }
    for x in numbers.iter().filter_map(|(_, x)| *x) {
        e.f64(x);
    }
    if flags & TOLL != 0 {
        e.f64(l.toll);
    }
    if flags & RULE != 0 {
        e.rule(&l.commodities);
    }
    if flags & TAGS != 0 {
        e.strs(&l.tags);
    }
    if flags & GEOMETRY != 0 {
        e.len(l.geometry.len());
        for [x, y] in &l.geometry {
            e.f64(*x);
            e.f64(*y);
        }
    }
    e.source(l.source.as_ref());
}

pub(crate) fn get_link(d: &mut Dec<'_>, n_nodes: usize) -> DecResult<Link> {
    let source_id = d.text()?;
    let from = node_ref(d, n_nodes)?;
    let to = node_ref(d, n_nodes)?;
    let mode = d.mode()?;
    let flags = d.u16()?;
    if flags & UNKNOWN != 0 {
        return Err(Corrupt(format!("link flags {flags:#06x}")));
    }
    let mut l = Link::new(source_id, from, to, mode, None, d.f64()?);
    let opt = |d: &mut Dec<'_>, bit: u16| -> DecResult<Option<f64>> {
        Ok(if flags & bit != 0 {
            Some(d.f64()?)
        } else {
            None
        })
    };
    if flags & GAUGE != 0 {
        l.gauge_mm = Some(d.u16()?);
    }
    // Details are only touched (and so allocated) when the row has one.
    let speed = opt(d, SPEED)?;
    let hours = opt(d, HOURS)?;
    let cost = opt(d, COST)?;
    let co2 = opt(d, CO2)?;
    l.capacity_t_per_day = opt(d, CAPACITY)?;
    let (alpha, beta) = (opt(d, BPR_ALPHA)?, opt(d, BPR_BETA)?);
    let toll = opt(d, TOLL)?;
    if flags & DETAILS != 0 {
        let x = &mut *l;
        (x.speed_kmh, x.hours, x.cost_per_tkm, x.co2_kg_per_tkm) = (speed, hours, cost, co2);
        (x.bpr_alpha, x.bpr_beta) = (alpha, beta);
        x.toll = toll.unwrap_or(0.0);
        if flags & RULE != 0 {
            x.commodities = d.rule()?;
        }
        if flags & TAGS != 0 {
            x.tags = d.strs()?;
        }
        if flags & GEOMETRY != 0 {
            let n = d.count(16)?;
            x.geometry = (0..n)
                .map(|_| Ok([d.f64()?, d.f64()?]))
                .collect::<DecResult<_>>()?;
        }
    }
    l.oneway = flags & ONEWAY != 0;
    l.open = flags & OPEN != 0;
    l.source = d.source()?;
    Ok(l)
}

pub(crate) fn put_terminal(e: &mut Enc, t: &Terminal) {
    e.str(&t.source_id);
    e.str(&t.name);
    e.u32(t.node.0);
    e.len(t.transfers.len());
    for (a, b) in &t.transfers {
        e.layer(a);
        e.layer(b);
    }
    e.f64(t.handling_cost_per_t);
    e.f64(t.hours);
    e.f64(t.co2_kg_per_t);
    e.opt_f64(t.capacity_t_per_day);
    e.rule(&t.commodities);
    e.bool(t.open);
    e.strs(&t.tags);
    e.source(t.source.as_ref());
}

pub(crate) fn get_terminal(d: &mut Dec<'_>, n_nodes: usize) -> DecResult<Terminal> {
    let source_id = d.str()?;
    let name = d.str()?;
    let node = node_ref(d, n_nodes)?;
    let n = d.count(8)?;
    let transfers = (0..n)
        .map(|_| Ok((d.layer()?, d.layer()?)))
        .collect::<DecResult<_>>()?;
    Ok(Terminal {
        source_id,
        name,
        node,
        transfers,
        handling_cost_per_t: d.f64()?,
        hours: d.f64()?,
        co2_kg_per_t: d.f64()?,
        capacity_t_per_day: d.opt_f64()?,
        commodities: d.rule()?,
        open: d.bool()?,
        tags: d.strs()?,
        source: d.source()?,
    })
}

pub(crate) fn put_border(e: &mut Enc, b: &Border) {
    e.str(&b.source_id);
    e.str(&b.name);
    e.u32(b.node.0);
    e.str(&b.countries[0]);
    e.str(&b.countries[1]);
    e.table(&b.dwell_hours);
    e.f64(b.fee_per_t);
    e.opt_f64(b.capacity_t_per_day);
    e.rule(&b.commodities);
    e.bool(b.open);
    e.strs(&b.tags);
    e.source(b.source.as_ref());
}

pub(crate) fn get_border(d: &mut Dec<'_>, n_nodes: usize) -> DecResult<Border> {
    Ok(Border {
        source_id: d.str()?,
        name: d.str()?,
        node: node_ref(d, n_nodes)?,
        countries: [d.str()?, d.str()?],
        dwell_hours: d.table()?,
        fee_per_t: d.f64()?,
        capacity_t_per_day: d.opt_f64()?,
        commodities: d.rule()?,
        open: d.bool()?,
        tags: d.strs()?,
        source: d.source()?,
    })
}

pub(crate) fn put_diagnostic(e: &mut Enc, x: &Diagnostic) {
    e.bool(x.is_error());
    e.source(x.source.as_ref());
    e.str(&x.subject);
    e.opt_str(x.field.as_deref());
    e.str(&x.message);
}

pub(crate) fn get_diagnostic(d: &mut Dec<'_>) -> DecResult<Diagnostic> {
    let severity = if d.bool()? {
        Severity::Error
    } else {
        Severity::Warning
    };
    Ok(Diagnostic {
        severity,
        source: d.source()?,
        subject: d.str()?,
        field: d.opt_str()?,
        message: d.str()?,
    })
}
