//! The network: nodes, links, terminals, borders and commodities, with
//! lookups by the user's ids and the per-mode defaults that fill gaps.

use crate::commodity::{Commodity, CommodityRule};
use crate::diagnostic::SourceRef;
use crate::ids::{BorderId, CommodityId, LinkId, NodeId, TerminalId};
use crate::mode::{Layer, Mode, ModeDefaults, ModeTable};
use crate::quantity::{NumberField, Quantity};
use compact_str::CompactString;
use hashbrown::HashTable;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    City,
    Terminal,
    Port,
    Station,
    Border,
    Junction,
    /// A TNTP zone (origin/destination only when below the first thru node).
    Zone,
}

impl NodeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::City => "city",
            NodeKind::Terminal => "terminal",
            NodeKind::Port => "port",
            NodeKind::Station => "station",
            NodeKind::Border => "border",
            NodeKind::Junction => "junction",
            NodeKind::Zone => "zone",
        }
    }
}

impl fmt::Display for NodeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for NodeKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "city" => NodeKind::City,
            "terminal" => NodeKind::Terminal,
            "port" => NodeKind::Port,
            "station" => NodeKind::Station,
            "border" => NodeKind::Border,
            "junction" => NodeKind::Junction,
            "zone" => NodeKind::Zone,
            other => {
                return Err(format!(
                    "unknown node kind \"{other}\" (expected city, terminal, port, station, border, junction, zone)"
                ));
            }
        })
    }
}

/// Node tags marking a port that is not a freight port: a marina, yacht or
/// sailing club harbour, a passenger-only pier. Importers write them; the
/// merge never makes such a port a sea terminal.
pub const NOT_FREIGHT_PORT_TAGS: [&str; 2] = ["leisure-harbour", "passenger-only"];

/// A place.
///
/// Its capacity and tags, which most nodes of a large network leave empty,
/// live in a [`NodeDetails`] allocated only when one is set, read and
/// written as fields through `Deref`/`DerefMut` (as a [`Link`]'s).
#[derive(Clone, Debug)]
pub struct Node {
    pub source_id: CompactString,
    pub name: CompactString,
    pub lon: f64,
    pub lat: f64,
    /// ISO 3166-1 alpha-2 or alpha-3 code as the file gives it.
    pub country: CompactString,
    pub source: Option<SourceRef>,
    details: Option<Box<NodeDetails>>,
    pub kind: NodeKind,
    pub open: bool,
    /// A TNTP zone below the first thru node: paths may start or end here
    /// but never pass through.
    pub no_through: bool,
}

/// The fields of a [`Node`] that most nodes leave at their default.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NodeDetails {
    /// Throughput limit of the place itself (a port's quays), t/day.
    pub capacity_t_per_day: Option<f64>,
    /// Free labels scenarios can select by (e.g. `black-sea-ports`).
    pub tags: Vec<String>,
}

/// What a node without details reads.
static NO_NODE_DETAILS: NodeDetails = NodeDetails {
    capacity_t_per_day: None,
    tags: Vec::new(),
};

impl NodeDetails {
    pub fn is_default(&self) -> bool {
        self.capacity_t_per_day.is_none() && self.tags.is_empty()
    }
}

impl std::ops::Deref for Node {
    type Target = NodeDetails;
    fn deref(&self) -> &NodeDetails {
        self.details.as_deref().unwrap_or(&NO_NODE_DETAILS)
    }
}

impl std::ops::DerefMut for Node {
    fn deref_mut(&mut self) -> &mut NodeDetails {
        self.details.get_or_insert_with(Box::default)
    }
}

impl PartialEq for Node {
    fn eq(&self, o: &Self) -> bool {
        self.source_id == o.source_id
            && self.name == o.name
            && self.kind == o.kind
            && self.lon == o.lon
            && self.lat == o.lat
            && self.country == o.country
            && self.open == o.open
            && self.no_through == o.no_through
            && self.source == o.source
            && **self == **o
    }
}

impl Serialize for Node {
    /// The fields in the order of the struct before details were split off.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Node", 11)?;
        st.serialize_field("source_id", &self.source_id)?;
        st.serialize_field("name", &self.name)?;
        st.serialize_field("kind", &self.kind)?;
        st.serialize_field("lon", &self.lon)?;
        st.serialize_field("lat", &self.lat)?;
        st.serialize_field("country", &self.country)?;
        st.serialize_field("capacity_t_per_day", &self.capacity_t_per_day)?;
        st.serialize_field("open", &self.open)?;
        st.serialize_field("tags", &self.tags)?;
        st.serialize_field("no_through", &self.no_through)?;
        st.serialize_field("source", &self.source)?;
        st.end()
    }
}

impl Node {
    pub fn new(source_id: &str, kind: NodeKind, lon: f64, lat: f64, country: &str) -> Self {
        Self {
            source_id: source_id.into(),
            name: source_id.into(),
            lon,
            lat,
            country: country.into(),
            source: None,
            details: None,
            kind,
            open: true,
            no_through: false,
        }
    }

    /// Frees the details when they are all at their default again.
    pub fn compact(&mut self) {
        if self.details.as_deref().is_some_and(NodeDetails::is_default) {
            self.details = None;
        }
    }
}

