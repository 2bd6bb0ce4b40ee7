//! The shapes of the API's bodies for the OpenAPI document, written here
//! rather than derived on `corridor_model`'s types: several of those write
//! themselves by hand (`Endpoint` is a string or an object, a route is one
//! itinerary or a Pareto set, an assignment is a road or a freight answer,
//! objectives have aliases), so a derive would describe them wrongly, and
//! the model stays free of an HTTP documentation crate. Nothing here is
//! ever built: these types only describe. `tests/openapi.rs` checks them
//! against the real answers on the examples (every key an answer has is
//! declared, every required key is there) and against the queries' serde
//! (every field a query accepts is declared).

#![allow(dead_code)]

use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// What a route or a flow minimises. `money`, `hours`, `km`, `carbon`,
/// `generalized` and `gc` are accepted as aliases.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Objective {
    Cost,
    Time,
    Distance,
    Co2,
    Generalised,
}

/// How `optimise` formulates its LP (docs/optimise.md); `column-generation`
/// is accepted for `paths`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Formulation {
    Auto,
    ArcNode,
    Paths,
}

/// An origin–destination matrix (`corridor skim`'s flags): the totals a
/// route gives for one tonne, for every pair of `from` × `to`.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"from": ["vinnytsia", "poltava"], "to": ["gdansk", "constanta"], "commodity": "grain"}))]
pub struct SkimQuery {
    /// Origins: node ids, node names, UN/LOCODEs or `lat,lon`; rows keep
    /// this order.
    from: Vec<String>,
    /// Destinations, in the same forms.
    to: Vec<String>,
    /// Commodity id; default the network's first.
    #[schema(required = false)]
    commodity: Option<String>,
    #[schema(required = false, default = "cost")]
    minimize: Objective,
    /// Scenarios to apply first, by name, in order.
    #[schema(required = false)]
    scenarios: Vec<String>,
    /// `dijkstra` (one search per origin), `cch` (a contraction hierarchy,
    /// then the matrix by buckets) or `auto` (`cch` from 200 origins on).
    #[schema(
        required = false,
        default = "dijkstra",
        pattern = "^(auto|cch|dijkstra)$"
    )]
    engine: String,
    /// A vessel class to sail every sea leg with, as in a route.
    #[schema(required = false)]
    vessel: Option<String>,
}

/// One shipment to route (`corridor route`'s flags).
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"from": "kyiv", "to": "gdansk", "commodity": "grain", "tonnes": 1000}))]
pub struct RouteQuery {
    /// Origin: a node id, a node name, a UN/LOCODE or `lat,lon`.
    from: String,
    /// Destination, in the same forms.
    to: String,
    /// Commodity id; default the network's first.
    #[schema(required = false)]
    commodity: Option<String>,
    /// Shipment size; money and CO2 totals are for all of it. Must be positive.
    #[schema(required = false, default = 1.0, exclusive_minimum = 0.0)]
    tonnes: f64,
    #[schema(required = false, default = "cost")]
    minimize: Objective,
    /// Every non-dominated (cost, time) itinerary instead of one.
    #[schema(required = false, default = false)]
    pareto: bool,
    /// Places to pass through, in order.
    #[schema(required = false)]
    via: Vec<String>,
    /// Node, link, terminal or border ids, or country codes, never to use.
    #[schema(required = false)]
    avoid: Vec<String>,
    /// Scenarios to apply first, by name, in order.
    #[schema(required = false)]
    scenarios: Vec<String>,
    /// A vessel class (`handysize`, `supramax`, `panamax`, `capesize`,
    /// `feeder-container`, `large-container`, `river-sea`) to sail every
    /// sea leg with; default the best the commodity may use. Sea lanes only.
    #[schema(required = false)]
    vessel: Option<String>,
    /// How the best path is searched: `auto` (the server's contraction
    /// hierarchy, customized once per commodity, objective, avoid list and
    /// scenario and kept, on networks of 100,000 arcs or more; Dijkstra,
    /// exactly the CLI's answer, below), `cch` (the hierarchy always) or
    /// `dijkstra`. Same answer up to ties between equally good paths.
    #[schema(required = false, default = "auto", pattern = "^(auto|cch|dijkstra)$")]
    engine: String,
}

