//! Questions in users' words: what the CLI's flags, an HTTP request body
//! and a Python call all say, so the engine answers one type whatever the
//! face. Places are strings (a node id, a node name, a UN/LOCODE or
//! `lat,lon`), commodities are named, scenarios are named; nothing here is
//! an index. `corridor_engine::answer` resolves and answers them.
//!
//! Every query reads from JSON with unknown fields refused (a typo in a
//! request is an error, not a silently ignored knob) and defaults for what
//! a user may leave out, the same defaults the CLI shows.

use crate::Objective;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

fn one() -> f64 {
    1.0
}

/// One shipment to route.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteQuery {
    /// Origin: a node id, a node name, a UN/LOCODE or `lat,lon`.
    pub from: String,
    /// Destination, in the same forms as `from`.
    pub to: String,
    /// Commodity id; `None` takes the network's first commodity.
    #[serde(default)]
    pub commodity: Option<String>,
    /// Shipment size in tonnes; money and CO2 totals are for all of it.
    #[serde(default = "one")]
    pub tonnes: f64,
    #[serde(default)]
    pub minimize: Objective,
    /// Every non-dominated (cost, time) itinerary instead of one.
    #[serde(default)]
    pub pareto: bool,
    /// Places to pass through, in order.
    #[serde(default)]
    pub via: Vec<String>,
    /// Node, link, terminal or border ids, or country codes, never to use.
    #[serde(default)]
    pub avoid: Vec<String>,
    /// Scenarios to apply first, by name, in order.
    #[serde(default)]
    pub scenarios: Vec<String>,
    /// A vessel class id (`capesize`, …) to sail every sea leg with; `None`
    /// takes the best class the commodity may use. Only on sea lanes.
    #[serde(default)]
    pub vessel: Option<String>,
    /// How the best path is searched: `dijkstra`, `cch` (a customizable
    /// contraction hierarchy, customized per commodity, objective and
    /// scenario) or `auto` (`cch` where the hierarchy is kept between
    /// questions, as in the server, on networks of 100,000 arcs or more;
    /// `dijkstra` for a single route or a smaller network). The
    /// answer is the same up to ties between equally good paths.
    #[serde(default = "RoutingEngine::auto")]
    pub engine: RoutingEngine,
}

impl RouteQuery {
    /// One tonne of the first commodity at least cost, nothing avoided.
    pub fn new(from: impl Into<String>, to: impl Into<String>) -> Self {
        Self {
            from: from.into(),
            to: to.into(),
            commodity: None,
            tonnes: 1.0,
            minimize: Objective::Cost,
            pareto: false,
            via: Vec::new(),
            avoid: Vec::new(),
            scenarios: Vec::new(),
            vessel: None,
            engine: RoutingEngine::Auto,
        }
    }
}

/// An origin–destination matrix: the totals [`RouteQuery`] gives for one
/// tonne, for every pair of `from` × `to` (the input of demand and
/// modal-split models). No via, avoid or Pareto: one best path per pair.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkimQuery {
    /// Origins, in the forms [`RouteQuery::from`] takes; rows keep this order.
    pub from: Vec<String>,
    /// Destinations, in the same forms.
    pub to: Vec<String>,
    /// Commodity id; `None` takes the network's first commodity.
    #[serde(default)]
    pub commodity: Option<String>,
    #[serde(default)]
    pub minimize: Objective,
    /// Scenarios to apply first, by name, in order.
    #[serde(default)]
    pub scenarios: Vec<String>,
    /// How the pairs are searched; the matrix is the same either way (up
    /// to ties between equally good paths).
    #[serde(default)]
    pub engine: RoutingEngine,
    /// A vessel class to sail every sea leg with, as in [`RouteQuery::vessel`].
    #[serde(default)]
    pub vessel: Option<String>,
}

/// The shortest-path engine behind a route or a skim.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RoutingEngine {
    /// One Dijkstra per origin, stopped at its last destination: no
    /// preparation, best for few origins.
    #[default]
    Dijkstra,
    /// A customizable contraction hierarchy: a nested-dissection order and
    /// a contraction of the network (once per network), one customization
    /// for the commodity and objective, then each pair in well under a
    /// millisecond: best for many pairs on a large network.
    Cch,
    /// `Cch` from [`RoutingEngine::AUTO_CCH_ORIGINS`] origins on, else
    /// `Dijkstra`: Dijkstra's cost grows with the origins, the hierarchy's
    /// is mostly its preparation (about 200 one-to-all searches' worth on
    /// the generated million-link network, order included).
    Auto,
}