/// A stretch of one mode between two nodes.
///
/// Compact, since a national network holds millions: the fields most links
/// set are inline, the ones most leave at their default (fixed hours,
/// speed, costs, CO2, BPR parameters, toll, commodity rule, tags, geometry)
/// live in a [`LinkDetails`] allocated only for the links that set one.
/// They are still read and written as fields (`link.hours`,
/// `link.tags.push(..)`) through `Deref`/`DerefMut` to the details: reading
/// an absent one reads the shared defaults, writing allocates them. A link
/// is 96 bytes instead of 288.
#[derive(Clone, Debug)]
pub struct Link {
    pub source_id: CompactString,
    pub from: NodeId,
    pub to: NodeId,
    /// km; filled on load from the great-circle distance × detour when absent.
    pub length_km: f64,
    /// t/day (or the network's [`FlowUnit`]), per direction.
    pub capacity_t_per_day: Option<f64>,
    pub source: Option<SourceRef>,
    details: Option<Box<LinkDetails>>,
    pub mode: Mode,
    /// Required for rail.
    pub gauge_mm: Option<u16>,
    pub oneway: bool,
    pub open: bool,
}

/// The fields of a [`Link`] that most links leave at their default: read
/// and written through the link itself (`link.toll`), stored apart.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkDetails {
    pub speed_kmh: Option<f64>,
    /// Fixed travel time in hours; wins over speed.
    pub hours: Option<f64>,
    pub cost_per_tkm: Option<f64>,
    pub co2_kg_per_tkm: Option<f64>,
    /// Volume–delay parameters (BPR alpha and beta) for assignment.
    pub bpr_alpha: Option<f64>,
    pub bpr_beta: Option<f64>,
    /// Money per tonne (or per vehicle for TNTP networks).
    pub toll: f64,
    pub commodities: CommodityRule,
    pub tags: Vec<String>,
    /// Line geometry as (lon, lat); empty means a straight line.
    pub geometry: Vec<[f64; 2]>,
}

/// What a link without details reads.
static NO_DETAILS: LinkDetails = LinkDetails::DEFAULT;

impl LinkDetails {
    const DEFAULT: LinkDetails = LinkDetails {
        speed_kmh: None,
        hours: None,
        cost_per_tkm: None,
        co2_kg_per_tkm: None,
        bpr_alpha: None,
        bpr_beta: None,
        toll: 0.0,
        commodities: CommodityRule {
            allowed: Vec::new(),
            banned: Vec::new(),
        },
        tags: Vec::new(),
        geometry: Vec::new(),
    };

    /// Whether every field is at its default (bit for bit: a toll of -0.0
    /// is kept).
    pub fn is_default(&self) -> bool {
        self.speed_kmh.is_none()
            && self.hours.is_none()
            && self.cost_per_tkm.is_none()
            && self.co2_kg_per_tkm.is_none()
            && self.bpr_alpha.is_none()
            && self.bpr_beta.is_none()
            && self.toll.to_bits() == 0
            && self.commodities.is_empty()
            && self.tags.is_empty()
            && self.geometry.is_empty()
    }
}

impl Default for LinkDetails {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl std::ops::Deref for Link {
    type Target = LinkDetails;
    fn deref(&self) -> &LinkDetails {
        self.details.as_deref().unwrap_or(&NO_DETAILS)
    }
}

impl std::ops::DerefMut for Link {
    /// Allocates the details on the first write; [`Link::compact`] frees
    /// them again when every field went back to its default.
    fn deref_mut(&mut self) -> &mut LinkDetails {
        self.details.get_or_insert_with(Box::default)
    }
}

impl PartialEq for Link {
    fn eq(&self, o: &Self) -> bool {
        self.source_id == o.source_id
            && self.from == o.from
            && self.to == o.to
            && self.mode == o.mode
            && self.gauge_mm == o.gauge_mm
            && self.length_km.to_bits() == o.length_km.to_bits()
            && self.capacity_t_per_day == o.capacity_t_per_day
            && self.oneway == o.oneway
            && self.open == o.open
            && self.source == o.source
            && **self == **o
    }
}

impl Serialize for Link {
    /// The fields in the order of the struct before details were split
    /// off, so the JSON of a network is unchanged.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Link", 20)?;
        st.serialize_field("source_id", &self.source_id)?;
        st.serialize_field("from", &self.from)?;
        st.serialize_field("to", &self.to)?;
        st.serialize_field("mode", &self.mode)?;
        st.serialize_field("gauge_mm", &self.gauge_mm)?;
        st.serialize_field("length_km", &self.length_km)?;
        st.serialize_field("speed_kmh", &self.speed_kmh)?;
        st.serialize_field("hours", &self.hours)?;
        st.serialize_field("cost_per_tkm", &self.cost_per_tkm)?;
        st.serialize_field("co2_kg_per_tkm", &self.co2_kg_per_tkm)?;
        st.serialize_field("capacity_t_per_day", &self.capacity_t_per_day)?;
        st.serialize_field("oneway", &self.oneway)?;
        st.serialize_field("commodities", &self.commodities)?;
        st.serialize_field("open", &self.open)?;
        st.serialize_field("tags", &self.tags)?;
        st.serialize_field("bpr_alpha", &self.bpr_alpha)?;
        st.serialize_field("bpr_beta", &self.bpr_beta)?;
        st.serialize_field("toll", &self.toll)?;
        st.serialize_field("geometry", &self.geometry)?;
        st.serialize_field("source", &self.source)?;
        st.end()
    }
}

