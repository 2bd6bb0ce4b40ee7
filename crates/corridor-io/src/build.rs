//! Turns format-neutral [`Record`]s into a [`Network`], one element at a
//! time, so that TOML and CSV networks mean exactly the same thing. Every
//! broken record becomes a diagnostic and reading goes on; elements with a
//! bad optional field are still added (with the field left out) so that one
//! typo does not cascade into "unknown node" errors further down. This module
//! does not parse any file syntax and does not run `Network::validate`.

use crate::record::{Reader, Record};
use crate::units;
use corridor_model::network::haversine_km;
use corridor_model::{
    Border, Commodity, CommodityClass, CommodityRule, Detached, Diagnostic, FlowUnit, Layer, Link,
    LinkDetails, Mode, ModeDefaults, ModeTable, Network, Node, NodeId, NodeKind, Quantity,
    SourceRef, Terminal, Vehicles, quantity::gauge_mm,
};
use std::collections::BTreeSet;

/// Everything a reader found, grouped by element kind.
#[derive(Default)]
pub(crate) struct Sources {
    /// Header fields with dotted keys (`network.name`, `defaults.rail.speed`,
    /// `vehicles.train_payload`).
    pub header: Vec<Record>,
    pub commodities: Vec<Record>,
    pub nodes: Vec<Record>,
    pub links: Vec<Record>,
    pub terminals: Vec<Record>,
    pub borders: Vec<Record>,
    /// Problems the reader itself found (e.g. a CSV row of the wrong width).
    pub diagnostics: Vec<Diagnostic>,
}

/// Builds the network in dependency order: header, commodities, nodes,
/// links, terminals, borders.
pub(crate) fn build(src: Sources) -> (Network, Vec<Diagnostic>) {
    let mut b = Builder::new(src.diagnostics);
    for rec in &src.header {
        b.header(rec);
    }
    for rec in &src.commodities {
        b.commodity(rec);
    }
    // Each record's diagnostics lie between its line and the next one's,
    // so once sorted by line (`Loaded::new`) those of records built on
    // every core come out as one at a time; records sharing a line
    // (inline tables) are built one at a time.
    let one_line_each = |recs: &[Record]| recs.windows(2).all(|w| w[0].line < w[1].line);
    if src.nodes.len() >= 1 << 12 && one_line_each(&src.nodes) {
        b.records(&src.nodes, node_element, add_node);
    } else {
        src.nodes.iter().for_each(|rec| b.node(rec));
    }
    if src.links.len() >= 1 << 12 && one_line_each(&src.links) {
        b.records(&src.links, link_element, add_link);
    } else {
        src.links.iter().for_each(|rec| b.link(rec));
    }
    for rec in &src.terminals {
        b.terminal(rec);
    }
    for rec in &src.borders {
        b.border(rec);
    }
    b.finish()
}

/// The network under construction, fed one record at a time so that a
/// reader can drop each record once it is built (a CSV bundle of millions
/// of links never holds its records all at once). Records must come in
/// dependency order: header, commodities, nodes, links, terminals, borders.
pub(crate) struct Builder {
    net: Network,
    diags: Vec<Diagnostic>,
    /// Commodity and class names (lowercase) that accept/ban lists may
    /// name; filled when the first element after the commodities comes.
    names: Option<BTreeSet<String>>,
}

impl Builder {
    pub(crate) fn new(diagnostics: Vec<Diagnostic>) -> Self {
        Self {
            net: Network::new("network"),
            diags: diagnostics,
            names: None,
        }
    }

