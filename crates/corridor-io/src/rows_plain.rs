//! The short way from a CSV row to a node or link, for the rows of a large
//! bundle read on every core (`rows_parallel`): a row whose cells all read
//! cleanly (numbers that parse, nodes that exist, no commodity lists, no
//! geometry, nothing in an unknown column) is built straight from its
//! cells, without a [`crate::record::Record`], field look-ups by name or a
//! copy of each cell. Every other row returns `None` and goes the general
//! way (`build::node_element` / `build::link_element`), which then reports
//! it: so the network and every diagnostic (file, line, field) are the
//! general reader's, as the tests reading a broken grid both ways check.
//! The cells mean what `build.rs` says they mean; the unit parsers are the
//! same functions.

use crate::build::Built;
use crate::record::parse_flag;
use crate::units;
use corridor_model::network::haversine_km;
use corridor_model::quantity::gauge_mm;
use corridor_model::{
    Link, LinkDetails, Mode, Network, Node, NodeId, NodeKind, Quantity, SourceRef,
};
use std::sync::Arc;

/// What a column means here: the key of `build.rs` (aliases folded), or
/// `Other` for a column whose cells must be empty on this way (commodity
/// lists, geometry, unknown columns). The TOML short way (`toml_plain`)
/// reads its keys the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Col {
    Id,
    From,
    To,
    Mode,
    Gauge,
    Length,
    Speed,
    Hours,
    Cost,
    Co2,
    Capacity,
    Oneway,
    Open,
    Toll,
    BprAlpha,
    BprBeta,
    Tags,
    Name,
    Kind,
    Lon,
    Lat,
    Country,
    NoThrough,
    Other,
}

pub(crate) fn link_col(h: &str) -> Col {
    match h {
        "id" => Col::Id,
        "from" => Col::From,
        "to" => Col::To,
        "mode" => Col::Mode,
        "gauge" | "gauge_mm" => Col::Gauge,
        "length" | "length_km" => Col::Length,
        "speed" | "speed_kmh" => Col::Speed,
        "hours" | "time" => Col::Hours,
        "cost_per_tkm" => Col::Cost,
        "co2_per_tkm" | "co2_kg_per_tkm" => Col::Co2,
        "capacity" => Col::Capacity,
        "oneway" => Col::Oneway,
        "open" => Col::Open,
        "toll" => Col::Toll,
        "bpr_alpha" => Col::BprAlpha,
        "bpr_beta" => Col::BprBeta,
        "tags" => Col::Tags,
        _ => Col::Other,
    }
}

pub(crate) fn node_col(h: &str) -> Col {
    match h {
        "id" => Col::Id,
        "name" => Col::Name,
        "kind" => Col::Kind,
        "lon" | "lng" | "longitude" | "x" => Col::Lon,
        "lat" | "latitude" | "y" => Col::Lat,
        "country" => Col::Country,
        "capacity" => Col::Capacity,
        "open" => Col::Open,
        "tags" => Col::Tags,
        "no_through" => Col::NoThrough,
        _ => Col::Other,
    }
}

/// The columns of one file's header, for building its plain rows.
pub(crate) struct Plain {
    cols: Vec<Col>,
}

impl Plain {
    /// The columns of `nodes.csv` (`links` false) or `links.csv`; `None`
    /// when a key is given twice (a repeated column, or two of its
    /// aliases), which only the general way sorts out.
    pub(crate) fn new(headers: &[Arc<str>], links: bool) -> Option<Self> {
        let of = if links { link_col } else { node_col };
        let cols: Vec<Col> = headers.iter().map(|h| of(h)).collect();
        for (j, c) in cols.iter().enumerate() {
            if *c != Col::Other && cols[..j].contains(c) {
                return None;
            }
        }
        Some(Self { cols })
    }

    /// The link of a row with one cell per column, or `None` when the row
    /// needs the general way (see the module's doc).
    pub(crate) fn link(
        &self,
        row: &csv::StringRecord,
        at: (&Arc<str>, u64),
        net: &Network,
    ) -> Option<Built<Link>> {
        let (mut id, mut from, mut to, mut mode, mut gauge) = (None, None, None, None, None);
        let mut d = LinkDetails::default();
        let (mut length, mut capacity, mut oneway, mut open) = (None, None, false, true);
        for (col, cell) in self.cols.iter().zip(row.iter()) {
            let text = cell.trim();
            if text.is_empty() {
                continue;
            }
            let ok = |x: Result<f64, String>| x.ok();
            match col {
                Col::Id => id = Some(text),
                Col::From => from = Some(net.node_id(text)?),
                Col::To => to = Some(net.node_id(text)?),
                Col::Mode => mode = Some(text.parse::<Mode>().ok()?),
                Col::Gauge => gauge = Some(gauge_of(text)?),
                Col::Length => length = Some(ok(units::parse_km(cell))?),
                Col::Speed => d.speed_kmh = Some(ok(units::parse_speed(cell))?),
                Col::Hours => d.hours = Some(ok(units::parse_hours(cell))?),
                Col::Cost => d.cost_per_tkm = Some(ok(units::parse_non_negative(cell))?),
                Col::Co2 => d.co2_kg_per_tkm = Some(ok(units::parse_non_negative(cell))?),
                Col::Capacity => {
                    capacity = Some(ok(units::parse_capacity(cell, &net.vehicles))?);
                }
                Col::Oneway => oneway = parse_flag(cell)?,
                Col::Open => open = parse_flag(cell)?,
                Col::Toll => d.toll = ok(units::parse_non_negative(cell))?,
                Col::BprAlpha => d.bpr_alpha = Some(ok(units::parse_non_negative(cell))?),
                Col::BprBeta => d.bpr_beta = Some(ok(units::parse_non_negative(cell))?),
                Col::Tags => d.tags = split_list(cell),
                _ => return None,
            }
        }
        let (id, from, to, mode) = (id?, from?, to?, mode?);
        let (oneway_open, details) = ((oneway, open), d);
        let link = PlainLink {
            id,
            from,
            to,
            mode,
            gauge,
            length,
            capacity,
            oneway_open,
            details,
        };
        Some(link.build(net, at, at.1))
    }