impl Link {
    pub fn new(
        source_id: &str,
        from: NodeId,
        to: NodeId,
        mode: Mode,
        gauge_mm: Option<u16>,
        length_km: f64,
    ) -> Self {
        Self {
            source_id: source_id.into(),
            from,
            to,
            length_km,
            capacity_t_per_day: None,
            source: None,
            details: None,
            mode,
            gauge_mm,
            oneway: false,
            open: true,
        }
    }

    pub fn layer(&self) -> Layer {
        Layer::new(self.mode, self.gauge_mm)
    }

    /// Whether the link has any of the [`LinkDetails`] away from their
    /// defaults (allocated details all at default count as none).
    pub fn has_details(&self) -> bool {
        !self.is_default()
    }

    /// Replaces the details (kept only when one differs from its default).
    pub fn set_details(&mut self, details: LinkDetails) {
        self.details = (!details.is_default()).then(|| Box::new(details));
    }

    /// Frees the details when every field is at its default again (a
    /// reader that wrote `None` into one, an edit that cleared the tags),
    /// so the link takes no more than one without details.
    pub fn compact(&mut self) {
        if self.details.as_deref().is_some_and(LinkDetails::is_default) {
            self.details = None;
        }
    }
}

/// What a node can do to hand cargo between layers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Terminal {
    pub source_id: String,
    pub name: String,
    pub node: NodeId,
    /// Pairs of layers this terminal connects, both ways. `rail` without a
    /// gauge stands for every rail gauge present at the node.
    pub transfers: Vec<(Layer, Layer)>,
    pub handling_cost_per_t: f64,
    pub hours: f64,
    pub co2_kg_per_t: f64,
    /// One number for all cargo handled, t/day.
    pub capacity_t_per_day: Option<f64>,
    pub commodities: CommodityRule,
    pub open: bool,
    pub tags: Vec<String>,
    pub source: Option<SourceRef>,
}

/// A crossing between two countries at a node.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Border {
    pub source_id: String,
    pub name: String,
    pub node: NodeId,
    pub countries: [String; 2],
    /// Waiting plus inspection time per mode, hours. The cargo pays its
    /// value of time for them, and the vehicle its mode's waiting cost
    /// ([`crate::ModeDefaults::waiting_cost_per_t_h`]) as money.
    pub dwell_hours: ModeTable<f64>,
    pub fee_per_t: f64,
    pub capacity_t_per_day: Option<f64>,
    pub commodities: CommodityRule,
    pub open: bool,
    pub tags: Vec<String>,
    pub source: Option<SourceRef>,
}

/// Payloads used to turn vehicle counts into tonnes.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Vehicles {
    pub train_payload_t: f64,
    pub truck_payload_t: f64,
    /// Average tonnes per loaded TEU.
    pub teu_t: f64,
    pub barge_payload_t: f64,
    pub days_per_year: f64,
}

impl Default for Vehicles {
    fn default() -> Self {
        // A 57-wagon grain train carries ~3,700 t net on 1520 mm; EU trains
        // are shorter; 2,000 t is a cautious mixed figure. A 40 t truck
        // carries ~25 t net. 10 t per loaded TEU is a common planning value.
        Self {
            train_payload_t: 2000.0,
            truck_payload_t: 25.0,
            teu_t: 10.0,
            barge_payload_t: 1500.0,
            days_per_year: 365.0,
        }
    }
}

impl Vehicles {
    /// The payloads and the year length by their keys in files
    /// (`[vehicles]`), in the order files list them.
    pub const FIELDS: [NumberField<Vehicles>; 5] = [
        NumberField {
            key: "train_payload",
            quantity: Quantity::Mass,
            get: |v| v.train_payload_t,
            get_mut: |v| &mut v.train_payload_t,
        },
        NumberField {
            key: "truck_payload",
            quantity: Quantity::Mass,
            get: |v| v.truck_payload_t,
            get_mut: |v| &mut v.truck_payload_t,
        },
        NumberField {
            key: "teu",
            quantity: Quantity::Mass,
            get: |v| v.teu_t,
            get_mut: |v| &mut v.teu_t,
        },
        NumberField {
            key: "barge_payload",
            quantity: Quantity::Mass,
            get: |v| v.barge_payload_t,
            get_mut: |v| &mut v.barge_payload_t,
        },
        NumberField {
            key: "days_per_year",
            quantity: Quantity::Ratio,
            get: |v| v.days_per_year,
            get_mut: |v| &mut v.days_per_year,
        },
    ];
}

/// What capacities and demand are measured in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum FlowUnit {
    /// Freight networks: tonnes per day.
    TonnesPerDay,
    /// Road traffic networks read from TNTP: vehicles per hour.
    VehiclesPerHour,
}

impl FlowUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            FlowUnit::TonnesPerDay => "t/day",
            FlowUnit::VehiclesPerHour => "veh/h",
        }
    }
}