    /// Problems found outside the records (e.g. a CSV row of the wrong
    /// width), kept in the order they come.
    pub(crate) fn diagnostic(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// Room for this many more nodes and links (see [`Network::reserve`]).
    pub(crate) fn reserve(&mut self, nodes: usize, links: usize) {
        self.net.reserve(nodes, links);
    }

    pub(crate) fn header(&mut self, rec: &Record) {
        header(rec, &mut self.net, &mut self.diags);
    }

    pub(crate) fn commodity(&mut self, rec: &Record) {
        commodity(rec, &mut self.net, &mut self.diags);
    }

    pub(crate) fn node(&mut self, rec: &Record) {
        node(rec, &mut self.net, &mut self.diags);
    }

    pub(crate) fn link(&mut self, rec: &Record) {
        let names = self.names();
        link(rec, &mut self.net, &names, &mut self.diags);
        self.names = Some(names);
    }

    pub(crate) fn terminal(&mut self, rec: &Record) {
        let names = self.names();
        terminal(rec, &mut self.net, &names, &mut self.diags);
        self.names = Some(names);
    }

    pub(crate) fn border(&mut self, rec: &Record) {
        let names = self.names();
        border(rec, &mut self.net, &names, &mut self.diags);
        self.names = Some(names);
    }

    /// Elements built from records on other threads: `build` gets the
    /// network and the commodity names and returns, per piece of the file
    /// in order, the elements built and the diagnostics found; they are
    /// then added in that order with `add`.
    pub(crate) fn add_built_with<T>(
        &mut self,
        build: impl FnOnce(&Network, &BTreeSet<String>) -> Vec<(Vec<Built<T>>, Vec<Diagnostic>)>,
        add: AddFn<T>,
    ) {
        let names = self.names();
        let pieces = build(&self.net, &names);
        self.names = Some(names);
        for (built, diags) in pieces {
            self.diags.extend(diags);
            for x in built {
                add(&mut self.net, x, &mut self.diags);
            }
        }
    }

    /// Records already in memory (a TOML network's nodes or links), built
    /// on every core and added in order.
    pub(crate) fn records<T: Send>(&mut self, recs: &[Record], build: BuildFn<T>, add: AddFn<T>) {
        use rayon::prelude::*;
        self.add_built_with(
            |net, names| {
                recs.par_chunks(1 << 10)
                    .map(|part| {
                        let mut diags = Vec::new();
                        let built = part
                            .iter()
                            .filter_map(|r| build(r, net, names, &mut diags))
                            .collect();
                        (built, diags)
                    })
                    .collect()
            },
            add,
        );
    }

    /// Elements built on other threads and added alongside: `produce` gets
    /// the network (without the elements of this kind, taken out with
    /// `side.detach`) and the commodity names, and hands over, per block
    /// of the file in order, the elements built and the diagnostics found
    /// per piece; a thread of its own adds them in that order with
    /// `side.add` while `produce` builds the next block. Diagnostics and
    /// elements come out as [`Builder::add_built_with`] gives them.
    pub(crate) fn add_built_alongside<T: Send, R>(
        &mut self,
        side: &Side<T>,
        produce: impl FnOnce(&Network, &BTreeSet<String>, &mut dyn FnMut(Pieces<T>)) -> R,
    ) -> R {
        let names = self.names();
        let mut set = (side.detach)(&mut self.net);
        let net = &self.net;
        let add = side.add;
        let (set, diags, r) = std::thread::scope(|s| {
            // One block waits while one is added: a few tens of MB in flight.
            let (tx, rx) = std::sync::mpsc::sync_channel::<Pieces<T>>(1);
            let adder = s.spawn(move || {
                let mut diags = Vec::new();
                for pieces in rx {
                    for (built, d) in pieces {
                        diags.extend(d);
                        for x in built {
                            add(&mut set, x, &mut diags);
                        }
                    }
                }
                (set, diags)
            });
            // A send fails only when the adder panicked: its join says so.
            let r = produce(net, &names, &mut |p| drop(tx.send(p)));
            drop(tx);
            let (set, diags) = adder
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            (set, diags, r)
        });
        (side.attach)(&mut self.net, set);
        self.diags.extend(diags);
        self.names = Some(names);
        r
    }

    /// The names, computed once the commodities are all in (taken out and
    /// put back by the callers so the builder can be borrowed mutably).
    fn names(&mut self) -> BTreeSet<String> {
        if let Some(names) = self.names.take() {
            return names;
        }
        let mut names: BTreeSet<String> = self
            .net
            .commodities
            .iter()
            .map(|c| c.source_id.to_ascii_lowercase())
            .collect();
        for c in [
            CommodityClass::Bulk,
            CommodityClass::Container,
            CommodityClass::General,
            CommodityClass::Dangerous,
        ] {
            names.insert(c.as_str().to_string());
        }
        names
    }

    pub(crate) fn finish(self) -> (Network, Vec<Diagnostic>) {
        (self.net, self.diags)
    }
}

fn header(rec: &Record, net: &mut Network, diags: &mut Vec<Diagnostic>) {
    let mut r = Reader::new(rec, "network".to_string(), diags);
    if let Some(v) = r.text(&["network.name"]) {
        net.name = v;
    }
    if let Some(v) = r.text(&["network.currency"]) {
        net.currency = v;
    }
    if let Some(v) = r.number(
        &["network.carbon_price", "network.carbon_price_per_t"],
        units::parse_non_negative,
    ) {
        net.carbon_price_per_t = v;
    }
    if let Some(v) = r.text(&["network.flow_unit"]) {
        match v.as_str() {
            "t/day" => net.flow_unit = FlowUnit::TonnesPerDay,
            "veh/h" => net.flow_unit = FlowUnit::VehiclesPerHour,
            other => r.error(
                "network.flow_unit",
                format!("unknown flow unit \"{other}\" (expected t/day, veh/h)"),
            ),
        }
    }
    let vehicles = net.vehicles;
    for f in &Vehicles::FIELDS {
        let key = format!("vehicles.{}", f.key);
        if let Some(x) = r.number(&[&key], |s| units::parse(f.quantity, s, &vehicles)) {
            *(f.get_mut)(&mut net.vehicles) = x;
        }
    }
    for mode in Mode::ALL {
        for f in &ModeDefaults::FIELDS {
            let key = format!("defaults.{mode}.{}", f.key);
            if let Some(x) = r.number(&[&key], |s| units::parse(f.quantity, s, &vehicles)) {
                *(f.get_mut)(net.defaults.get_mut(mode)) = x;
            }
        }
    }
    r.finish();
}

fn commodity(rec: &Record, net: &mut Network, diags: &mut Vec<Diagnostic>) {
    let mut r = Reader::new(rec, "commodity".to_string(), diags);
    let name = r.required_text(&["name", "id"]);
    if let Some(n) = &name {
        r.subject = format!("commodity \"{n}\"");
    }
    let class: Option<CommodityClass> = r.parsed(&["class"]);
    if class.is_none() && !r.has(&["class"]) {
        r.error(
            "class",
            "missing required field (bulk, container, general, dangerous)",
        );
    }
    let vot = r
        .number(
            &["value_of_time", "value_of_time_per_t_h"],
            units::parse_non_negative,
        )
        .unwrap_or(0.0);
    // Capacity-equivalent tonnes per tonne: one number for every mode,
    // overridden per mode (`capacity_factor.rail` / `capacity_factor_rail`).
    let positive = |s: &str| Quantity::Ratio.check(units::parse_number(s)?);
    let all_modes = r.number(&["capacity_factor"], positive).unwrap_or(1.0);
    let mut factor = ModeTable::from_fn(|_| all_modes);
    for mode in Mode::ALL {
        let dotted = format!("capacity_factor.{mode}");
        let flat = format!("capacity_factor_{mode}");
        if let Some(x) = r.number(&[&dotted, &flat], positive) {
            *factor.get_mut(mode) = x;
        }
    }
    let vessels = r.list(&["vessels"]);
    for v in &vessels {
        if corridor_model::VesselClass::by_id(v).is_none() {
            let known: Vec<&str> = corridor_model::VESSEL_CLASSES
                .iter()
                .map(|v| v.id)
                .collect();
            r.error(
                "vessels",
                format!(
                    "unknown vessel class \"{v}\" (expected {})",
                    known.join(", ")
                ),
            );
        }
    }
    let subject = r.subject.clone();
    r.finish();
    let Some(name) = name else { return };
    let mut c = Commodity::new(&name, class.unwrap_or(CommodityClass::General), vot);
    c.capacity_factor = factor;
    c.vessels = vessels;
    c.source = Some(rec.source());
    let first = net
        .commodity_id(&name)
        .and_then(|i| net.commodities[i.index()].source.clone());
    // The model refuses a duplicate id and leaves its index untouched.
    if net.add_commodity(c).is_err() {
        diags.push(duplicate(&subject, "name", &name, rec, first));
    }
}

fn duplicate(
    subject: &str,
    field: &str,
    id: &str,
    rec: &Record,
    first: Option<SourceRef>,
) -> Diagnostic {
    let line = rec.fields.get(field).map_or(rec.line, |f| f.line);
    let first = first
        .map(|s| format!(" (first defined at {s})"))
        .unwrap_or_default();
    Diagnostic::error(
        subject,
        Some(field),
        format!("duplicate id \"{id}\"{first}"),
    )
    .at(Some(SourceRef {
        file: rec.file.clone(),
        line,
    }))
}

fn node(rec: &Record, net: &mut Network, diags: &mut Vec<Diagnostic>) {
    if let Some(built) = node_element(rec, net, &BTreeSet::new(), diags) {
        add_node(net, built, diags);
    }
}

/// A node record as a model node, without adding it (see [`BuildFn`];
/// nodes name no commodities).
pub(crate) fn node_element(
    rec: &Record,
    net: &Network,
    _names: &BTreeSet<String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Built<Node>> {
    let vehicles = net.vehicles;
    let mut r = Reader::new(rec, "node".to_string(), diags);
    let id = r.required_text(&["id"]);
    if let Some(id) = &id {
        r.subject = format!("node \"{id}\"");
    }
    let name = r.text(&["name"]);
    let kind: Option<NodeKind> = r.parsed(&["kind"]);
    let degrees = |q: Quantity| move |s: &str| q.check(units::parse_number(s)?);
    let lon = r.required_number(
        &["lon", "lng", "longitude", "x"],
        degrees(Quantity::Longitude),
    );
    let lat = r.required_number(&["lat", "latitude", "y"], degrees(Quantity::Latitude));
    let country = r.text(&["country"]).unwrap_or_default();
    let capacity = r.number(&["capacity"], |s| units::parse_capacity(s, &vehicles));
    let open = r.flag(&["open"]).unwrap_or(true);
    let tags = r.list(&["tags"]);
    let no_through = r.flag(&["no_through"]).unwrap_or(false);
    r.finish();
    let id = id?;
    let mut n = Node::new(
        &id,
        kind.unwrap_or(NodeKind::City),
        lon.unwrap_or(0.0),
        lat.unwrap_or(0.0),
        &country,
    );
    if let Some(name) = name {
        n.name = name.into();
    }
    n.capacity_t_per_day = capacity;
    n.open = open;
    n.tags = tags;
    n.no_through = no_through;
    n.source = Some(rec.source());
    Some(Built {
        element: n,
        id_line: rec.fields.get("id").map_or(rec.line, |f| f.line),
    })
}

/// Adds a node built by [`node_element`] (see [`add_link`]).
pub(crate) fn add_node(net: &mut Network, built: Built<Node>, diags: &mut Vec<Diagnostic>) {
    let Built { element, id_line } = built;
    let file = element.source.as_ref().map(|s| s.file.clone());
    // The model refuses a duplicate id and leaves its index untouched, so
    // the first element is looked up only then (one lookup per node).
    if let Err(corridor_model::Error::DuplicateId { id, .. }) = net.add_node(element) {
        let first = net.node_id(&id).and_then(|i| net.node(i).source.clone());
        diags.push(duplicate_built("node", &id, (file, id_line), first));
    }
}

/// Looks up a node id, reporting an unknown one on `key`.
fn node_ref(r: &mut Reader<'_>, net: &Network, key: &str) -> Option<NodeId> {
    let id = r.required_text_ref(&[key])?;
    match net.node_id(&id) {
        Some(n) => Some(n),
        None => {
            r.error(key, format!("unknown node \"{id}\""));
            None
        }
    }
}

/// Accept/ban lists; names that are neither a commodity nor a class are
/// warned about because a misspelt ban would silently let cargo through.
fn rule(r: &mut Reader<'_>, allow: &[&str], names: &BTreeSet<String>) -> CommodityRule {
    let allowed = r.list(allow);
    let banned = r.list(&["ban", "banned"]);
    for (key, list) in [(allow[0], &allowed), ("ban", &banned)] {
        for x in list {
            if !names.contains(&x.to_ascii_lowercase()) {
                r.warning(
                    key,
                    format!("\"{x}\" is neither a commodity of this network nor a class"),
                );
            }
        }
    }
    CommodityRule { allowed, banned }
}

fn gauge(r: &mut Reader<'_>) -> Option<u16> {
    let text = r.text(&["gauge", "gauge_mm"])?;
    let digits = text.trim_end_matches("mm").trim();
    match digits.parse::<f64>().map(gauge_mm) {
        Ok(Ok(g)) => Some(g),
        Ok(Err(e)) => {
            r.error("gauge", e);
            None
        }
        Err(_) => {
            r.error(
                "gauge",
                format!("\"{text}\": expected a whole number of mm, e.g. 1435 or 1520"),
            );
            None
        }
    }
}

fn link(rec: &Record, net: &mut Network, names: &BTreeSet<String>, diags: &mut Vec<Diagnostic>) {
    if let Some(built) = link_element(rec, net, names, diags) {
        add_link(net, built, diags);
    }
}

/// A node or link record built but not yet added to the network.
pub(crate) struct Built<T> {
    pub(crate) element: T,
    /// The line of the id (a TOML key's own line), for a duplicate's
    /// diagnostic; the file is the element's source's (nothing more is
    /// kept per element: rows are built by the million).
    pub(crate) id_line: u64,
}

/// Builds one record on any thread (the network is only read).
pub(crate) type BuildFn<T> =
    fn(&Record, &Network, &BTreeSet<String>, &mut Vec<Diagnostic>) -> Option<Built<T>>;
/// Adds what a [`BuildFn`] built, in file order.
pub(crate) type AddFn<T> = fn(&mut Network, Built<T>, &mut Vec<Diagnostic>);

/// Per piece of a block in order: the elements built and the diagnostics.
pub(crate) type Pieces<T> = Vec<(Vec<Built<T>>, Vec<Diagnostic>)>;

/// How elements of one kind are taken out of the network, added on their
/// own thread and put back (see [`Builder::add_built_alongside`]).
pub(crate) struct Side<T> {
    pub(crate) detach: fn(&mut Network) -> Detached<T>,
    pub(crate) attach: fn(&mut Network, Detached<T>),
    pub(crate) add: fn(&mut Detached<T>, Built<T>, &mut Vec<Diagnostic>),
}

/// The nodes, as [`add_node`] adds them.
pub(crate) const NODES: Side<Node> = Side {
    detach: Network::detach_nodes,
    attach: Network::attach_nodes,
    add: |set, built, diags| {
        let Built { element, id_line } = built;
        if let Err(x) = set.push(element) {
            let first = set.get(&x.source_id).and_then(|n| n.source.clone());
            let file = x.source.map(|s| s.file);
            diags.push(duplicate_built(
                "node",
                &x.source_id,
                (file, id_line),
                first,
            ));
        }
    },
};

/// The links, as [`add_link`] adds them.
pub(crate) const LINKS: Side<Link> = Side {
    detach: Network::detach_links,
    attach: Network::attach_links,
    add: |set, built, diags| {
        let Built { element, id_line } = built;
        if let Err(x) = set.push(element) {
            let first = set.get(&x.source_id).and_then(|l| l.source.clone());
            let file = x.source.clone().map(|s| s.file);
            diags.push(duplicate_built(
                "link",
                &x.source_id,
                (file, id_line),
                first,
            ));
        }
    },
};

/// The duplicate-id error of a refused element, naming where the first
/// one is.
fn duplicate_built(
    kind: &str,
    id: &str,
    (file, line): (Option<std::sync::Arc<str>>, u64),
    first: Option<SourceRef>,
) -> Diagnostic {
    let first = first
        .map(|s| format!(" (first defined at {s})"))
        .unwrap_or_default();
    let subject = format!("{kind} \"{id}\"");
    let at = file.map(|file| SourceRef { file, line });
    Diagnostic::error(subject, Some("id"), format!("duplicate id \"{id}\"{first}")).at(at)
}

/// A link record as a model link, without adding it: reads the network
/// only, so rows can be built on several threads.
pub(crate) fn link_element(
    rec: &Record,
    net: &Network,
    names: &BTreeSet<String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Built<Link>> {
    let vehicles = net.vehicles;
    let mut r = Reader::new(rec, "link".to_string(), diags);
    let id = r.required_text(&["id"]);
    if let Some(id) = &id {
        r.subject = format!("link \"{id}\"");
    }
    let from = node_ref(&mut r, net, "from");
    let to = node_ref(&mut r, net, "to");
    let mode: Option<Mode> = r.parsed(&["mode"]);
    if mode.is_none() && !r.has(&["mode"]) {
        r.error("mode", "missing required field (road, rail, sea, river)");
    }
    let gauge = gauge(&mut r);
    let length = r.number(&["length", "length_km"], units::parse_km);
    let speed = r.number(&["speed", "speed_kmh"], units::parse_speed);
    let hours = r.number(&["hours", "time"], units::parse_hours);
    let cost = r.number(&["cost_per_tkm"], units::parse_non_negative);
    let co2 = r.number(
        &["co2_per_tkm", "co2_kg_per_tkm"],
        units::parse_non_negative,
    );
    let capacity = r.number(&["capacity"], |s| units::parse_capacity(s, &vehicles));
    let oneway = r.flag(&["oneway"]).unwrap_or(false);
    let commodities = rule(&mut r, &["allow", "accepts"], names);
    let open = r.flag(&["open"]).unwrap_or(true);
    let tags = r.list(&["tags"]);
    let bpr_alpha = r.number(&["bpr_alpha"], units::parse_non_negative);
    let bpr_beta = r.number(&["bpr_beta"], units::parse_non_negative);
    let toll = r
        .number(&["toll"], units::parse_non_negative)
        .unwrap_or(0.0);
    let geometry = r.geometry(&["geometry"]);
    r.finish();
    let (Some(id), Some(from), Some(to), Some(mode)) = (id, from, to, mode) else {
        return None;
    };
    let length = length.unwrap_or_else(|| {
        let (a, b) = (net.node(from), net.node(to));
        haversine_km(a.lon, a.lat, b.lon, b.lat) * net.defaults.get(mode).detour_factor
    });
    let mut l = Link::new(&id, from, to, mode, gauge, length);
    l.capacity_t_per_day = capacity;
    l.oneway = oneway;
    l.open = open;
    l.set_details(LinkDetails {
        speed_kmh: speed,
        hours,
        cost_per_tkm: cost,
        co2_kg_per_tkm: co2,
        bpr_alpha,
        bpr_beta,
        toll,
        commodities,
        tags,
        geometry,
    });
    l.source = Some(rec.source());
    Some(Built {
        element: l,
        id_line: rec.fields.get("id").map_or(rec.line, |f| f.line),
    })
}

/// Adds a link built by [`link_element`]; a duplicate id is an error at
/// the id, naming where the first one is.
pub(crate) fn add_link(net: &mut Network, built: Built<Link>, diags: &mut Vec<Diagnostic>) {
    let Built { element, id_line } = built;
    let file = element.source.as_ref().map(|s| s.file.clone());
    // The model refuses a duplicate id and leaves its index untouched, so
    // the first element is looked up only then (one lookup per link).
    if let Err(corridor_model::Error::DuplicateId { id, .. }) = net.add_link(element) {
        let first = net.link_id(&id).and_then(|i| net.link(i).source.clone());
        diags.push(duplicate_built("link", &id, (file, id_line), first));
    }
}

/// `"rail:1520 <-> rail:1435"`; `<>` and `-` between spaces are accepted too.
pub(crate) fn parse_transfer(s: &str) -> Result<(Layer, Layer), String> {
    let seps = ["<->", "<>", " - "];
    let Some((a, b)) = seps.iter().find_map(|sep| s.split_once(sep)) else {
        return Err(format!(
            "\"{s}\": expected \"LAYER <-> LAYER\", e.g. \"rail:1520 <-> rail:1435\" or \"rail:1520 <-> sea\""
        ));
    };
    Ok((a.parse()?, b.parse()?))
}

fn terminal(
    rec: &Record,
    net: &mut Network,
    names: &BTreeSet<String>,
    diags: &mut Vec<Diagnostic>,
) {
    let vehicles = net.vehicles;
    let mut r = Reader::new(rec, "terminal".to_string(), diags);
    let id = r.required_text(&["id"]);
    if let Some(id) = &id {
        r.subject = format!("terminal \"{id}\"");
    }
    let name = r.text(&["name"]);
    let node = node_ref(&mut r, net, "node");
    let connects = r.list(&["connects", "transfers"]);
    let mut transfers = Vec::new();
    if connects.is_empty() {
        r.error(
            "connects",
            "missing required field (e.g. connects = [\"rail:1520 <-> rail:1435\"])",
        );
    }
    for c in &connects {
        match parse_transfer(c) {
            Ok(t) => transfers.push(t),
            Err(e) => r.error("connects", e),
        }
    }
    let handling = r
        .number(
            &["handling_cost", "handling_cost_per_t"],
            units::parse_non_negative,
        )
        .unwrap_or(0.0);
    let hours = r
        .number(&["hours", "time"], units::parse_hours)
        .unwrap_or(0.0);
    let co2 = r
        .number(&["co2_per_t", "co2_kg_per_t"], units::parse_non_negative)
        .unwrap_or(0.0);
    let capacity = r.number(&["capacity"], |s| units::parse_capacity(s, &vehicles));
    let commodities = rule(&mut r, &["accepts", "allow"], names);
    let open = r.flag(&["open"]).unwrap_or(true);
    let tags = r.list(&["tags"]);
    let subject = r.subject.clone();
    r.finish();
    let (Some(id), Some(node)) = (id, node) else {
        return;
    };
    let t = Terminal {
        source_id: id.clone(),
        name: name.unwrap_or_else(|| id.clone()),
        node,
        transfers,
        handling_cost_per_t: handling,
        hours,
        co2_kg_per_t: co2,
        capacity_t_per_day: capacity,
        commodities,
        open,
        tags,
        source: Some(rec.source()),
    };
    let first = net
        .terminal_id(&id)
        .and_then(|i| net.terminals[i.index()].source.clone());
    // The model refuses a duplicate id and leaves its index untouched.
    if net.add_terminal(t).is_err() {
        diags.push(duplicate(&subject, "id", &id, rec, first));
    }
}

fn border(rec: &Record, net: &mut Network, names: &BTreeSet<String>, diags: &mut Vec<Diagnostic>) {
    let vehicles = net.vehicles;
    let mut r = Reader::new(rec, "border".to_string(), diags);
    let id = r.required_text(&["id"]);
    if let Some(id) = &id {
        r.subject = format!("border \"{id}\"");
    }
    let name = r.text(&["name"]);
    let node = node_ref(&mut r, net, "node");
    let countries = r.list(&["countries"]);
    let countries: Option<[String; 2]> = match <[String; 2]>::try_from(countries) {
        Ok(pair) => Some(pair),
        Err(v) if v.is_empty() => {
            r.error(
                "countries",
                "missing required field (e.g. countries = [\"UA\", \"PL\"])",
            );
            None
        }
        Err(v) => {
            r.error(
                "countries",
                format!("expected two country codes, found {}", v.len()),
            );
            None
        }
    };
    let mut dwell = ModeTable::from_fn(|_| 0.0);
    for mode in Mode::ALL {
        let dotted = format!("dwell.{mode}");
        let flat = format!("dwell_{mode}");
        if let Some(h) = r.number(&[&dotted, &flat], units::parse_hours) {
            *dwell.get_mut(mode) = h;
        }
    }
    let fee = r
        .number(&["fee_per_t", "fee"], units::parse_non_negative)
        .unwrap_or(0.0);
    let capacity = r.number(&["capacity"], |s| units::parse_capacity(s, &vehicles));
    let commodities = rule(&mut r, &["allow", "accepts"], names);
    let open = r.flag(&["open"]).unwrap_or(true);
    let tags = r.list(&["tags"]);
    let subject = r.subject.clone();
    r.finish();
    let (Some(id), Some(node), Some(countries)) = (id, node, countries) else {
        return;
    };
    let b = Border {
        source_id: id.clone(),
        name: name.unwrap_or_else(|| id.clone()),
        node,
        countries,
        dwell_hours: dwell,
        fee_per_t: fee,
        capacity_t_per_day: capacity,
        commodities,
        open,
        tags,
        source: Some(rec.source()),
    };
    let first = net
        .border_id(&id)
        .and_then(|i| net.borders[i.index()].source.clone());
    // The model refuses a duplicate id and leaves its index untouched.
    if net.add_border(b).is_err() {
        diags.push(duplicate(&subject, "id", &id, rec, first));
    }
}