impl RoutingEngine {
    /// `Auto`: what a route question leaves unsaid means.
    pub fn auto() -> Self {
        Self::Auto
    }

    /// The name the CLI and JSON use.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Dijkstra => "dijkstra",
            Self::Cch => "cch",
            Self::Auto => "auto",
        }
    }

    /// From this many origins on, [`RoutingEngine::Auto`] takes the
    /// hierarchy.
    pub const AUTO_CCH_ORIGINS: usize = 200;

    /// The engine `self` stands for with `n_origins` origins (`Auto`
    /// decided, the others as they are).
    pub fn resolve(self, n_origins: usize) -> Self {
        match self {
            Self::Auto if n_origins >= Self::AUTO_CCH_ORIGINS => Self::Cch,
            Self::Auto => Self::Dijkstra,
            e => e,
        }
    }
}

impl SkimQuery {
    /// Every origin to every destination at least cost, first commodity.
    pub fn new(from: Vec<String>, to: Vec<String>) -> Self {
        Self {
            from,
            to,
            commodity: None,
            minimize: Objective::Cost,
            scenarios: Vec::new(),
            engine: RoutingEngine::Dijkstra,
            vessel: None,
        }
    }
}

/// An origin or destination of a flow question, with an optional limit on
/// what it supplies or absorbs (in the network's flow unit, t/day for
/// freight). In JSON a bare string is a place without a limit, an object
/// `{"place": ..., "limit": ...}` one with.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoint {
    /// A node id, a node name, a UN/LOCODE or `lat,lon`.
    pub place: String,
    pub limit: Option<f64>,
}

impl Endpoint {
    pub fn new(place: impl Into<String>) -> Self {
        Self {
            place: place.into(),
            limit: None,
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct LimitedEndpoint {
    place: String,
    #[serde(default)]
    limit: Option<f64>,
}

#[derive(Deserialize)]
#[serde(
    untagged,
    expecting = "a place (string) or {\"place\": ..., \"limit\": t/day}"
)]
enum EndpointRepr {
    Place(String),
    Limited(LimitedEndpoint),
}

impl Serialize for Endpoint {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.limit {
            None => s.serialize_str(&self.place),
            Some(limit) => LimitedEndpoint {
                place: self.place.clone(),
                limit: Some(limit),
            }
            .serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Endpoint {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match EndpointRepr::deserialize(d)? {
            EndpointRepr::Place(place) => Endpoint { place, limit: None },
            EndpointRepr::Limited(e) => Endpoint {
                place: e.place,
                limit: e.limit,
            },
        })
    }
}

/// How much can flow from origins to destinations, and what limits it.
/// `corridor_engine::answer::capacity` accepts every place form;
/// `corridor_engine::capacity_query` below it expects node ids.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapacityQuery {
    pub from: Vec<Endpoint>,
    pub to: Vec<Endpoint>,
    /// Commodity id; `None` takes the network's first commodity.
    #[serde(default)]
    pub commodity: Option<String>,
    /// The cost that picks the cheapest among maximum flows.
    #[serde(default)]
    pub minimize: Objective,
    /// Scenarios to apply first, by name, in order.
    #[serde(default)]
    pub scenarios: Vec<String>,
}

/// The base network against the base with scenarios applied: the same
/// capacity question asked of both, plus the best route for the first
/// origin and destination.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompareQuery {
    pub from: Vec<Endpoint>,
    pub to: Vec<Endpoint>,
    /// Commodity id; `None` takes the network's first commodity.
    #[serde(default)]
    pub commodity: Option<String>,
    /// The cost that picks the cheapest maximum flow and the best route.
    #[serde(default)]
    pub minimize: Objective,
    /// The scenario side, by name, applied in order on top of each other.
    pub scenarios: Vec<String>,
    /// Also compare the system optimum of this demand (its own scenarios
    /// are ignored: the comparison's apply).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optimise: Option<OptimiseQuery>,
}

impl CompareQuery {
    /// The capacity question both sides answer (without the scenarios).
    pub fn capacity(&self) -> CapacityQuery {
        CapacityQuery {
            from: self.from.clone(),
            to: self.to.clone(),
            commodity: self.commodity.clone(),
            minimize: self.minimize,
            scenarios: Vec::new(),
        }
    }
}