/// A multimodal freight network.
#[derive(Clone, Debug, Serialize)]
pub struct Network {
    pub name: String,
    pub currency: String,
    pub flow_unit: FlowUnit,
    pub defaults: ModeTable<ModeDefaults>,
    pub vehicles: Vehicles,
    /// Money per tonne of CO2, for the generalised cost.
    pub carbon_price_per_t: f64,
    pub nodes: Vec<Node>,
    pub links: Vec<Link>,
    pub terminals: Vec<Terminal>,
    pub borders: Vec<Border>,
    pub commodities: Vec<Commodity>,
    #[serde(skip)]
    index: Index,
}

/// Lookups by user id. Each table holds only the dense index of an element
/// and finds it by comparing with the element's own `source_id`, so an id is
/// stored once (about 5 bytes per element here instead of a second `String`
/// and a map entry: what keeps a 2M-link network small).
///
/// The link table is built on first use: a route or a skim on a compiled
/// network looks up nodes only, and the table costs about 10 bytes a link.
#[derive(Clone, Default)]
struct Index {
    nodes: HashTable<u32>,
    links: OnceLock<HashTable<u32>>,
    terminals: HashTable<u32>,
    borders: HashTable<u32>,
    commodities: HashTable<u32>,
}

impl fmt::Debug for Index {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Index")
            .field("nodes", &self.nodes.len())
            .field("links", &self.links.get().map(HashTable::len))
            .finish_non_exhaustive()
    }
}

/// An element with a user id.
trait Keyed {
    fn key(&self) -> &str;
}

macro_rules! keyed {
    ($($t:ty),*) => {$(
        impl Keyed for $t {
            fn key(&self) -> &str {
                &self.source_id
            }
        }
    )*};
}
keyed!(Node, Link, Terminal, Border, Commodity);

/// A fixed hash (no iteration order of these tables reaches any output):
/// a fast hash of an id, eight bytes at a time, then mixed (MurmurHash3's
/// finaliser) so every bit reaches the low bits hashbrown buckets by and
/// the high bits it tags with. Ids come from the user's own files, not an
/// adversary, so SipHash's protection is not needed here, and its cost
/// was the largest part of loading a compiled network of millions of
/// links (building the id tables).
fn hash_key(key: &str) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let b = key.as_bytes();
    let mut h = (b.len() as u64).wrapping_mul(K);
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let x = u64::from_le_bytes(c.try_into().expect("8 bytes"));
        h = (h ^ x).wrapping_mul(K).rotate_left(29);
    }
    let mut tail = [0u8; 8];
    tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    h = (h ^ u64::from_le_bytes(tail)).wrapping_mul(K);
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^ (h >> 33)
}

/// The dense index of the element with id `key`.
fn find<T: Keyed>(table: &HashTable<u32>, items: &[T], key: &str) -> Option<u32> {
    table
        .find(hash_key(key), |&i| {
            items.get(i as usize).is_some_and(|x| x.key() == key)
        })
        .copied()
}

/// Adds `item` to `items` and the table; refuses an id already present,
/// leaving both untouched and handing `item` back.
fn push_unique<T: Keyed>(
    table: &mut HashTable<u32>,
    items: &mut Vec<T>,
    item: T,
) -> Result<u32, T> {
    let key = item.key();
    // One probe finds a duplicate or the free slot (a load of millions of
    // rows adds them on one thread, so the second probe showed).
    let entry = table.entry(
        hash_key(key),
        |&j| items[j as usize].key() == key,
        |&j| hash_key(items[j as usize].key()),
    );
    let hashbrown::hash_table::Entry::Vacant(slot) = entry else {
        return Err(item);
    };
    let i = u32::try_from(items.len()).expect("more than u32::MAX elements");
    slot.insert(i);
    items.push(item);
    Ok(i)
}

/// [`push_unique`] with the model's error for a refused id.
fn push_or_error<T: Keyed>(
    table: &mut HashTable<u32>,
    items: &mut Vec<T>,
    kind: &'static str,
    item: T,
) -> crate::Result<u32> {
    push_unique(table, items, item).map_err(|item| crate::Error::DuplicateId {
        kind,
        id: item.key().to_string(),
    })
}

/// The nodes or the links of a network with their id table, taken out of
/// it ([`Network::detach_links`]) so that one thread adds elements in file
/// order while the others build the next ones, reading the rest of the
/// network (a link's nodes): the two overlap instead of taking turns.
#[derive(Debug, Default)]
pub struct Detached<T> {
    items: Vec<T>,
    table: HashTable<u32>,
}

macro_rules! detached {
    ($($t:ty, $compact:expr);*) => {$(
        impl Detached<$t> {
            /// Adds an element; one whose id is already present is handed
            /// back, leaving the set untouched (rare, and its own source
            /// makes the duplicate's message: boxing it would cost more).
            #[allow(clippy::result_large_err)]
            pub fn push(&mut self, mut x: $t) -> Result<u32, $t> {
                $compact(&mut x);
                push_unique(&mut self.table, &mut self.items, x)
            }

            /// The element with id `key`.
            pub fn get(&self, key: &str) -> Option<&$t> {
                find(&self.table, &self.items, key).map(|i| &self.items[i as usize])
            }

            pub fn len(&self) -> usize {
                self.items.len()
            }

            pub fn is_empty(&self) -> bool {
                self.items.is_empty()
            }
        }
    )*};
}
detached!(Node, Node::compact; Link, Link::compact);

impl Detached<Node> {
    /// The nodes with their id table; fails on a duplicate id.
    pub fn indexed(items: Vec<Node>) -> crate::Result<Self> {
        let table = table_of(&items, "node")?;
        Ok(Self { items, table })
    }
}

