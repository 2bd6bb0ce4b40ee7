//! Seeded synthetic multimodal networks for property tests and benchmarks.
//!
//! [`multimodal`] lays countries side by side along a parallel; each has a
//! jittered road grid with real lon/lat coordinates, rail lines of its own
//! gauge (1520 mm or 1435 mm), maybe a river down one column, and a sea port
//! on its southern edge. Neighbouring countries meet at border nodes that carry
//! road and rail links, a [`Border`] with dwell hours per mode and, where the
//! gauges differ, a gauge-change terminal. Ports are joined by sea links.
//! Some links are one-way, some elements are closed, some ban a commodity.
//!
//! The same [`GenerateConfig`] always gives the same network (ChaCha8 seeded
//! from `seed`; no hash-map order is used). This module only builds networks;
//! it does not lower or route them, and it never writes files.

use corridor_model::{
    Border, Commodity, CommodityClass, CommodityRule, Layer, Link, Mode, ModeTable, Network, Node,
    NodeId, NodeKind, Terminal, network::haversine_km,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The shape of a generated network. Fields are public so callers can
/// start from a preset and change what they need.
#[derive(Clone, Debug, PartialEq)]
pub struct GenerateConfig {
    pub seed: u64,
    /// Countries laid west to east; at least 1.
    pub n_countries: usize,
    /// Road grid columns (west–east) per country; at least 2.
    pub grid_width: usize,
    /// Road grid rows (south–north) per country; at least 2.
    pub grid_height: usize,
    /// Grid spacing in degrees (before jitter).
    pub spacing_deg: f64,
    /// Every `rail_every`-th row and column carries a rail line (0: none).
    pub rail_every: usize,
    /// Every `border_every`-th row crosses to the next country by road
    /// (rail rows always cross by rail too).
    pub border_every: usize,
    /// Probability that a country has a river down one grid column.
    pub p_river: f64,
    /// Probability that a country has a sea port.
    pub p_port: f64,
    /// Probability that a road link is one-way.
    pub p_oneway: f64,
    /// Probability that a link, terminal or border is closed.
    pub p_closed: f64,
    /// Probability that a link, terminal or border bans a commodity or class.
    pub p_ban: f64,
}

impl GenerateConfig {
    /// Tens of nodes, with sizes drawn from the seed (2–3 countries, grids
    /// of 3–5 × 3–4), for property tests. Probabilities are high so small
    /// networks still show one-way links, closures and bans.
    pub fn small(seed: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5EED_5A11);
        Self {
            seed,
            n_countries: rng.random_range(2..=3),
            grid_width: rng.random_range(3..=5),
            grid_height: rng.random_range(3..=4),
            spacing_deg: 0.5,
            rail_every: 2,
            border_every: 2,
            p_river: 0.5,
            p_port: 0.8,
            p_oneway: 0.1,
            p_closed: 0.05,
            p_ban: 0.1,
        }
    }

    /// About 1.1 million links (8 countries of 256 × 256 road grids plus
    /// rail, river and sea), built in a few seconds in release mode.
    pub fn million_links(seed: u64) -> Self {
        Self {
            seed,
            n_countries: 8,
            grid_width: 256,
            grid_height: 256,
            spacing_deg: 0.01,
            rail_every: 8,
            border_every: 4,
            p_river: 0.5,
            p_port: 0.9,
            p_oneway: 0.02,
            p_closed: 0.002,
            p_ban: 0.01,
        }
    }

    /// Nodes in the road grids (border nodes come on top).
    pub fn n_grid_nodes(&self) -> usize {
        self.n_countries * self.grid_width * self.grid_height
    }
}

/// Two-letter codes for the first countries; later ones get `X{i}`.
const COUNTRY_CODES: [&str; 12] = [
    "UA", "PL", "DE", "RO", "HU", "SK", "CZ", "AT", "LT", "LV", "BY", "MD",
];

/// Commodity names of every generated network, one per class that matters
/// to bans: `grain` (bulk), `container` (container), `fuel` (dangerous).
pub const COMMODITIES: [&str; 3] = ["grain", "container", "fuel"];

fn country_code(i: usize) -> String {
    COUNTRY_CODES
        .get(i)
        .map(|s| s.to_string())
        .unwrap_or_else(|| format!("X{i}"))
}