/// An origin or destination: a place, or a place with a limit on what it
/// supplies or absorbs (t/day for freight networks).
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum Endpoint {
    Place(String),
    Limited(LimitedEndpoint),
}

#[derive(Serialize, ToSchema)]
pub struct LimitedEndpoint {
    place: String,
    #[schema(required = false, minimum = 0.0)]
    limit: Option<f64>,
}

/// How much can flow from origins to destinations (`corridor capacity`).
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"from": ["vinnytsia", "poltava"], "to": ["gdansk", {"place": "constanta", "limit": 20000}], "commodity": "grain"}))]
pub struct CapacityQuery {
    from: Vec<Endpoint>,
    to: Vec<Endpoint>,
    #[schema(required = false)]
    commodity: Option<String>,
    /// The cost that picks the cheapest among maximum flows.
    #[schema(required = false, default = "cost")]
    minimize: Objective,
    #[schema(required = false)]
    scenarios: Vec<String>,
}

/// Base against base with scenarios (`corridor compare`).
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"from": ["vinnytsia"], "to": ["gdansk", "constanta"], "commodity": "grain", "scenarios": ["restore-black-sea-ports"]}))]
pub struct CompareQuery {
    from: Vec<Endpoint>,
    to: Vec<Endpoint>,
    #[schema(required = false)]
    commodity: Option<String>,
    #[schema(required = false, default = "cost")]
    minimize: Objective,
    /// At least one scenario name, applied in order.
    #[schema(min_items = 1)]
    scenarios: Vec<String>,
    /// Also compare the system optimum of this demand, base against the
    /// scenarios (`corridor compare --demand`); its own `scenarios` are
    /// ignored.
    #[schema(required = false)]
    optimise: Option<OptimiseQuery>,
}

/// One row of demand.
#[derive(Serialize, ToSchema)]
pub struct DemandEntry {
    origin: String,
    destination: String,
    /// Default: the network's first commodity.
    #[schema(required = false)]
    commodity: Option<String>,
    /// In the network's flow unit (t/day for freight); `t_per_day` is an alias.
    #[schema(minimum = 0.0)]
    amount: f64,
}