/// One of several equal parts of a sweep, so that many workers (a Ray
/// cluster's tasks) can share one question: item `i` of the full list
/// (elements for criticality, rows for a sweep) belongs to part
/// `i % of`. Strided rather than contiguous, so that expensive items
/// (elements carrying flow) spread over the parts. The parts' reports
/// merge into the whole one (`corridor_engine::answer::merge_criticality`,
/// `merge_sweep`), identical to asking without parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Part {
    /// 0-based, below `of`.
    pub index: usize,
    /// How many parts; at least 1.
    pub of: usize,
}

impl Part {
    /// Whether item `i` of the full list belongs to this part.
    pub fn holds(self, i: usize) -> bool {
        i % self.of.max(1) == self.index
    }
}

/// N−1 analysis: the capacity question asked once per element, with that
/// element closed (as a scenario's `close` edit closes it), ranked by how
/// much maximum flow its loss costs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriticalityQuery {
    pub from: Vec<Endpoint>,
    pub to: Vec<Endpoint>,
    /// Commodity id; `None` takes the network's first commodity.
    #[serde(default)]
    pub commodity: Option<String>,
    /// The cost that picks the cheapest among maximum flows.
    #[serde(default)]
    pub minimize: Objective,
    /// Which kinds of element to close: `links`, `terminals`, `borders`,
    /// `nodes` (singular words too); empty closes every kind.
    #[serde(default)]
    pub elements: Vec<String>,
    /// Scenarios to apply first, by name, in order.
    #[serde(default)]
    pub scenarios: Vec<String>,
    /// Threads closing elements side by side; `None` = all cores. The
    /// answer does not depend on it.
    #[serde(default)]
    pub threads: Option<usize>,
    /// Only this part of the elements (see [`Part`]); `None` = all.
    #[serde(default)]
    pub part: Option<Part>,
}

impl CriticalityQuery {
    /// The capacity question each closure asks (without the scenarios).
    pub fn capacity(&self) -> CapacityQuery {
        CapacityQuery {
            from: self.from.clone(),
            to: self.to.clone(),
            commodity: self.commodity.clone(),
            minimize: self.minimize,
            scenarios: Vec::new(),
        }
    }
}

/// The capacity question asked of every scenario (or, with `grid`, every
/// combination of them, the base included) for every commodity.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepQuery {
    pub from: Vec<Endpoint>,
    pub to: Vec<Endpoint>,
    /// Commodity ids; empty takes the network's first commodity.
    #[serde(default)]
    pub commodities: Vec<String>,
    /// The cost that picks the cheapest among maximum flows.
    #[serde(default)]
    pub minimize: Objective,
    /// The scenarios swept, by name. Without `grid`: the base and each
    /// scenario alone; with it, every combination (applied in this order).
    pub scenarios: Vec<String>,
    #[serde(default)]
    pub grid: bool,
    /// Threads answering rows side by side; `None` = all cores.
    #[serde(default)]
    pub threads: Option<usize>,
    /// Only this part of the rows (see [`Part`]); `None` = all.
    #[serde(default)]
    pub part: Option<Part>,
}

/// One candidate investment: a scenario (by name) and what it costs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectEntry {
    pub name: String,
    /// The scenario that says what the project builds, by name.
    pub scenario: String,
    /// In the query's `cost_unit`; finite, at least 0.
    pub cost: f64,
    #[serde(default)]
    pub note: Option<String>,
}

/// Investment screening: what each project adds to the capacity alone,
/// and the set of projects within a budget that adds most.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvestQuery {
    pub from: Vec<Endpoint>,
    pub to: Vec<Endpoint>,
    /// Commodity id; `None` takes the network's first commodity.
    #[serde(default)]
    pub commodity: Option<String>,
    /// The cost that picks the cheapest among maximum flows.
    #[serde(default)]
    pub minimize: Objective,
    pub projects: Vec<ProjectEntry>,
    /// The most the chosen projects may cost together, in `cost_unit`.
    pub budget: f64,
    /// What project costs are counted in (`million EUR`); words only.
    #[serde(default)]
    pub cost_unit: Option<String>,
    /// Threads evaluating sets of projects side by side; `None` = all
    /// cores.
    #[serde(default)]
    pub threads: Option<usize>,
}