    /// The node of a row with one cell per column, or `None` when the row
    /// needs the general way.
    pub(crate) fn node(
        &self,
        row: &csv::StringRecord,
        at: (&Arc<str>, u64),
        net: &Network,
    ) -> Option<Built<Node>> {
        let (mut id, mut name, mut kind, mut lon, mut lat) = (None, None, None, None, None);
        let (mut country, mut capacity, mut open) = ("", None, true);
        let (mut tags, mut no_through) = (Vec::new(), false);
        let degrees = |q: Quantity, s: &str| units::parse_number(s).and_then(|x| q.check(x)).ok();
        for (col, cell) in self.cols.iter().zip(row.iter()) {
            let text = cell.trim();
            if text.is_empty() {
                continue;
            }
            match col {
                Col::Id => id = Some(text),
                Col::Name => name = Some(text),
                Col::Kind => kind = Some(text.parse::<NodeKind>().ok()?),
                Col::Lon => lon = Some(degrees(Quantity::Longitude, cell)?),
                Col::Lat => lat = Some(degrees(Quantity::Latitude, cell)?),
                Col::Country => country = text,
                Col::Capacity => {
                    capacity = Some(units::parse_capacity(cell, &net.vehicles).ok()?);
                }
                Col::Open => open = parse_flag(cell)?,
                Col::Tags => tags = split_list(cell),
                Col::NoThrough => no_through = parse_flag(cell)?,
                _ => return None,
            }
        }
        let (id, lon, lat) = (id?, lon?, lat?);
        let node = PlainNode {
            id,
            name,
            kind,
            lon,
            lat,
            country,
            capacity,
            open,
            tags,
            no_through,
        };
        Some(node.build(at, at.1))
    }
}

/// The fields of a plain link, read from a CSV row or a TOML record: both
/// plain readers assemble the link here, as `build::link_element` would.
pub(crate) struct PlainLink<'a> {
    pub id: &'a str,
    pub from: NodeId,
    pub to: NodeId,
    pub mode: Mode,
    pub gauge: Option<u16>,
    pub length: Option<f64>,
    pub capacity: Option<f64>,
    pub oneway_open: (bool, bool),
    pub details: LinkDetails,
}

impl PlainLink<'_> {
    /// The link, its length by default the great-circle distance times the
    /// mode's detour factor; `at` is the record's first line, `id_line`
    /// the line of its id.
    pub(crate) fn build(self, net: &Network, at: (&Arc<str>, u64), id_line: u64) -> Built<Link> {
        let (from, to, mode) = (self.from, self.to, self.mode);
        let length = self.length.unwrap_or_else(|| {
            let (a, b) = (net.node(from), net.node(to));
            haversine_km(a.lon, a.lat, b.lon, b.lat) * net.defaults.get(mode).detour_factor
        });
        let mut l = Link::new(self.id, from, to, mode, self.gauge, length);
        l.capacity_t_per_day = self.capacity;
        (l.oneway, l.open) = self.oneway_open;
        l.set_details(self.details);
        l.source = Some(SourceRef {
            file: at.0.clone(),
            line: at.1,
        });
        Built {
            element: l,
            id_line,
        }
    }
}

/// The fields of a plain node, read from a CSV row or a TOML record.
pub(crate) struct PlainNode<'a> {
    pub id: &'a str,
    pub name: Option<&'a str>,
    pub kind: Option<NodeKind>,
    pub lon: f64,
    pub lat: f64,
    pub country: &'a str,
    pub capacity: Option<f64>,
    pub open: bool,
    pub tags: Vec<String>,
    pub no_through: bool,
}

impl PlainNode<'_> {
    /// The node (a city unless the record says otherwise); `at` is the
    /// record's first line, `id_line` the line of its id.
    pub(crate) fn build(self, at: (&Arc<str>, u64), id_line: u64) -> Built<Node> {
        let kind = self.kind.unwrap_or(NodeKind::City);
        let mut n = Node::new(self.id, kind, self.lon, self.lat, self.country);
        if let Some(name) = self.name {
            n.name = name.into();
        }
        n.capacity_t_per_day = self.capacity;
        n.open = self.open;
        n.tags = self.tags;
        n.no_through = self.no_through;
        n.source = Some(SourceRef {
            file: at.0.clone(),
            line: at.1,
        });
        Built {
            element: n,
            id_line,
        }
    }
}

/// A gauge cell as `build::gauge` reads it (`1435`, `1435 mm`).
pub(crate) fn gauge_of(text: &str) -> Option<u16> {
    let digits = text.trim_end_matches("mm").trim();
    gauge_mm(digits.parse::<f64>().ok()?).ok()
}

/// A `;`-separated list as `Reader::list` reads it.
pub(crate) fn split_list(s: &str) -> Vec<String> {
    s.split(';')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}