/// A table of every element of `items` where the first of two equal ids
/// wins, and the first id seen twice: one probe per element finds a
/// duplicate or the free slot.
fn index_of<T: Keyed>(items: &[T]) -> (HashTable<u32>, Option<&str>) {
    let mut table = HashTable::with_capacity(items.len());
    let mut duplicate = None;
    for (i, item) in items.iter().enumerate() {
        let key = item.key();
        let entry = table.entry(
            hash_key(key),
            |&j| items[j as usize].key() == key,
            |&j| hash_key(items[j as usize].key()),
        );
        match entry {
            hashbrown::hash_table::Entry::Vacant(slot) => {
                slot.insert(u32::try_from(i).expect("more than u32::MAX elements"));
            }
            hashbrown::hash_table::Entry::Occupied(_) => {
                duplicate = duplicate.or(Some(key));
            }
        }
    }
    (table, duplicate)
}

/// The table of ids already checked (a compiled network's, checked when the
/// file was written and guarded by its checksum): the first of two equal
/// ids wins.
fn table_first_wins<T: Keyed>(items: &[T]) -> HashTable<u32> {
    index_of(items).0
}

/// A table of every element of `items`; fails on a duplicate id.
fn table_of<T: Keyed>(items: &[T], kind: &'static str) -> crate::Result<HashTable<u32>> {
    match index_of(items) {
        (table, None) => Ok(table),
        (_, Some(id)) => Err(crate::Error::DuplicateId {
            kind,
            id: id.to_string(),
        }),
    }
}

impl Default for Network {
    fn default() -> Self {
        Self::new("network")
    }
}