/// Builds a multimodal network from `cfg`, deterministically for its seed.
///
/// Every link has a finite non-negative length (great-circle times a
/// per-mode detour with jitter), every rail link a gauge, and terminals
/// claim only layers present at their node, so `network.validate()` holds no
/// errors. Degenerate sizes are clamped (at least one country, 2 × 2 grids).
///
/// Complexity: O(links) time and memory.
pub fn multimodal(cfg: &GenerateConfig) -> Network {
    Builder::new(cfg).build()
}

/// A terminal to add: node, candidate transfers, kind tag.
type Wanted = (NodeId, Vec<(Layer, Layer)>, &'static str);

struct Builder<'a> {
    cfg: &'a GenerateConfig,
    rng: ChaCha8Rng,
    net: Network,
    w: usize,
    h: usize,
}

impl<'a> Builder<'a> {
    fn new(cfg: &'a GenerateConfig) -> Self {
        let mut net = Network::new(&format!("synthetic-{}", cfg.seed));
        net.links.reserve(
            cfg.n_countries * cfg.grid_width * cfg.grid_height * 2
                + cfg.n_countries * cfg.grid_height,
        );
        Self {
            cfg,
            rng: ChaCha8Rng::seed_from_u64(cfg.seed),
            net,
            w: cfg.grid_width.max(2),
            h: cfg.grid_height.max(2),
        }
    }

    fn grid_node(&self, country: usize, x: usize, y: usize) -> NodeId {
        NodeId::from_index((country * self.h + y) * self.w + x)
    }

    fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && self.rng.random_bool(p.min(1.0))
    }

    fn build(mut self) -> Network {
        let n_countries = self.cfg.n_countries.max(1);
        let gauges = self.gauges(n_countries);
        for (name, class, vot) in [
            ("grain", CommodityClass::Bulk, 0.05),
            ("container", CommodityClass::Container, 0.8),
            ("fuel", CommodityClass::Dangerous, 0.2),
        ] {
            self.net
                .add_commodity(Commodity::new(name, class, vot))
                .expect("fixed names are unique");
        }
        for c in 0..n_countries {
            self.country_nodes(c);
        }
        let mut ports = Vec::new();
        for (c, &gauge) in gauges.iter().enumerate() {
            self.roads(c);
            self.rail(c, gauge);
            self.river(c);
            if self.chance(self.cfg.p_port) {
                ports.push(self.port(c));
            }
        }
        for c in 0..n_countries.saturating_sub(1) {
            self.borders(c, gauges[c], gauges[c + 1]);
        }
        self.sea(&ports);
        self.terminals(&gauges);
        self.net
    }

    /// Country 0 runs 1520 mm (the east European broad gauge), country 1
    /// 1435 mm, the rest at random, so every network with two or more
    /// countries has at least one break of gauge to cross.
    fn gauges(&mut self, n: usize) -> Vec<u16> {
        (0..n)
            .map(|c| match c {
                0 => 1520,
                1 => 1435,
                _ if self.rng.random_bool(0.4) => 1520,
                _ => 1435,
            })
            .collect()
    }

    fn country_nodes(&mut self, c: usize) {
        let cc = country_code(c);
        let s = self.cfg.spacing_deg;
        // Countries side by side from 20°E, a one-cell gap for borders.
        let lon0 = 20.0 + c as f64 * (self.w as f64 + 1.0) * s;
        let lat0 = 45.0;
        for y in 0..self.h {
            for x in 0..self.w {
                let lon = lon0 + (x as f64 + self.rng.random_range(-0.3..0.3)) * s;
                let lat = lat0 + (y as f64 + self.rng.random_range(-0.3..0.3)) * s;
                let kind = if x % 4 == 0 && y % 4 == 0 {
                    NodeKind::City
                } else {
                    NodeKind::Junction
                };
                let id = format!("{cc}-{x}-{y}");
                self.net
                    .add_node(Node::new(&id, kind, lon, lat, &cc))
                    .expect("grid ids are unique");
            }
        }
    }

    fn length_km(&mut self, a: NodeId, b: NodeId, mode: Mode) -> f64 {
        let (na, nb) = (self.net.node(a), self.net.node(b));
        let gc = haversine_km(na.lon, na.lat, nb.lon, nb.lat);
        let detour = self.net.defaults.get(mode).detour_factor;
        gc * detour * self.rng.random_range(0.95..1.10)
    }

    /// Adds a link with random one-way, closure and ban.
    fn link(&mut self, id: String, a: NodeId, b: NodeId, mode: Mode, gauge: Option<u16>) {
        let len = self.length_km(a, b, mode);
        let mut l = Link::new(&id, a, b, mode, gauge, len);
        if mode == Mode::Road && self.chance(self.cfg.p_oneway) {
            l.oneway = true;
        }
        if self.chance(self.cfg.p_closed) {
            l.open = false;
        }
        if self.chance(self.cfg.p_ban) {
            l.commodities = self.random_rule();
        }
        if mode == Mode::Road && self.rng.random_bool(0.05) {
            l.speed_kmh = Some(90.0);
        }
        self.net.add_link(l).expect("generated link ids are unique");
    }

    fn random_rule(&mut self) -> CommodityRule {
        let banned = match self.rng.random_range(0..4) {
            0 => "dangerous",
            1 => "grain",
            2 => "container",
            _ => "fuel",
        };
        CommodityRule {
            allowed: Vec::new(),
            banned: vec![banned.to_string()],
        }
    }

    fn roads(&mut self, c: usize) {
        let cc = country_code(c);
        for y in 0..self.h {
            for x in 0..self.w {
                let a = self.grid_node(c, x, y);
                if x + 1 < self.w {
                    let b = self.grid_node(c, x + 1, y);
                    self.link(format!("{cc}-r{x}-{y}e"), a, b, Mode::Road, None);
                }
                if y + 1 < self.h {
                    let b = self.grid_node(c, x, y + 1);
                    self.link(format!("{cc}-r{x}-{y}n"), a, b, Mode::Road, None);
                }
            }
        }
    }

    fn is_rail_line(&self, i: usize) -> bool {
        self.cfg.rail_every > 0 && i.is_multiple_of(self.cfg.rail_every)
    }

    /// Rail along every `rail_every`-th row and column, one link per grid
    /// step so stations coincide with road junctions.
    fn rail(&mut self, c: usize, gauge: u16) {
        if self.cfg.rail_every == 0 {
            return;
        }
        let cc = country_code(c);
        for y in 0..self.h {
            for x in 0..self.w {
                let a = self.grid_node(c, x, y);
                if self.is_rail_line(y) && x + 1 < self.w {
                    let b = self.grid_node(c, x + 1, y);
                    self.link(format!("{cc}-t{x}-{y}e"), a, b, Mode::Rail, Some(gauge));
                }
                if self.is_rail_line(x) && y + 1 < self.h {
                    let b = self.grid_node(c, x, y + 1);
                    self.link(format!("{cc}-t{x}-{y}n"), a, b, Mode::Rail, Some(gauge));
                }
            }
        }
    }

    /// A river down one column from the north edge to the south edge, where
    /// the port (if any) sits.
    fn river(&mut self, c: usize) {
        if !self.chance(self.cfg.p_river) {
            return;
        }
        let cc = country_code(c);
        let x = self.river_column();
        for y in 0..self.h - 1 {
            let a = self.grid_node(c, x, y + 1);
            let b = self.grid_node(c, x, y);
            self.link(format!("{cc}-w{x}-{y}"), a, b, Mode::River, None);
        }
    }

    /// Rivers and ports share a column so a port can be a river mouth.
    fn river_column(&self) -> usize {
        self.w / 2
    }

    fn port(&mut self, c: usize) -> NodeId {
        let n = self.grid_node(c, self.river_column(), 0);
        self.net.nodes[n.index()].kind = NodeKind::Port;
        n
    }

    /// Crossings between country `c` and `c + 1`: a border node in the gap
    /// on every `border_every`-th row and every rail row, with road links on
    /// both sides and rail links (each of its own country's gauge) on rail
    /// rows.
    fn borders(&mut self, c: usize, g_west: u16, g_east: u16) {
        let (cw, ce) = (country_code(c), country_code(c + 1));
        let every = self.cfg.border_every.max(1);
        for y in 0..self.h {
            let rail = self.is_rail_line(y);
            if !(y % every == 0 || rail) {
                continue;
            }
            let west = self.grid_node(c, self.w - 1, y);
            let east = self.grid_node(c + 1, 0, y);
            let (nw, ne) = (self.net.node(west), self.net.node(east));
            let (lon, lat) = ((nw.lon + ne.lon) / 2.0, (nw.lat + ne.lat) / 2.0);
            let id = format!("{cw}-{ce}-{y}");
            let b = self
                .net
                .add_node(Node::new(&id, NodeKind::Border, lon, lat, &cw))
                .expect("border ids are unique");
            self.link(format!("{id}-rw"), west, b, Mode::Road, None);
            self.link(format!("{id}-re"), b, east, Mode::Road, None);
            if rail {
                self.link(format!("{id}-tw"), west, b, Mode::Rail, Some(g_west));
                self.link(format!("{id}-te"), b, east, Mode::Rail, Some(g_east));
            }
            let mut border = Border {
                source_id: id.clone(),
                name: format!("{cw}–{ce} crossing {y}"),
                node: b,
                countries: [cw.clone(), ce.clone()],
                dwell_hours: ModeTable {
                    road: self.rng.random_range(2.0..30.0),
                    rail: self.rng.random_range(4.0..48.0),
                    sea: 0.0,
                    river: 0.0,
                },
                fee_per_t: self.rng.random_range(0.0..3.0),
                capacity_t_per_day: Some(self.rng.random_range(5_000.0..50_000.0)),
                commodities: CommodityRule::default(),
                open: true,
                tags: vec![format!("{cw}-{ce}")],
                source: None,
            };
            if self.chance(self.cfg.p_closed) {
                border.open = false;
            }
            if self.chance(self.cfg.p_ban) {
                border.commodities = self.random_rule();
            }
            self.net.add_border(border).expect("border ids are unique");
        }
    }

    /// Sea links along the coast (each port to the next) and a few longer
    /// ones across, so sea offers a way round a closed border.
    fn sea(&mut self, ports: &[NodeId]) {
        for (i, pair) in ports.windows(2).enumerate() {
            self.link(format!("sea-{i}"), pair[0], pair[1], Mode::Sea, None);
        }
        if ports.len() >= 3 {
            for i in 0..ports.len() / 2 {
                let a = ports[i];
                let b = ports[ports.len() - 1 - i];
                if a != b {
                    self.link(format!("sea-x{i}"), a, b, Mode::Sea, None);
                }
            }
        }
    }

    /// Terminals: road <-> rail at rail junctions (where a rail row meets a
    /// rail column), gauge change at border nodes between gauges, and at
    /// ports rail/road/river <-> sea plus road <-> river at river quays.
    /// Transfers are filtered to the layers present at the node, so a
    /// terminal never claims a layer it cannot reach.
    fn terminals(&mut self, gauges: &[u16]) {
        let layers = self.net.layers_at_nodes();
        let mut wanted: Vec<Wanted> = Vec::new();
        for (c, &g) in gauges.iter().enumerate() {
            for y in 0..self.h {
                for x in 0..self.w {
                    let n = self.grid_node(c, x, y);
                    let mut t = Vec::new();
                    let mut kind = "rail";
                    if self.is_rail_line(x) && self.is_rail_line(y) {
                        t.push((Layer::road(), Layer::rail(g)));
                    }
                    if self.net.nodes[n.index()].kind == NodeKind::Port {
                        kind = "port";
                        t.push((Layer::rail(g), Layer::sea()));
                        t.push((Layer::road(), Layer::sea()));
                        t.push((Layer::river(), Layer::sea()));
                        t.push((Layer::road(), Layer::river()));
                    } else if x == self.river_column() && y % 4 == 0 {
                        kind = "quay";
                        t.push((Layer::road(), Layer::river()));
                    }
                    if !t.is_empty() {
                        wanted.push((n, t, kind));
                    }
                }
            }
        }
        for b in 0..self.net.borders.len() {
            let n = self.net.borders[b].node;
            let here = &layers[n.index()];
            let rails: Vec<Layer> = here
                .iter()
                .filter(|l| l.mode == Mode::Rail)
                .copied()
                .collect();
            if rails.len() == 2 {
                wanted.push((n, vec![(rails[0], rails[1])], "gauge"));
            }
        }
        for (n, transfers, kind) in wanted {
            let here = &layers[n.index()];
            let present = |l: &Layer| here.iter().any(|h| l.matches(h));
            let transfers: Vec<(Layer, Layer)> = transfers
                .into_iter()
                .filter(|(a, b)| present(a) && present(b))
                .collect();
            if transfers.is_empty() {
                continue;
            }
            let node_id = self.net.nodes[n.index()].source_id.clone();
            let gauge_change = kind == "gauge";
            let mut t = Terminal {
                source_id: format!("{node_id}-{kind}"),
                name: format!("{node_id} {kind} terminal"),
                node: n,
                transfers,
                handling_cost_per_t: if gauge_change {
                    self.rng.random_range(5.0..15.0)
                } else {
                    self.rng.random_range(1.0..8.0)
                },
                hours: if gauge_change {
                    self.rng.random_range(6.0..24.0)
                } else {
                    self.rng.random_range(1.0..12.0)
                },
                co2_kg_per_t: self.rng.random_range(0.1..2.0),
                capacity_t_per_day: Some(self.rng.random_range(2_000.0..40_000.0)),
                commodities: CommodityRule::default(),
                open: true,
                tags: vec![kind.to_string()],
                source: None,
            };
            if self.chance(self.cfg.p_closed) {
                t.open = false;
            }
            if self.chance(self.cfg.p_ban) {
                t.commodities = self.random_rule();
            }
            self.net
                .add_terminal(t)
                .expect("one terminal per node and kind");
        }
    }
}