/// A traffic or freight assignment (`corridor assign`), demand inline.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"demand": [{"origin": "vinnytsia", "destination": "gdansk", "commodity": "grain", "amount": 8000}], "gap": 1e-4}))]
pub struct AssignQuery {
    #[schema(required = false)]
    demand: Vec<DemandEntry>,
    /// `aon`, `fw`, `cfw`, `bfw` or `algb`.
    #[schema(required = false, default = "bfw")]
    method: String,
    #[schema(required = false, default = 1e-5, minimum = 0.0)]
    gap: f64,
    /// At most the server's `--max-assign-iterations`.
    #[schema(required = false, default = 1000)]
    max_iter: usize,
    /// Threads for the shortest-path trees; default all cores.
    #[schema(required = false)]
    threads: Option<usize>,
    /// Freight networks: each commodity's cost (default generalised).
    #[schema(required = false)]
    minimize: Option<Objective>,
    /// Road-like networks: weight of the toll.
    #[schema(required = false, default = 0.0)]
    toll_factor: f64,
    /// Road-like networks: weight of the length.
    #[schema(required = false, default = 0.0)]
    distance_factor: f64,
    #[schema(required = false)]
    scenarios: Vec<String>,
    /// Freight networks with sea lanes: a vessel class to sail every sea
    /// leg with (as in `RouteQuery`); default per pair the one `route` picks.
    #[schema(required = false)]
    vessel: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Totals {
    co2_kg: f64,
    cost: f64,
    generalised: f64,
    hours: f64,
    km: f64,
}

/// Consecutive links of one layer.
#[derive(Serialize, ToSchema)]
pub struct Leg {
    co2_kg: f64,
    cost: f64,
    from: String,
    /// Rail only, mm.
    #[schema(required = false)]
    gauge: Option<u16>,
    hours: f64,
    km: f64,
    links: Vec<String>,
    /// `road`, `rail`, `sea` or `river`.
    mode: String,
    to: String,
    /// Sea legs over sea lanes: the vessel class sailing them.
    #[schema(required = false)]
    vessel: Option<String>,
}

/// A change of layer at a terminal (e.g. `rail:1520` to `rail:1435`).
#[derive(Serialize, ToSchema)]
pub struct Transfer {
    at: String,
    co2_kg: f64,
    cost: f64,
    from_layer: String,
    hours: f64,
    terminal: String,
    to_layer: String,
}

#[derive(Serialize, ToSchema)]
pub struct BorderCrossing {
    at: String,
    border: String,
    countries: [String; 2],
    /// The border's fees for the shipment.
    fees: f64,
    hours: f64,
    mode: String,
    /// What the vehicle costs while it waits out `hours`, for the
    /// shipment (hours times the mode's waiting cost).
    waiting_cost: f64,
}

/// One step in travel order: an index into `legs`, `transfers` or `borders`.
#[derive(Serialize, ToSchema)]
pub struct Step {
    index: usize,
    /// `leg`, `transfer` or `border`.
    kind: String,
}

#[derive(Serialize, ToSchema)]
pub struct Itinerary {
    borders: Vec<BorderCrossing>,
    commodity: String,
    from: String,
    legs: Vec<Leg>,
    /// The objective, or `pareto` for a member of a Pareto set.
    minimize: String,
    /// How far `lat,lon` places were snapped, km (from, to).
    #[schema(required = false)]
    snap_km: Option<[f64; 2]>,
    steps: Vec<Step>,
    to: String,
    tonnes: f64,
    totals: Totals,
    transfers: Vec<Transfer>,
}

/// Every non-dominated (cost, time) itinerary, sorted by cost.
#[derive(Serialize, ToSchema)]
pub struct ParetoSet {
    commodity: String,
    from: String,
    itineraries: Vec<Itinerary>,
    to: String,
    tonnes: f64,
}

/// One itinerary, or with `pareto` the Pareto set.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum RouteResult {
    Itinerary(Itinerary),
    Pareto(ParetoSet),
}

/// One element of a minimum cut.
#[derive(Serialize, ToSchema)]
pub struct Bottleneck {
    /// `link`, `terminal`, `border`, `node`, `supply` or `absorption`.
    kind: String,
    id: String,
    name: String,
    capacity: f64,
    /// Its part of the cut, 0..1.
    share: f64,
}