impl Network {
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_string(),
            currency: "EUR".to_string(),
            flow_unit: FlowUnit::TonnesPerDay,
            defaults: ModeDefaults::table(),
            vehicles: Vehicles::default(),
            carbon_price_per_t: 0.0,
            nodes: Vec::new(),
            links: Vec::new(),
            terminals: Vec::new(),
            borders: Vec::new(),
            commodities: Vec::new(),
            index: Index::default(),
        }
    }

    pub fn n_nodes(&self) -> usize {
        self.nodes.len()
    }
    pub fn n_links(&self) -> usize {
        self.links.len()
    }

    /// Makes room for `nodes` more nodes and `links` more links, so that a
    /// reader that knows its counts does not leave up to half of the
    /// element vectors unused after their last doubling.
    pub fn reserve(&mut self, nodes: usize, links: usize) {
        self.nodes.reserve_exact(nodes);
        self.links.reserve_exact(links);
        let n = &self.nodes;
        self.index
            .nodes
            .reserve(nodes, |&j| hash_key(n[j as usize].key()));
        self.link_table_mut();
        let l = &self.links;
        if let Some(table) = self.index.links.get_mut() {
            table.reserve(links, |&j| hash_key(l[j as usize].key()));
        }
    }

    /// The link table, built first if it is not yet.
    fn link_table_mut(&mut self) -> &mut HashTable<u32> {
        if self.index.links.get().is_none() {
            let _ = self.index.links.set(table_first_wins(&self.links));
        }
        self.index.links.get_mut().expect("built above")
    }

    /// Adds a node; its `source_id` must be new.
    pub fn add_node(&mut self, mut node: Node) -> crate::Result<NodeId> {
        node.compact();
        push_or_error(&mut self.index.nodes, &mut self.nodes, "node", node).map(NodeId)
    }
    pub fn add_link(&mut self, mut link: Link) -> crate::Result<LinkId> {
        link.compact();
        self.link_table_mut();
        let table = self.index.links.get_mut().expect("built above");
        push_or_error(table, &mut self.links, "link", link).map(LinkId)
    }
    pub fn add_terminal(&mut self, t: Terminal) -> crate::Result<TerminalId> {
        push_or_error(
            &mut self.index.terminals,
            &mut self.terminals,
            "terminal",
            t,
        )
        .map(TerminalId)
    }
    pub fn add_border(&mut self, b: Border) -> crate::Result<BorderId> {
        push_or_error(&mut self.index.borders, &mut self.borders, "border", b).map(BorderId)
    }
    pub fn add_commodity(&mut self, c: Commodity) -> crate::Result<CommodityId> {
        push_or_error(
            &mut self.index.commodities,
            &mut self.commodities,
            "commodity",
            c,
        )
        .map(CommodityId)
    }

    /// Takes the nodes out with their id table (see [`Detached`]); the
    /// network has no nodes until [`Network::attach_nodes`] puts them back.
    pub fn detach_nodes(&mut self) -> Detached<Node> {
        Detached {
            items: std::mem::take(&mut self.nodes),
            table: std::mem::take(&mut self.index.nodes),
        }
    }

    pub fn attach_nodes(&mut self, d: Detached<Node>) {
        self.nodes = d.items;
        self.index.nodes = d.table;
    }

    /// Takes the links out with their id table (see [`Detached`]); the
    /// network has no links until [`Network::attach_links`] puts them back.
    pub fn detach_links(&mut self) -> Detached<Link> {
        self.link_table_mut();
        Detached {
            items: std::mem::take(&mut self.links),
            table: self.index.links.take().expect("built above"),
        }
    }

    pub fn attach_links(&mut self, d: Detached<Link>) {
        self.links = d.items;
        self.index.links = OnceLock::from(d.table);
    }

    pub fn node_id(&self, source_id: &str) -> Option<NodeId> {
        find(&self.index.nodes, &self.nodes, source_id).map(NodeId)
    }
    pub fn link_id(&self, source_id: &str) -> Option<LinkId> {
        let table = self
            .index
            .links
            .get_or_init(|| table_first_wins(&self.links));
        find(table, &self.links, source_id).map(LinkId)
    }
    pub fn terminal_id(&self, source_id: &str) -> Option<TerminalId> {
        find(&self.index.terminals, &self.terminals, source_id).map(TerminalId)
    }
    pub fn border_id(&self, source_id: &str) -> Option<BorderId> {
        find(&self.index.borders, &self.borders, source_id).map(BorderId)
    }
    pub fn commodity_id(&self, source_id: &str) -> Option<CommodityId> {
        find(&self.index.commodities, &self.commodities, source_id).map(CommodityId)
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }
    pub fn link(&self, id: LinkId) -> &Link {
        &self.links[id.index()]
    }

    /// Rebuilds the id lookups after elements were removed or renamed in
    /// place (scenario edits). Fails on a duplicate id.
    pub fn reindex(&mut self) -> crate::Result<()> {
        // The node and link tables of a large network are built side by
        // side (what a compiled network's load waits for).
        let (nodes, links) = if self.nodes.len().min(self.links.len()) > 1 << 16 {
            std::thread::scope(|s| {
                let nodes = s.spawn(|| table_of(&self.nodes, "node"));
                let links = table_of(&self.links, "link");
                let nodes = nodes
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p));
                (nodes, links)
            })
        } else {
            (table_of(&self.nodes, "node"), table_of(&self.links, "link"))
        };
        self.index = Index {
            nodes: nodes?,
            links: OnceLock::from(links?),
            terminals: table_of(&self.terminals, "terminal")?,
            borders: table_of(&self.borders, "border")?,
            commodities: table_of(&self.commodities, "commodity")?,
        };
        Ok(())
    }

    /// Rebuilds the lookups of a network read from a compiled file, whose
    /// link ids were checked when it was written: the link table waits for
    /// the first lookup of a link by id (a route never makes one), and two
    /// equal link ids would resolve to the first. The nodes come indexed
    /// ([`Detached::indexed`]): a reader builds their table while it
    /// decodes the links.
    pub fn reindex_compiled(&mut self, nodes: Detached<Node>) -> crate::Result<()> {
        self.nodes = nodes.items;
        self.index = Index {
            nodes: nodes.table,
            links: OnceLock::new(),
            terminals: table_of(&self.terminals, "terminal")?,
            borders: table_of(&self.borders, "border")?,
            commodities: table_of(&self.commodities, "commodity")?,
        };
        Ok(())
    }

    /// Removes the nodes for which `keep` is false together with every link,
    /// terminal and border at them, renumbering what stays.
    pub fn retain_nodes(&mut self, mut keep: impl FnMut(&Node) -> bool) {
        let mut remap = vec![None; self.nodes.len()];
        let mut next = 0u32;
        for (i, n) in self.nodes.iter().enumerate() {
            if keep(n) {
                remap[i] = Some(NodeId(next));
                next += 1;
            }
        }
        let mut i = 0;
        self.nodes.retain(|_| {
            i += 1;
            remap[i - 1].is_some()
        });
        self.links
            .retain_mut(|l| match (remap[l.from.index()], remap[l.to.index()]) {
                (Some(a), Some(b)) => {
                    l.from = a;
                    l.to = b;
                    true
                }
                _ => false,
            });
        self.terminals
            .retain_mut(|t| remap[t.node.index()].map(|n| t.node = n).is_some());
        self.borders
            .retain_mut(|b| remap[b.node.index()].map(|n| b.node = n).is_some());
        self.reindex()
            .expect("removing elements cannot create duplicates");
    }

    /// Great-circle distance between two nodes in km.
    pub fn great_circle_km(&self, a: NodeId, b: NodeId) -> f64 {
        let (a, b) = (self.node(a), self.node(b));
        haversine_km(a.lon, a.lat, b.lon, b.lat)
    }

    /// Travel time of a link in hours: its fixed time, or length over speed.
    pub fn link_hours(&self, link: &Link) -> f64 {
        link.hours.unwrap_or_else(|| {
            let speed = link
                .speed_kmh
                .unwrap_or(self.defaults.get(link.mode).speed_kmh);
            link.length_km / speed
        })
    }
    /// Money per tonne to traverse a link (haulage plus toll).
    pub fn link_cost_per_t(&self, link: &Link) -> f64 {
        link.cost_per_tkm
            .unwrap_or(self.defaults.get(link.mode).cost_per_tkm)
            * link.length_km
            + link.toll
    }
    /// kg CO2 per tonne to traverse a link.
    pub fn link_co2_kg_per_t(&self, link: &Link) -> f64 {
        link.co2_kg_per_tkm
            .unwrap_or(self.defaults.get(link.mode).co2_kg_per_tkm)
            * link.length_km
    }
    /// Money per tonne that a vehicle of `mode` costs while it waits out
    /// the border's dwell: dwell hours times the mode's waiting cost. The
    /// border's fee is not in it ([`Network::border_cost_per_t`] adds it).
    pub fn border_waiting_cost_per_t(&self, border: &Border, mode: Mode) -> f64 {
        *border.dwell_hours.get(mode) * self.defaults.get(mode).waiting_cost_per_t_h
    }
    /// Money per tonne to cross a border in `mode`: its fee plus what the
    /// vehicle costs while it waits.
    pub fn border_cost_per_t(&self, border: &Border, mode: Mode) -> f64 {
        border.fee_per_t + self.border_waiting_cost_per_t(border, mode)
    }

    /// The layers present at each node (from the links touching it), sorted.
    pub fn layers_at_nodes(&self) -> Vec<BTreeSet<Layer>> {
        let mut at = vec![BTreeSet::new(); self.nodes.len()];
        for l in &self.links {
            at[l.from.index()].insert(l.layer());
            at[l.to.index()].insert(l.layer());
        }
        at
    }

    /// Counts of links by layer, for summaries.
    pub fn links_by_layer(&self) -> BTreeMap<Layer, (usize, f64)> {
        let mut m: BTreeMap<Layer, (usize, f64)> = BTreeMap::new();
        for l in &self.links {
            let e = m.entry(l.layer()).or_default();
            e.0 += 1;
            e.1 += l.length_km;
        }
        m
    }
}