/// One row of demand in users' words.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemandEntry {
    /// A node id, a node name, a UN/LOCODE or `lat,lon`.
    pub origin: String,
    pub destination: String,
    /// Commodity id (freight networks); `None` takes the first commodity.
    #[serde(default)]
    pub commodity: Option<String>,
    /// In the network's flow unit: t/day for freight, veh/h for TNTP.
    #[serde(alias = "t_per_day")]
    pub amount: f64,
}

fn default_method() -> String {
    "bfw".to_string()
}
fn default_gap() -> f64 {
    1e-5
}
fn default_max_iter() -> usize {
    1000
}

/// A traffic or freight assignment: user-equilibrium flows for a demand.
/// Road-like networks (TNTP, veh/h) are one class of vehicles weighted by
/// time, toll and length; freight networks (t/day) one class per commodity
/// weighted by `minimize`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignQuery {
    /// The demand, inline. Faces that read a demand file pass its rows to
    /// `corridor_engine::answer::assign_rows` instead.
    #[serde(default)]
    pub demand: Vec<DemandEntry>,
    /// `aon`, `fw`, `cfw`, `bfw` or `algb`.
    #[serde(default = "default_method")]
    pub method: String,
    /// Stop at this relative gap.
    #[serde(default = "default_gap")]
    pub gap: f64,
    /// Stop after this many all-or-nothing loads.
    #[serde(default = "default_max_iter")]
    pub max_iter: usize,
    /// Threads for the shortest-path trees; `None` = all cores.
    #[serde(default)]
    pub threads: Option<usize>,
    /// Freight networks: each commodity's cost (default generalised).
    #[serde(default)]
    pub minimize: Option<Objective>,
    /// Road-like networks: generalised cost weight of the toll.
    #[serde(default)]
    pub toll_factor: f64,
    /// Road-like networks: generalised cost weight of the length.
    #[serde(default)]
    pub distance_factor: f64,
    /// Scenarios to apply first, by name, in order.
    #[serde(default)]
    pub scenarios: Vec<String>,
    /// Freight networks with sea lanes: sail every sea leg with this
    /// vessel class, as [`RouteQuery::vessel`]; `None` takes per pair the
    /// class `route` picks.
    #[serde(default)]
    pub vessel: Option<String>,
}

impl Default for AssignQuery {
    fn default() -> Self {
        Self {
            demand: Vec::new(),
            method: default_method(),
            gap: default_gap(),
            max_iter: default_max_iter(),
            threads: None,
            minimize: None,
            toll_factor: 0.0,
            distance_factor: 0.0,
            scenarios: Vec::new(),
            vessel: None,
        }
    }
}

fn generalised() -> Objective {
    Objective::Generalised
}

/// The system optimum: the cheapest way to move a demand within hard
/// capacities, unserved demand allowed at a penalty (see
/// `docs/optimise.md`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptimiseQuery {
    /// The demand, inline. Faces that read a demand file pass its rows to
    /// `corridor_engine::answer::optimise_rows` instead.
    #[serde(default)]
    pub demand: Vec<DemandEntry>,
    /// Each commodity's cost per tonne, as `route` weighs arcs.
    #[serde(default = "generalised")]
    pub minimize: Objective,
    /// Per t/day of unserved demand; `None` derives one from the network.
    #[serde(default)]
    pub unserved_penalty: Option<f64>,
    /// Which LP to solve (`method` is its old name).
    #[serde(default, alias = "method")]
    pub formulation: Formulation,
    /// Stop column generation (`paths`) once (objective − lower bound) /
    /// |objective| is at most this (e.g. 0.01); `None` solves to the
    /// optimum. The answer is then feasible but not proven optimal: the
    /// result's `status`, `lower_bound` and `gap` say how far it may be.
    #[serde(default)]
    pub gap: Option<f64>,
    /// Stop column generation after the first master solve past this
    /// many seconds of wall time (lowering included); `None`: no limit.
    #[serde(default)]
    pub time_limit_seconds: Option<f64>,
    /// Steps of the Lagrangian bound's ascent (the volume algorithm) run
    /// beside each master solve of column generation: a tighter lower
    /// bound, so `gap` can stop with a proof when many origin–commodity
    /// groups share the capacities; `None` or 0: the master's own bound.
    #[serde(default)]
    pub bound_steps: Option<usize>,
    /// Wentges smoothing of column generation's prices: the first weight
    /// α in [0, 1) of the prices of the best lower bound so far against
    /// the master's duals when pricing (then set each round by Pessoa et
    /// al.'s rule); `None` or 0: none. Fewer master solves to a good plan
    /// when many groups share the capacities, more on small problems; the
    /// optimum is the same.
    #[serde(default)]
    pub smoothing: Option<f64>,
    /// Scenarios to apply first, by name, in order.
    #[serde(default)]
    pub scenarios: Vec<String>,
}