#[derive(Serialize, ToSchema)]
pub struct ElementFlow {
    kind: String,
    id: String,
    name: String,
    flow: f64,
    capacity: Option<f64>,
    utilisation: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct CapacityReport {
    from: Vec<String>,
    to: Vec<String>,
    commodity: String,
    minimize: String,
    max_flow: f64,
    unit: String,
    #[schema(required = false)]
    max_flow_mt_per_year: Option<f64>,
    bottlenecks: Vec<Bottleneck>,
    elements: Vec<ElementFlow>,
    cost_per_unit: f64,
    exact: bool,
    #[schema(required = false)]
    upper_bound: Option<f64>,
    notes: Vec<String>,
}

/// The best route of one side, or why there is none.
#[derive(Serialize, ToSchema)]
pub struct RouteOutcome {
    #[schema(required = false)]
    itinerary: Option<Itinerary>,
    #[schema(required = false)]
    no_route: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct FlowChange {
    kind: String,
    id: String,
    name: String,
    before: f64,
    after: f64,
    change: f64,
}

#[derive(Serialize, ToSchema)]
pub struct CompareReport {
    scenarios: Vec<String>,
    base: CapacityReport,
    scenario: CapacityReport,
    ratio: Option<f64>,
    bottlenecks_appeared: Vec<Bottleneck>,
    bottlenecks_disappeared: Vec<Bottleneck>,
    route_before: RouteOutcome,
    route_after: RouteOutcome,
    flow_changes: Vec<FlowChange>,
    /// Only when the question asked for it.
    #[schema(required = false)]
    optimise: Option<OptimiseComparison>,
}

#[derive(Serialize, ToSchema)]
pub struct IterationRecord {
    iteration: usize,
    objective: f64,
    relative_gap: f64,
    seconds: f64,
}

/// A road-like (veh/h) network's equilibrium.
#[derive(Serialize, ToSchema)]
pub struct RoadAssignResult {
    history: Vec<IterationRecord>,
    iterations: usize,
    method: String,
    objective: f64,
    relative_gap: f64,
    seconds: f64,
}

#[derive(Serialize, ToSchema)]
pub struct CommodityLoad {
    commodity: String,
    relative_gap: f64,
    t_per_day: f64,
    total_cost: f64,
    unreachable_t_per_day: f64,
    /// On sea lanes: t/day per vessel class, by the class each pair sails.
    #[schema(required = false)]
    vessels: BTreeMap<String, f64>,
}

/// Flow through a link (`from`, `to`), terminal or border (`node`).
#[derive(Serialize, ToSchema)]
pub struct ElementLoad {
    capacity_t_per_day: Option<f64>,
    flow: f64,
    flow_by_commodity: BTreeMap<String, f64>,
    #[schema(required = false)]
    from: Option<String>,
    hours: Option<f64>,
    id: String,
    load: f64,
    #[schema(required = false)]
    node: Option<String>,
    #[schema(required = false)]
    to: Option<String>,
    utilisation: Option<f64>,
}

/// A freight (t/day) network's equilibrium, one class per commodity.
#[derive(Serialize, ToSchema)]
pub struct FreightAssignResult {
    borders: Vec<ElementLoad>,
    commodities: Vec<CommodityLoad>,
    converged: bool,
    history: Vec<IterationRecord>,
    iterations: usize,
    links: Vec<ElementLoad>,
    method: String,
    minimize: Objective,
    objective: f64,
    relative_gap: f64,
    seconds: f64,
    symmetric: bool,
    terminals: Vec<ElementLoad>,
}

#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum AssignResult {
    Freight(FreightAssignResult),
    Road(RoadAssignResult),
}

#[derive(Serialize, ToSchema)]
pub struct LayerInfo {
    layer: String,
    links: usize,
    km: f64,
    min_capacity: Option<f64>,
    max_capacity: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct TerminalInfo {
    id: String,
    name: String,
    node: String,
    /// `road <-> rail:1520`, ...
    transfers: Vec<String>,
    handling_cost_per_t: f64,
    hours: f64,
    capacity: Option<f64>,
    open: bool,
}

#[derive(Serialize, ToSchema)]
pub struct BorderInfo {
    id: String,
    name: String,
    node: String,
    countries: [String; 2],
    /// Dwell hours by mode, only modes with a dwell.
    dwell_hours: BTreeMap<String, f64>,
    fee_per_t: f64,
    capacity: Option<f64>,
    open: bool,
}

#[derive(Serialize, ToSchema)]
pub struct CommodityInfo {
    id: String,
    class: String,
    value_of_time_per_t_h: f64,
}

/// What `corridor info` says about a network.
#[derive(Serialize, ToSchema)]
pub struct InfoReport {
    network: String,
    currency: String,
    flow_unit: String,
    /// `[west, south, east, north]`.
    bbox: Option<[f64; 4]>,
    nodes: usize,
    nodes_by_kind: BTreeMap<String, usize>,
    closed_nodes: usize,
    links: usize,
    closed_links: usize,
    layers: Vec<LayerInfo>,
    terminals: Vec<TerminalInfo>,
    borders: Vec<BorderInfo>,
    commodities: Vec<CommodityInfo>,
}

/// A GeoJSON FeatureCollection (RFC 7946); each feature's `properties`
/// say what it is (`element`/`kind`, `id`, ...; see docs/api.md).
#[derive(Serialize, ToSchema)]
pub struct FeatureCollection {
    /// Always `FeatureCollection`.
    #[serde(rename = "type")]
    kind: String,
    #[schema(value_type = Vec<Object>)]
    features: Vec<serde_json::Value>,
    /// Foreign members: the network's `name` and `currency`, or the
    /// question's `properties` (commodity, totals, max flow, ...).
    #[serde(flatten)]
    #[schema(value_type = BTreeMap<String, Value>)]
    foreign: BTreeMap<String, serde_json::Value>,
}

#[derive(Serialize, ToSchema)]
pub struct NodeRef {
    id: String,
    name: String,
}

/// One obstacle on a blocked way: `kind` says which (`node_closed`,
/// `link_closed`, `link_bans`, `terminal_closed`, `terminal_rejects`,
/// `border_closed`, `border_bans`, `node_avoided`, `link_avoided`,
/// `terminal_avoided`, `border_avoided`, `missing_transfer`,
/// `vessel_limits`, `no_single_vessel`), the other properties name the
/// elements.
#[derive(Serialize, ToSchema)]
pub struct Obstacle {
    kind: String,
    /// The elements it names: `node`, `link`, `terminal`, `border`, `at`, ...
    #[serde(flatten)]
    #[schema(value_type = BTreeMap<String, Value>)]
    names: BTreeMap<String, serde_json::Value>,
}

/// Why there is no way: `origin_has_no_link`, `destination_has_no_link`,
/// `disconnected`, or `blocked` with up to five ways, each a list of
/// obstacles (fewest first).
#[derive(Serialize, ToSchema)]
pub struct NoRouteReason {
    kind: String,
    #[schema(required = false)]
    ways: Vec<Vec<Obstacle>>,
}

/// Why a commodity cannot go from one node to another.
#[derive(Serialize, ToSchema)]
pub struct NoRoute {
    commodity: String,
    from: NodeRef,
    to: NodeRef,
    reason: NoRouteReason,
}

/// The system optimum (`corridor optimise`), demand inline: the cheapest
/// plan that moves the demand within hard capacities (docs/optimise.md).
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"demand": [{"origin": "vinnytsia", "destination": "gdansk", "commodity": "grain", "amount": 8000}], "minimize": "cost"}))]
pub struct OptimiseQuery {
    demand: Vec<DemandEntry>,
    #[schema(required = false, default = "generalised")]
    minimize: Objective,
    /// Per t/day of unserved demand; default derived from the network.
    #[schema(required = false, minimum = 0.0)]
    unserved_penalty: Option<f64>,
    /// Which LP: `arc-node`, `paths` (column generation) or `auto`
    /// (arc-node while small, paths beyond).
    #[schema(required = false, default = "auto")]
    formulation: Formulation,
    /// Stop column generation once (objective − lower bound) / |objective|
    /// is at most this; default: solve to the optimum.
    #[schema(required = false, minimum = 0.0)]
    gap: Option<f64>,
    /// Stop column generation after the first master solve past this many
    /// seconds; default: no limit.
    #[schema(required = false, minimum = 0.0)]
    time_limit_seconds: Option<f64>,
    /// Steps of the Lagrangian bound's ascent beside each master solve of
    /// column generation (a tighter lower bound for `gap`); default 0.
    #[schema(required = false, minimum = 0)]
    bound_steps: Option<usize>,
    /// Wentges smoothing of column generation's prices: the first weight
    /// α in [0, 1) of the best bound's prices against the master's duals;
    /// default none.
    #[schema(required = false, minimum = 0.0, exclusive_maximum = 1.0)]
    smoothing: Option<f64>,
    #[schema(required = false)]
    scenarios: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LpSize {
    /// `arc-node` or `paths`.
    formulation: String,
    /// `microlp` or `highs`.
    solver: String,
    columns: usize,
    rows: usize,
    nonzeros: usize,
    rounds: usize,
    flows: usize,
}

#[derive(Serialize, ToSchema)]
pub struct CommodityOptimum {
    commodity: String,
    demand_t_per_day: f64,
    served_t_per_day: f64,
    unserved_t_per_day: f64,
    total_cost: f64,
    cost_per_t: f64,
}

#[derive(Serialize, ToSchema)]
pub struct UnservedDemand {
    origin: String,
    destination: String,
    commodity: String,
    demand_t_per_day: f64,
    unserved_t_per_day: f64,
}

/// What one more t/day of a binding capacity saves per day.
#[derive(Serialize, ToSchema)]
pub struct ShadowPrice {
    /// `link`, `terminal`, `border` or `node`.
    kind: String,
    id: String,
    name: String,
    #[schema(required = false)]
    from: Option<String>,
    #[schema(required = false)]
    to: Option<String>,
    capacity_t_per_day: f64,
    load_t_per_day: f64,
    shadow_price: f64,
}

#[derive(Serialize, ToSchema)]
pub struct ElementOptimum {
    kind: String,
    id: String,
    #[schema(required = false)]
    from: Option<String>,
    #[schema(required = false)]
    to: Option<String>,
    #[schema(required = false)]
    node: Option<String>,
    flow: f64,
    flow_by_commodity: BTreeMap<String, f64>,
    load: f64,
    capacity_t_per_day: Option<f64>,
    utilisation: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct OptimiseResult {
    network: String,
    minimize: String,
    unit: String,
    unserved_penalty: f64,
    /// `default` or `given`.
    penalty_source: String,
    total_cost: f64,
    objective: f64,
    /// `optimal`, `gap reached` or `time limit` (only `optimal` is proven).
    status: String,
    /// A proven lower bound on the optimal objective.
    lower_bound: f64,
    /// (objective − lower_bound) / |objective|.
    gap: f64,
    demand_t_per_day: f64,
    served_t_per_day: f64,
    unserved_t_per_day: f64,
    by_commodity: Vec<CommodityOptimum>,
    unserved: Vec<UnservedDemand>,
    shadow_prices: Vec<ShadowPrice>,
    elements: Vec<ElementOptimum>,
    lp: LpSize,
    demand_rows: usize,
    seconds: f64,
}

#[derive(Serialize, ToSchema)]
pub struct OptimumTotals {
    total_cost: f64,
    objective: f64,
    served_t_per_day: f64,
    unserved_t_per_day: f64,
}

#[derive(Serialize, ToSchema)]
pub struct UnservedChange {
    origin: String,
    destination: String,
    commodity: String,
    before: f64,
    after: f64,
}

#[derive(Serialize, ToSchema)]
pub struct ShadowPriceChange {
    kind: String,
    id: String,
    name: String,
    #[schema(required = false)]
    from: Option<String>,
    #[schema(required = false)]
    to: Option<String>,
    before: f64,
    after: f64,
}

/// Base against scenario system optimum for the same demand.
#[derive(Serialize, ToSchema)]
pub struct OptimiseComparison {
    minimize: String,
    unit: String,
    unserved_penalty: f64,
    base: OptimumTotals,
    scenario: OptimumTotals,
    unserved_changes: Vec<UnservedChange>,
    shadow_price_changes: Vec<ShadowPriceChange>,
}

/// One pair's totals for one tonne; all `null` when unreachable.
#[derive(Serialize, ToSchema)]
pub struct SkimRow {
    from: String,
    to: String,
    /// Money, in the network's currency.
    cost: Option<f64>,
    hours: Option<f64>,
    km: Option<f64>,
    co2_kg: Option<f64>,
    /// The vessel class of the pair's sea legs (sea lanes only).
    #[schema(required = false)]
    vessel: Option<String>,
}

/// `corridor skim ... --format json`: one row per pair, origins in order,
/// each origin's destinations in order.
#[derive(Serialize, ToSchema)]
pub struct SkimResult {
    commodity: String,
    minimize: String,
    rows: Vec<SkimRow>,
}

/// One of several equal parts of a long question, for workers sharing it:
/// item `i` (an element, a sweep row) belongs to part `i % of`.
#[derive(Serialize, ToSchema)]
pub struct Part {
    /// 0-based, below `of`.
    index: usize,
    /// How many parts; at least 1.
    #[schema(minimum = 1)]
    of: usize,
}

/// N−1 analysis (`corridor criticality`'s flags): the capacity question
/// asked once per element with that element closed.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"from": ["vinnytsia", "poltava"], "to": ["gdansk", "constanta"], "commodity": "grain", "elements": ["terminals", "borders"]}))]
pub struct CriticalityQuery {
    from: Vec<Endpoint>,
    to: Vec<Endpoint>,
    #[schema(required = false)]
    commodity: Option<String>,
    #[schema(required = false, default = "cost")]
    minimize: Objective,
    /// Kinds of element to close: `links`, `terminals`, `borders`,
    /// `nodes` (singular words too); default all four.
    #[schema(required = false)]
    elements: Vec<String>,
    /// Scenarios to apply first, by name, in order.
    #[schema(required = false)]
    scenarios: Vec<String>,
    /// Threads closing elements side by side; default all cores. The
    /// answer does not depend on it.
    #[schema(required = false)]
    threads: Option<usize>,
    /// Only this part of the elements.
    #[schema(required = false)]
    part: Option<Part>,
}

/// The capacity question for each scenario alone, or with `grid` every
/// combination (`corridor sweep`'s flags), for every commodity.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"from": ["vinnytsia"], "to": ["gdansk", "constanta"], "scenarios": ["restore-black-sea-ports", "romanian-gauge-capacity"], "grid": true}))]
pub struct SweepQuery {
    from: Vec<Endpoint>,
    to: Vec<Endpoint>,
    /// Commodity ids; default the network's first.
    #[schema(required = false)]
    commodities: Vec<String>,
    #[schema(required = false, default = "cost")]
    minimize: Objective,
    /// The scenarios swept, by name (with `grid`, at most 12).
    scenarios: Vec<String>,
    #[schema(required = false, default = false)]
    grid: bool,
    #[schema(required = false)]
    threads: Option<usize>,
    /// Only this part of the rows.
    #[schema(required = false)]
    part: Option<Part>,
}

/// One candidate investment: a scenario (by name: a project's of the
/// network's `projects`, or one of its scenarios) and what it costs.
#[derive(Serialize, ToSchema)]
pub struct ProjectEntry {
    name: String,
    scenario: String,
    /// In the query's `cost_unit`.
    #[schema(minimum = 0.0)]
    cost: f64,
    #[schema(required = false)]
    note: Option<String>,
}

/// Investment screening (`corridor invest`'s flags, the projects file's
/// content inline: `GET /api/networks/{name}/projects` gives it).
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"from": ["vinnytsia"], "to": ["gdansk", "constanta"], "commodity": "grain", "budget": 200, "cost_unit": "million EUR",
    "projects": [{"name": "vicsani-gauge-2", "scenario": "vicsani-gauge-2", "cost": 10}, {"name": "odesa-berths", "scenario": "odesa-berths", "cost": 150}]}))]