/// Great-circle distance in km on a sphere of radius 6371.0088 km.
pub fn haversine_km(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0088 * a.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_matches_a_known_distance() {
        // Kyiv (30.52, 50.45) to Warsaw (21.01, 52.23): about 690 km.
        let d = haversine_km(30.5234, 50.4501, 21.0122, 52.2297);
        assert!((d - 690.0).abs() < 10.0, "{d}");
    }

    #[test]
    fn duplicates_are_refused_and_retain_renumbers() {
        let mut n = Network::new("t");
        let a = n
            .add_node(Node::new("A", NodeKind::City, 0.0, 0.0, "UA"))
            .unwrap();
        let b = n
            .add_node(Node::new("B", NodeKind::City, 1.0, 0.0, "UA"))
            .unwrap();
        let c = n
            .add_node(Node::new("C", NodeKind::City, 2.0, 0.0, "PL"))
            .unwrap();
        assert!(
            n.add_node(Node::new("A", NodeKind::City, 0.0, 0.0, "UA"))
                .is_err()
        );
        // The refused duplicate leaves the lookup on the original.
        assert_eq!(n.node_id("A"), Some(a));
        assert_eq!(n.n_nodes(), 3);
        n.add_link(Link::new("ab", a, b, Mode::Road, None, 10.0))
            .unwrap();
        n.add_link(Link::new("bc", b, c, Mode::Road, None, 10.0))
            .unwrap();
        n.retain_nodes(|x| x.source_id != "A");
        assert_eq!(n.n_nodes(), 2);
        assert_eq!(n.n_links(), 1);
        let l = &n.links[0];
        assert_eq!(n.node(l.from).source_id, "B");
        assert_eq!(n.node_id("C"), Some(NodeId(1)));
    }

    #[test]
    fn links_keep_rare_fields_apart_and_free_them_when_default() {
        // What keeps a network of millions of links small (issue 14).
        assert!(
            std::mem::size_of::<Link>() <= 96,
            "{}",
            std::mem::size_of::<Link>()
        );
        let mut l = Link::new("ab", NodeId(0), NodeId(1), Mode::Rail, Some(1435), 3.0);
        assert!(!l.has_details());
        assert_eq!((l.hours, l.toll, l.tags.len()), (None, 0.0, 0));
        l.hours = Some(2.0);
        l.tags.push("x".into());
        assert!(l.has_details());
        let copy = l.clone();
        assert_eq!(copy, l);
        assert_eq!(copy.hours, Some(2.0));
        l.hours = None;
        l.tags.clear();
        assert_ne!(copy, l);
        l.compact();
        assert!(l.details.is_none() && !l.has_details());
        assert_eq!(
            l,
            Link::new("ab", NodeId(0), NodeId(1), Mode::Rail, Some(1435), 3.0)
        );
        // A toll of -0.0 is a detail (kept bit for bit by compiled files).
        l.toll = -0.0;
        l.compact();
        assert!(l.details.is_some());
        l.set_details(LinkDetails::default());
        assert!(l.details.is_none());
        // The network's JSON still lists every field.
        let v = serde_json::to_value(&copy).unwrap();
        assert_eq!(v["hours"], 2.0);
        assert_eq!(v["tags"][0], "x");
        assert!(v["bpr_alpha"].is_null() && v["geometry"].as_array().unwrap().is_empty());
        assert!(
            std::mem::size_of::<Node>() <= 128,
            "{}",
            std::mem::size_of::<Node>()
        );
        let mut node = Node::new("A", NodeKind::City, 0.0, 0.0, "UA");
        node.tags = Vec::new();
        assert!(node.details.is_some());
        node.compact();
        assert!(node.details.is_none() && node.tags.is_empty());
        node.capacity_t_per_day = Some(5.0);
        assert_eq!(
            serde_json::to_value(&node).unwrap()["capacity_t_per_day"],
            5.0
        );
        // Added links without details hold none.
        let mut n = Network::new("t");
        let mut x = Link::new("x", NodeId(0), NodeId(0), Mode::Road, None, 1.0);
        x.speed_kmh = None;
        assert!(x.details.is_some());
        n.add_link(x).unwrap();
        assert!(n.links[0].details.is_none());
    }

    #[test]
    fn short_ids_names_and_countries_take_no_heap() {
        // A small heap string costs 32 bytes of allocator chunk on top of
        // its 24-byte handle: 80 bytes a link on the 2M-link grid (issue 14).
        let n = Node::new("n999_999", NodeKind::Station, 0.0, 0.0, "DE");
        assert!(!n.source_id.is_heap_allocated() && !n.name.is_heap_allocated());
        assert!(!n.country.is_heap_allocated());
        let l = Link::new("e999_998", NodeId(0), NodeId(1), Mode::Rail, None, 1.0);
        assert!(!l.source_id.is_heap_allocated());
        let long = "a link id longer than twenty-four bytes";
        let l = Link::new(long, NodeId(0), NodeId(1), Mode::Rail, None, 1.0);
        assert_eq!(l.source_id, long);
        assert_eq!(serde_json::to_value(&n).unwrap()["source_id"], "n999_999");
    }

    #[test]
    fn lookups_follow_renames_after_reindex_and_refuse_duplicates() {
        let mut n = Network::new("t");
        for i in 0..1000 {
            let id = format!("N{i}");
            n.add_node(Node::new(&id, NodeKind::City, 0.0, 0.0, "UA"))
                .unwrap();
        }
        assert_eq!(n.node_id("N999"), Some(NodeId(999)));
        assert_eq!(n.node_id("N1000"), None);
        n.nodes[7].source_id = "renamed".into();
        n.reindex().unwrap();
        assert_eq!(n.node_id("renamed"), Some(NodeId(7)));
        assert_eq!(n.node_id("N7"), None);
        n.nodes[8].source_id = "renamed".into();
        let err = n.reindex().unwrap_err().to_string();
        assert!(err.contains("renamed"), "{err}");
        // A failed reindex keeps the lookups it had.
        assert_eq!(n.node_id("renamed"), Some(NodeId(7)));
    }
}