impl Default for OptimiseQuery {
    fn default() -> Self {
        Self {
            demand: Vec::new(),
            minimize: Objective::Generalised,
            unserved_penalty: None,
            formulation: Formulation::Auto,
            gap: None,
            time_limit_seconds: None,
            bound_steps: None,
            smoothing: None,
            scenarios: Vec::new(),
        }
    }
}

/// How `optimise` formulates the system optimum's LP (docs/optimise.md):
/// both give the same optimum, they differ in size and speed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Formulation {
    /// The arc-node LP while it is small enough, paths beyond.
    #[default]
    Auto,
    /// One flow variable per (origin, commodity) group and arc: one LP.
    ArcNode,
    /// Path variables per origin–destination pair, added by shortest
    /// paths until none improves (column generation): small LPs, many
    /// rounds.
    #[serde(alias = "column-generation")]
    Paths,
}

impl Formulation {
    /// Every formulation, in the order help texts list them.
    pub const ALL: [Formulation; 3] = [Formulation::Auto, Formulation::ArcNode, Formulation::Paths];

    pub fn as_str(self) -> &'static str {
        match self {
            Formulation::Auto => "auto",
            Formulation::ArcNode => "arc-node",
            Formulation::Paths => "paths",
        }
    }

    /// One line for `--help`.
    pub fn help(self) -> &'static str {
        match self {
            Formulation::Auto => "arc-node up to a size threshold, paths beyond",
            Formulation::ArcNode => "one LP with a flow per origin group and arc",
            Formulation::Paths => "column generation: path columns added by shortest paths",
        }
    }
}

impl std::str::FromStr for Formulation {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "auto" => Ok(Formulation::Auto),
            "arc-node" => Ok(Formulation::ArcNode),
            "paths" | "column-generation" => Ok(Formulation::Paths),
            _ => Err(format!(
                "unknown formulation \"{s}\" (expected auto, arc-node, paths)"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_query_defaults_and_refuses_unknown_fields() {
        let q: RouteQuery = serde_json::from_str(r#"{"from": "kyiv", "to": "50.1,19.9"}"#).unwrap();
        assert_eq!(q, RouteQuery::new("kyiv", "50.1,19.9"));
        let e = serde_json::from_str::<RouteQuery>(r#"{"from": "a", "to": "b", "tonne": 3}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("tonne"), "{e}");
        let e = serde_json::from_str::<RouteQuery>(r#"{"from":"a","to":"b","minimize":"speed"}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown objective \"speed\""), "{e}");
    }

    #[test]
    fn endpoints_read_as_strings_or_objects_and_write_back() {
        let q: CapacityQuery = serde_json::from_str(
            r#"{"from": ["kyiv", {"place": "odesa", "limit": 5000}], "to": ["gdansk"]}"#,
        )
        .unwrap();
        assert_eq!(q.from[0], Endpoint::new("kyiv"));
        assert_eq!(q.from[1].limit, Some(5000.0));
        let back: CapacityQuery =
            serde_json::from_str(&serde_json::to_string(&q).unwrap()).unwrap();
        assert_eq!(back, q);
        assert!(serde_json::from_str::<CapacityQuery>(r#"{"from": [3], "to": []}"#).is_err());
    }

    #[test]
    fn assign_query_defaults_match_the_cli() {
        let q: AssignQuery = serde_json::from_str(
            r#"{"demand": [{"origin": "a", "destination": "b", "t_per_day": 10}]}"#,
        )
        .unwrap();
        assert_eq!(q.method, "bfw");
        assert_eq!(q.gap, 1e-5);
        assert_eq!(q.max_iter, 1000);
        assert_eq!(q.demand[0].amount, 10.0);
        assert_eq!(
            AssignQuery {
                demand: q.demand.clone(),
                ..AssignQuery::default()
            },
            q
        );
    }
}