/// A small [`multimodal`] network (`GenerateConfig::small(seed)`) with a
/// finite capacity on every link (so every flow is bounded) and on some
/// terminals, borders and nodes, drawn from `seed ^ salt`: the set-up the
/// capacity, criticality and optimise property tests share, each with its
/// own salt so their draws stay independent.
pub fn with_capacities(seed: u64, salt: u64) -> Network {
    let mut net = multimodal(&GenerateConfig::small(seed));
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ salt);
    for l in &mut net.links {
        l.capacity_t_per_day = Some(rng.random_range(10.0..1000.0));
    }
    for t in &mut net.terminals {
        if rng.random_bool(0.6) {
            t.capacity_t_per_day = Some(rng.random_range(5.0..800.0));
        }
    }
    for b in &mut net.borders {
        if rng.random_bool(0.6) {
            b.capacity_t_per_day = Some(rng.random_range(5.0..800.0));
        }
    }
    for n in &mut net.nodes {
        if rng.random_bool(0.15) {
            n.capacity_t_per_day = Some(rng.random_range(5.0..800.0));
        }
    }
    net
}

#[cfg(test)]
mod tests {
    use super::*;
    use corridor_model::Severity;

    fn errors(n: &Network) -> Vec<String> {
        n.validate()
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn small_networks_validate_and_show_every_feature() {
        let mut seen_gauge_change = false;
        let mut seen_sea = false;
        let mut seen_river = false;
        let mut seen_closed = false;
        for seed in 0..40 {
            let n = multimodal(&GenerateConfig::small(seed));
            assert_eq!(errors(&n), Vec::<String>::new(), "seed {seed}");
            assert!(n.n_nodes() >= 18 && n.n_nodes() <= 80, "seed {seed}");
            assert!(!n.borders.is_empty());
            for l in &n.links {
                assert!(l.length_km.is_finite() && l.length_km > 0.0);
                assert_eq!(l.mode == Mode::Rail, l.gauge_mm.is_some());
            }
            seen_gauge_change |= n.terminals.iter().any(|t| {
                t.transfers
                    .iter()
                    .any(|(a, b)| a.mode == Mode::Rail && b.mode == Mode::Rail)
            });
            seen_sea |= n.links.iter().any(|l| l.mode == Mode::Sea);
            seen_river |= n.links.iter().any(|l| l.mode == Mode::River);
            seen_closed |= n.links.iter().any(|l| !l.open);
        }
        assert!(seen_gauge_change && seen_sea && seen_river && seen_closed);
    }

    #[test]
    fn same_seed_same_network() {
        let a = multimodal(&GenerateConfig::small(7));
        let b = multimodal(&GenerateConfig::small(7));
        assert_eq!(a.links, b.links);
        assert_eq!(a.nodes, b.nodes);
        assert_eq!(a.terminals, b.terminals);
        let c = multimodal(&GenerateConfig::small(8));
        assert_ne!(a.links, c.links);
    }

    #[test]
    fn border_gauge_change_joins_1520_and_1435() {
        let n = multimodal(&GenerateConfig::small(3));
        let t = n
            .terminals
            .iter()
            .find(|t| t.tags == ["gauge"])
            .expect("countries 0 and 1 differ in gauge");
        let (a, b) = t.transfers[0];
        let mut g = [a.gauge_mm.unwrap(), b.gauge_mm.unwrap()];
        g.sort();
        assert_eq!(g, [1435, 1520]);
        assert!(n.borders.iter().any(|b| b.node == t.node));
    }

    #[test]
    fn a_medium_grid_validates() {
        let cfg = GenerateConfig {
            grid_width: 40,
            grid_height: 30,
            n_countries: 4,
            ..GenerateConfig::million_links(1)
        };
        let n = multimodal(&cfg);
        assert_eq!(errors(&n), Vec::<String>::new());
        assert!(n.n_links() > 2 * 4 * 39 * 29);
    }
}