#[cfg(test)]
mod lazy_link_table {
    use super::*;

    fn grid() -> Network {
        let mut n = Network::new("t");
        for i in 0..3 {
            n.add_node(Node::new(&format!("N{i}"), NodeKind::City, 0.0, 0.0, "UA"))
                .unwrap();
        }
        for i in 0..2u32 {
            n.add_link(Link::new(
                &format!("L{i}"),
                NodeId(i),
                NodeId(i + 1),
                Mode::Rail,
                None,
                1.0,
            ))
            .unwrap();
        }
        n
    }

    #[test]
    fn a_compiled_networks_link_table_is_built_on_first_lookup() {
        let mut n = grid();
        let nodes = Detached::indexed(std::mem::take(&mut n.nodes)).unwrap();
        n.reindex_compiled(nodes).unwrap();
        assert!(n.index.links.get().is_none());
        assert_eq!(n.node_id("N2"), Some(NodeId(2)));
        assert!(
            n.index.links.get().is_none(),
            "a node lookup builds no link table"
        );
        assert_eq!(n.link_id("L1"), Some(LinkId(1)));
        assert_eq!(n.link_id("L2"), None);
        assert!(n.index.links.get().is_some());
    }

    #[test]
    fn adding_to_a_compiled_network_still_refuses_a_duplicate_link() {
        let mut n = grid();
        let nodes = Detached::indexed(std::mem::take(&mut n.nodes)).unwrap();
        n.reindex_compiled(nodes).unwrap();
        let dup = Link::new("L0", NodeId(0), NodeId(2), Mode::Road, None, 1.0);
        assert!(n.add_link(dup).is_err());
        let new = Link::new("L2", NodeId(0), NodeId(2), Mode::Road, None, 1.0);
        assert_eq!(n.add_link(new).unwrap(), LinkId(2));
        assert_eq!(n.link_id("L2"), Some(LinkId(2)));
        n.reserve(0, 10);
        assert_eq!(n.link_id("L0"), Some(LinkId(0)));
    }

    #[test]
    fn detached_links_refuse_a_duplicate_and_go_back_with_their_table() {
        let mut n = grid();
        let mut links = n.detach_links();
        assert_eq!(n.n_links(), 0);
        let dup = Link::new("L0", NodeId(0), NodeId(2), Mode::Road, None, 1.0);
        let back = links.push(dup).unwrap_err();
        assert_eq!(back.to, NodeId(2), "the refused link is handed back");
        let new = Link::new("L2", NodeId(0), NodeId(2), Mode::Road, None, 1.0);
        assert_eq!(links.push(new).ok(), Some(2));
        assert_eq!(links.get("L0").map(|l| l.to), Some(NodeId(1)));
        n.attach_links(links);
        assert_eq!(n.link_id("L2"), Some(LinkId(2)));
        assert!(
            n.add_link(Link::new("L1", NodeId(0), NodeId(1), Mode::Road, None, 1.0))
                .is_err()
        );
    }

    #[test]
    fn indexed_nodes_refuse_a_duplicate_id() {
        let mut nodes = grid().nodes;
        nodes.push(nodes[0].clone());
        assert!(Detached::indexed(nodes).is_err());
    }
}