pub struct InvestQuery {
    from: Vec<Endpoint>,
    to: Vec<Endpoint>,
    #[schema(required = false)]
    commodity: Option<String>,
    #[schema(required = false, default = "cost")]
    minimize: Objective,
    projects: Vec<ProjectEntry>,
    /// The most the chosen projects may cost together, in `cost_unit`.
    #[schema(minimum = 0.0)]
    budget: f64,
    /// What costs are counted in (words only, for the report).
    #[schema(required = false)]
    cost_unit: Option<String>,
    #[schema(required = false)]
    threads: Option<usize>,
}

/// A network folder's `projects.toml`: `cost_unit` and `projects` as an
/// invest query takes them, and what each project's scenario changes or adds.
#[derive(Serialize, ToSchema)]
pub struct Projects {
    cost_unit: Option<String>,
    projects: Vec<ProjectEntry>,
    /// By project name: the elements its scenario edits or adds, in edit order.
    elements: std::collections::BTreeMap<String, Vec<ProjectElement>>,
}

/// An element a project's scenario edits or adds.
#[derive(Serialize, ToSchema)]
pub struct ProjectElement {
    /// `node`, `link`, `terminal` or `border`.
    #[schema(example = "terminal")]
    kind: String,
    #[schema(example = "terminal-odesa-port")]
    id: String,
    /// The node ids it stands at (a link's two ends), which place an
    /// element the project adds.
    at: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CriticalityBase {
    max_flow: f64,
    cost_per_unit: f64,
    connected: bool,
    exact: bool,
}

/// One element closed, and what the closure does.
#[derive(Serialize, ToSchema)]
pub struct CriticalElement {
    /// `link`, `terminal`, `border` or `node`.
    kind: String,
    id: String,
    name: String,
    /// It carries flow in the base's cheapest maximum flow.
    used: bool,
    max_flow: f64,
    lost: f64,
    lost_share: f64,
    cost_per_unit: f64,
    cost_change: Option<f64>,
    connected: bool,
    /// Origins and destinations it cuts off.
    cut_off: Vec<String>,
    exact: bool,
}

/// `corridor criticality ... --format json`: every element, most
/// critical first.
#[derive(Serialize, ToSchema)]
pub struct CriticalityReport {
    from: Vec<String>,
    to: Vec<String>,
    commodity: String,
    minimize: String,
    scenarios: Vec<String>,
    unit: String,
    kinds: Vec<String>,
    base: CriticalityBase,
    shortcut: bool,
    elements: Vec<CriticalElement>,
    notes: Vec<String>,
    #[schema(required = false)]
    part: Option<Part>,
}

/// One commodity with one combination of scenarios.
#[derive(Serialize, ToSchema)]
pub struct SweepRow {
    commodity: String,
    scenarios: Vec<String>,
    max_flow: Option<f64>,
    ratio: Option<f64>,
    cost_per_unit: Option<f64>,
    bottleneck: Option<Bottleneck>,
    exact: bool,
    /// Why the row has no answer.
    #[schema(required = false)]
    error: Option<String>,
}

/// `corridor sweep ... --format json`.
#[derive(Serialize, ToSchema)]
pub struct SweepReport {
    from: Vec<String>,
    to: Vec<String>,
    minimize: String,
    unit: String,
    scenarios: Vec<String>,
    grid: bool,
    rows: Vec<SweepRow>,
    #[schema(required = false)]
    part: Option<Part>,
}

/// One project on its own.
#[derive(Serialize, ToSchema)]
pub struct ProjectOutcome {
    name: String,
    scenario: String,
    cost: f64,
    #[schema(required = false)]
    note: Option<String>,
    max_flow: Option<f64>,
    added: Option<f64>,
    added_per_cost: Option<f64>,
    raises_only: bool,
    #[schema(required = false)]
    error: Option<String>,
}

/// The set of projects chosen within the budget.
#[derive(Serialize, ToSchema)]
pub struct BestSet {
    projects: Vec<String>,
    cost: f64,
    max_flow: f64,
    added: f64,
    /// `branch and bound`, `enumeration` or `greedy`.
    method: String,
    exact: bool,
    #[schema(required = false)]
    upper_bound: Option<f64>,
    evaluated: usize,
}

/// `corridor invest ... --format json`.
#[derive(Serialize, ToSchema)]
pub struct InvestReport {
    from: Vec<String>,
    to: Vec<String>,
    commodity: String,
    minimize: String,
    unit: String,
    #[schema(required = false)]
    cost_unit: Option<String>,
    budget: f64,
    base_max_flow: f64,
    projects: Vec<ProjectOutcome>,
    best: BestSet,
    notes: Vec<String>,
}

/// A finished job's answer: the CLI's JSON for its question.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum JobResult {
    Criticality(CriticalityReport),
    Sweep(SweepReport),
    Invest(InvestReport),
}

/// Units of work done: elements closed (criticality), rows answered
/// (sweep) or sets of projects evaluated (invest).
#[derive(Serialize, ToSchema)]
pub struct JobProgress {
    done: usize,
    /// Null while not known (before a job starts; invest's search never
    /// knows how many sets it will evaluate).
    total: Option<usize>,
}

/// A long question's job.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"id": "5f0c3a9e21d47b68", "question": "criticality", "network": "grain-corridors", "status": "running", "progress": {"done": 31, "total": 87}}))]
pub struct JobStatus {
    id: String,
    /// `criticality`, `sweep` or `invest`.
    question: String,
    network: String,
    /// `queued`, `running`, `done`, `failed` or `cancelled`.
    status: String,
    progress: JobProgress,
    /// Only when `done`.
    #[schema(required = false)]
    result: Option<JobResult>,
    /// Only when `failed`: why, as any error of the API.
    #[schema(required = false)]
    error: Option<crate::api_error::ApiError>,
}
