//! Routing one shipment: weights for a commodity and objective, Dijkstra
//! (through `--via` nodes in order), the Pareto set of cost vs time, and
//! turning a path of arcs into an itinerary of legs, transfers and border
//! crossings with totals for all the shipment's tonnes.
//!
//! On a network with sea lanes (links tagged `sea-lane`), a shipment is
//! routed once per vessel class its commodity may use
//! ([`corridor_model::vessels_for`], or the one `RouteConfig::vessel`
//! forces): the class prices the lanes and keeps off the passages it does
//! not fit and the ports too shallow for it. The arc table is built once;
//! each class overwrites only the arcs the lowering lists as depending on
//! the class ([`crate::lower::VesselArcs`]). The best of those itineraries
//! by the objective wins (one class per shipment: all its sea legs are
//! sailed by it), and its sea legs name the class. With `--pareto` the
//! sets of all classes are merged and thinned to the non-dominated ones.

use crate::access::{Avoid, arc_obstacle, arc_obstacle_by, describe_node, node_obstacle};
use crate::cost::{ArcAttrs, Objective, arc_attrs};
use crate::explain::explain_no_route_by;
use crate::hierarchy::Hierarchy;
use crate::lower::{ArcOrigin, LayerIdx, Lowered};
use crate::{Error, Result};
use corridor_graph::cch::{CchMetric, CchQuery};
use corridor_graph::pareto::pareto_paths;
use corridor_graph::shortest_path::NO_ARC;
use corridor_graph::{ArcIdx, Csr, ShortestPath, VertexIdx};
use corridor_model::{
    BorderCrossing, Commodity, CommodityId, Itinerary, Leg, Network, NodeId, Step, Totals, Transfer,
};
use corridor_model::{VesselClass, is_sea_lane, vessels_for};

/// The vessel class of each sea leg: the commodity's permitted classes, or
/// the one forced.
pub type Vessels = Vec<&'static VesselClass>;

/// Per-tonne attributes of every arc, and which arcs the shipment may use.
pub struct ArcTable {
    pub attrs: Vec<ArcAttrs>,
    pub usable: Vec<bool>,
}

impl ArcTable {
    /// Arcs are independent: on a network of millions of links (a route
    /// on a compiled file, which does not lower) this table is much of a
    /// route's time, so it is filled on every core.
    pub fn new(net: &Network, lowered: &Lowered, commodity: &Commodity, avoid: &Avoid) -> Self {
        Self::new_plain(net, lowered, commodity, avoid)
    }

    /// [`ArcTable::new`] with the class-dependent arcs
    /// ([`crate::lower::VesselArcs`]) as `vessel` sails them.
    pub fn with_vessel(
        net: &Network,
        lowered: &Lowered,
        commodity: &Commodity,
        avoid: &Avoid,
        vessel: Option<&VesselClass>,
    ) -> Self {
        let mut table = Self::new_plain(net, lowered, commodity, avoid);
        if let Some(v) = vessel {
            let base = table.vessel_base(lowered);
            table.set_vessel(net, lowered, &base, v);
        }
        table
    }

    fn new_plain(net: &Network, lowered: &Lowered, commodity: &Commodity, avoid: &Avoid) -> Self {
        use rayon::prelude::*;
        // Into vectors of the exact length: collecting by growth left up
        // to half of the largest table of a route unused (issue 14).
        let (mut attrs, mut usable) = (Vec::new(), Vec::new());
        lowered
            .arc_origin
            .par_iter()
            .with_min_len(1 << 14)
            .map(|&o| {
                let x = arc_attrs(net, lowered, o);
                (x, arc_obstacle(net, o, commodity, avoid).is_none())
            })
            .unzip_into_vecs(&mut attrs, &mut usable);
        Self { attrs, usable }
    }

    /// The weights of [`ArcTable::new`]`(..).weights(objective, ..)`, bit
    /// for bit, with a table that keeps no attributes: [`ArcTable::attrs_of`]
    /// computes an arc's when an itinerary asks. A one-objective route
    /// without vessel classes needs nothing else, and on a network of
    /// millions of links the kept table (33 bytes an arc) was the largest
    /// allocation after the network itself.
    pub fn weights_only(
        net: &Network,
        lowered: &Lowered,
        commodity: &Commodity,
        avoid: &Avoid,
        objective: Objective,
    ) -> (Self, Vec<f64>) {
        use rayon::prelude::*;
        // Each node's own check once, in node order: every arc would
        // otherwise read the rows of both its ends again.
        let mut node_ok = Vec::new();
        (0..net.nodes.len() as u32)
            .into_par_iter()
            .with_min_len(1 << 14)
            .map(|n| node_obstacle(net, avoid, NodeId(n)).is_none())
            .collect_into_vec(&mut node_ok);
        let node_check = |n: NodeId| {
            if node_ok[n.index()] {
                None
            } else {
                node_obstacle(net, avoid, n)
            }
        };
        let mut weights = Vec::new();
        lowered
            .arc_origin
            .par_iter()
            .with_min_len(1 << 14)
            .map(|&o| {
                if arc_obstacle_by(net, o, commodity, avoid, node_check).is_none() {
                    arc_attrs(net, lowered, o).value(objective, net, commodity)
                } else {
                    f64::INFINITY
                }
            })
            .collect_into_vec(&mut weights);
        let table = Self {
            attrs: Vec::new(),
            usable: Vec::new(),
        };
        (table, weights)
    }

    /// The per-tonne attributes of arc `a`: the table's, or computed from
    /// the network when the table keeps none ([`ArcTable::weights_only`]).
    pub fn attrs_of(&self, net: &Network, lowered: &Lowered, a: ArcIdx) -> ArcAttrs {
        match self.attrs.get(a.index()) {
            Some(&x) => x,
            None => arc_attrs(net, lowered, lowered.arc_origin[a.index()]),
        }
    }

    /// The class-free figures of the class-dependent arcs, which
    /// [`ArcTable::set_vessel`] starts from.
    pub fn vessel_base(&self, lowered: &Lowered) -> Vec<(ArcAttrs, bool)> {
        lowered
            .vessels
            .arcs()
            .iter()
            .map(|a| (self.attrs[a.index()], self.usable[a.index()]))
            .collect()
    }

    /// Overwrites the class-dependent arcs as `v` sails them: a sea lane
    /// priced by the class and open if it fits the lane's limits; any of
    /// them open only if the class may call at both ends.
    pub fn set_vessel(
        &mut self,
        net: &Network,
        lowered: &Lowered,
        base: &[(ArcAttrs, bool)],
        v: &VesselClass,
    ) {
        for (&a, &(x, ok)) in lowered.vessels.arcs().iter().zip(base) {
            let ArcOrigin::Link { link, .. } = lowered.arc_origin[a.index()] else {
                continue;
            };
            let l = net.link(link);
            let (mut x, mut ok) = (
                x,
                ok && v.calls_at(net.node(l.from)) && v.calls_at(net.node(l.to)),
            );
            if is_sea_lane(l) {
                (x.money, x.hours, x.co2_kg) = v.link_per_t(l);
                ok = ok && v.fits(l);
            }
            self.attrs[a.index()] = x;
            self.usable[a.index()] = ok;
        }
    }

    /// The weight of one arc for an objective (infinity when unusable).
    fn weight(&self, a: usize, objective: Objective, net: &Network, commodity: &Commodity) -> f64 {
        if self.usable[a] {
            self.attrs[a].value(objective, net, commodity)
        } else {
            f64::INFINITY
        }
    }

    /// Refreshes `weights` (of [`ArcTable::weights`]) on the
    /// class-dependent arcs after [`ArcTable::set_vessel`].
    pub fn refresh_weights(
        &self,
        weights: &mut [f64],
        lowered: &Lowered,
        objective: Objective,
        net: &Network,
        commodity: &Commodity,
    ) {
        for &a in lowered.vessels.arcs() {
            weights[a.index()] = self.weight(a.index(), objective, net, commodity);
        }
    }

    /// Arc weights for an objective; unusable arcs weigh infinity.
    pub fn weights(&self, objective: Objective, net: &Network, commodity: &Commodity) -> Vec<f64> {
        (0..self.attrs.len())
            .map(|a| self.weight(a, objective, net, commodity))
            .collect()
    }
}

/// What each arc adds to an [`itinerary`]'s totals per tonne: links,
/// transfers and border crossings count; helper arcs (gates and the like)
/// report nothing, as `itinerary` skips them. Summed along a path this is
/// the itinerary's totals for one tonne, so a skim matches `route` without
/// building legs.
pub fn reported_attrs(lowered: &Lowered, table: &ArcTable) -> Vec<ArcAttrs> {
    lowered
        .arc_origin
        .iter()
        .zip(&table.attrs)
        .map(|(o, &x)| match o {
            ArcOrigin::Link { .. } | ArcOrigin::Transfer { .. } | ArcOrigin::Border { .. } => x,
            _ => ArcAttrs::default(),
        })
        .collect()
}

/// What moves: a shipment in model ids (a face resolves the places and the
/// commodity its user typed into these).
#[derive(Clone, Debug, PartialEq)]
pub struct Shipment {
    pub from: NodeId,
    pub to: NodeId,
    pub commodity: CommodityId,
    /// Money and CO2 totals are for all of them.
    pub tonnes: f64,
}

/// How to route a [`Shipment`]: the knobs of [`route`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RouteConfig {
    pub objective: Objective,
    /// Nodes to pass through, in order.
    pub via: Vec<NodeId>,
    pub avoid: Avoid,
    /// List every non-dominated (cost, time) itinerary instead of one.
    pub pareto: bool,
    /// Sail every sea leg with this class (`--vessel`), which the
    /// commodity must be allowed; `None` tries each class it may use.
    pub vessel: Option<&'static VesselClass>,
}

pub use corridor_model::RouteResult;

/// Labels at most this many partial paths before `--pareto` gives up.
const PARETO_MAX_LABELS: usize = 5_000_000;

/// The vessel classes to try for `commodity`: none when the network has
/// no sea lanes (nothing for a class to sail), else the one `forced` or
/// every class the commodity may use. Forcing a class the commodity may
/// not use, or forcing one where there are no sea lanes, is refused.
pub fn vessel_classes(
    lowered: &Lowered,
    commodity: &Commodity,
    forced: Option<&'static VesselClass>,
) -> Result<Vessels> {
    let permitted = vessels_for(commodity);
    let refuse = |message: String| Error::InvalidQuery {
        field: "vessel".into(),
        message,
    };
    match forced {
        _ if !lowered.vessels.has_sea_lanes && forced.is_none() => Ok(Vec::new()),
        None => Ok(permitted),
        Some(v) if !lowered.vessels.has_sea_lanes => Err(refuse(format!(
            "the network has no sea lanes (links tagged `sea-lane`, from `corridor import sea`) for a {} to sail",
            v.id
        ))),
        Some(v) if permitted.iter().any(|p| p.id == v.id) => Ok(vec![v]),
        Some(v) => Err(refuse(format!(
            "{} may not carry {} (it may use: {})",
            v.id,
            commodity.source_id,
            permitted
                .iter()
                .map(|p| p.id)
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// Why one search gave no itinerary: a leg it could not reach (explained
/// once, after every class failed) or an error to pass on.
enum Miss {
    Unreached(NodeId, NodeId),
    Failed(Error),
}

impl From<Error> for Miss {
    fn from(e: Error) -> Self {
        Miss::Failed(e)
    }
}

/// Routes a shipment. No route is an [`Error::NoRoute`] that says why
/// (closures, bans, avoided elements, missing terminals, passages and
/// ports no permitted vessel class fits).
pub fn route(
    net: &Network,
    lowered: &Lowered,
    shipment: &Shipment,
    config: &RouteConfig,
) -> Result<RouteResult> {
    route_on(net, lowered, None, shipment, config)
}

/// [`route`] with the best paths searched on `hierarchy` (the CCH of
/// `lowered`, customized per weighting and kept) when given, else by
/// Dijkstra. Distances are the same; between equally good paths the two
/// may pick different ones. Pareto sets are Dijkstra's either way.
pub fn route_on(
    net: &Network,
    lowered: &Lowered,
    hierarchy: Option<&Hierarchy>,
    shipment: &Shipment,
    config: &RouteConfig,
) -> Result<RouteResult> {
    let commodity = checked_commodity(net, shipment, config)?;
    let vessels = vessel_classes(lowered, commodity, config.vessel)?;
    let (mut table, mut weights) = if vessels.is_empty() && !config.pareto {
        let (table, main) =
            ArcTable::weights_only(net, lowered, commodity, &config.avoid, config.objective);
        let weights = Weights {
            objective: config.objective,
            pareto: false,
            main,
            time: Vec::new(),
        };
        (table, weights)
    } else {
        let table = ArcTable::new(net, lowered, commodity, &config.avoid);
        let weights = Weights::new(&table, config, net, commodity);
        (table, weights)
    };
    let explain = |(from, to): (NodeId, NodeId)| {
        let why = explain_no_route_by(net, lowered, from, to, &config.avoid, commodity, &vessels);
        Error::NoRoute(Box::new(why))
    };
    let found = |r: std::result::Result<RouteResult, Miss>| match r {
        Ok(r) => Ok(Some(r)),
        Err(Miss::Unreached(a, b)) => Err(Ok((a, b))),
        Err(Miss::Failed(e)) => Err(Err(e)),
    };
    let search = |table: &ArcTable, weights: &Weights| {
        let graph = (lowered, hierarchy);
        found(search_once(
            net, graph, shipment, config, commodity, table, weights,
        ))
    };
    if vessels.is_empty() {
        return match search(&table, &weights) {
            Ok(r) => Ok(r.expect("found")),
            Err(Ok(leg)) => Err(explain(leg)),
            Err(Err(e)) => Err(e),
        };
    }
    let base = table.vessel_base(lowered);
    let mut best: Option<RouteResult> = None;
    let mut unreached = None;
    for &v in &vessels {
        table.set_vessel(net, lowered, &base, v);
        weights.refresh(&table, lowered, net, commodity);
        match search(&table, &weights) {
            Ok(Some(mut r)) => {
                name_vessel(net, &mut r, v);
                best = Some(match best {
                    None => r,
                    Some(b) if config.pareto => merge_pareto(b, r),
                    Some(b) if score(&r, config.objective) < score(&b, config.objective) => r,
                    Some(b) => b,
                })
            }
            Ok(None) => {}
            Err(Ok(leg)) => unreached = unreached.or(Some(leg)),
            Err(Err(e)) => return Err(e),
        }
    }
    match best {
        Some(best) => Ok(best),
        None => Err(explain(unreached.expect("every class missed a leg"))),
    }
}

/// The weights a search needs (the objective's, or cost and time for
/// `--pareto`), refreshed per class on the class-dependent arcs only.
struct Weights {
    objective: Objective,
    pareto: bool,
    main: Vec<f64>,
    time: Vec<f64>,
}

impl Weights {
    fn new(table: &ArcTable, config: &RouteConfig, net: &Network, c: &Commodity) -> Self {
        let objective = if config.pareto {
            Objective::Cost
        } else {
            config.objective
        };
        Self {
            objective,
            pareto: config.pareto,
            main: table.weights(objective, net, c),
            time: if config.pareto {
                table.weights(Objective::Time, net, c)
            } else {
                Vec::new()
            },
        }
    }

    fn refresh(&mut self, table: &ArcTable, lowered: &Lowered, net: &Network, c: &Commodity) {
        table.refresh_weights(&mut self.main, lowered, self.objective, net, c);
        if self.pareto {
            table.refresh_weights(&mut self.time, lowered, Objective::Time, net, c);
        }
    }
}

/// The objective's total of the (first) itinerary.
fn score(r: &RouteResult, objective: Objective) -> f64 {
    let t = &r.itineraries[0].totals;
    match objective {
        Objective::Cost => t.cost,
        Objective::Time => t.hours,
        Objective::Distance => t.km,
        Objective::Co2 => t.co2_kg,
        Objective::Generalised => t.generalised,
    }
}

/// Both Pareto sets, keeping the itineraries no other beats on cost and
/// time, sorted by cost.
fn merge_pareto(a: RouteResult, b: RouteResult) -> RouteResult {
    let all: Vec<_> = a.itineraries.into_iter().chain(b.itineraries).collect();
    let beats = |x: &corridor_model::Itinerary, y: &corridor_model::Itinerary| {
        let (p, q) = (&x.totals, &y.totals);
        p.cost <= q.cost && p.hours <= q.hours && (p.cost < q.cost || p.hours < q.hours)
    };
    let mut keep: Vec<_> = all
        .iter()
        .enumerate()
        .filter(|(i, y)| {
            !all.iter().enumerate().any(|(j, x)| {
                (j < *i && x.totals.cost == y.totals.cost && x.totals.hours == y.totals.hours)
                    || beats(x, y)
            })
        })
        .map(|(_, y)| y.clone())
        .collect();
    keep.sort_by(|x, y| x.totals.cost.total_cmp(&y.totals.cost));
    RouteResult { itineraries: keep }
}

/// One search on the table as it stands (one vessel class, or none).
fn search_once(
    net: &Network,
    (lowered, hierarchy): (&Lowered, Option<&Hierarchy>),
    shipment: &Shipment,
    config: &RouteConfig,
    commodity: &Commodity,
    table: &ArcTable,
    weights: &Weights,
) -> std::result::Result<RouteResult, Miss> {
    let result = if config.pareto {
        pareto(net, lowered, shipment, commodity, table, weights)?
    } else {
        let arcs = best_path((lowered, hierarchy), shipment, config, &weights.main)?;
        let it = itinerary(
            net,
            lowered,
            table,
            shipment,
            commodity,
            config.objective.as_str(),
            &arcs,
        );
        RouteResult {
            itineraries: vec![it],
        }
    };
    check_finite(&result, shipment)?;
    Ok(result)
}

/// Names the class on every sea leg that sails a sea lane.
fn name_vessel(net: &Network, result: &mut RouteResult, v: &VesselClass) {
    for it in &mut result.itineraries {
        for leg in &mut it.legs {
            let on_lane = leg
                .links
                .iter()
                .any(|id| net.link_id(id).is_some_and(|l| is_sea_lane(net.link(l))));
            if on_lane {
                leg.vessel = Some(v.id.to_string());
            }
        }
    }
}

/// Refuses totals that overflowed (`inf` money for 1e10 t at 1e306 per
/// tonne): printed, they would read as an answer.
fn check_finite(result: &RouteResult, shipment: &Shipment) -> Result<()> {
    for it in &result.itineraries {
        let t = &it.totals;
        if ![t.cost, t.hours, t.km, t.co2_kg, t.generalised]
            .iter()
            .all(|x| x.is_finite())
        {
            return Err(Error::InvalidRequest(format!(
                "the itinerary's totals overflowed (cost {}, hours {}, km {}, CO2 {} kg) for {} t: costs per tonne or the tonnage are too large for floating point",
                t.cost, t.hours, t.km, t.co2_kg, shipment.tonnes
            )));
        }
    }
    Ok(())
}

/// The shipment's commodity, once shipment and config make sense together.
fn checked_commodity<'n>(
    net: &'n Network,
    shipment: &Shipment,
    config: &RouteConfig,
) -> Result<&'n Commodity> {
    let commodity = net
        .commodities
        .get(shipment.commodity.index())
        .ok_or_else(|| Error::InvalidRequest("commodity index out of range".into()))?;
    if !(shipment.tonnes.is_finite() && shipment.tonnes > 0.0) {
        return Err(Error::InvalidRequest(format!(
            "tonnes must be a positive number, got {}",
            shipment.tonnes
        )));
    }
    for &n in std::iter::once(&shipment.from)
        .chain(&config.via)
        .chain(std::iter::once(&shipment.to))
    {
        if config.avoid.avoids_node(net, n) {
            return Err(Error::InvalidRequest(format!(
                "{} is both on the route (--from/--to/--via) and avoided (--avoid)",
                describe_node(net, n)
            )));
        }
    }
    if shipment.from == shipment.to && config.via.is_empty() {
        return Err(Error::InvalidRequest(format!(
            "--from and --to are the same node ({})",
            describe_node(net, shipment.from)
        )));
    }
    if config.pareto && !config.via.is_empty() {
        return Err(Error::InvalidRequest(
            "--pareto cannot be combined with --via".into(),
        ));
    }
    Ok(commodity)
}

/// Every non-dominated (cost, time) itinerary, sorted by cost.
fn pareto(
    net: &Network,
    lowered: &Lowered,
    shipment: &Shipment,
    commodity: &Commodity,
    table: &ArcTable,
    weights: &Weights,
) -> std::result::Result<RouteResult, Miss> {
    let sources: Vec<VertexIdx> = lowered.source_vertices(shipment.from).collect();
    let targets: Vec<VertexIdx> = lowered.target_vertices(shipment.to).collect();
    let paths = pareto_paths(
        &lowered.csr,
        &weights.main,
        &weights.time,
        &sources,
        &targets,
        PARETO_MAX_LABELS,
    )
    .map_err(|e| {
        Error::InvalidRequest(format!(
            "the Pareto set is too large to enumerate (over {} labels); narrow the request",
            e.0
        ))
    })?;
    if paths.is_empty() {
        return Err(Miss::Unreached(shipment.from, shipment.to));
    }
    let itineraries = paths
        .iter()
        .map(|p| itinerary(net, lowered, table, shipment, commodity, "pareto", &p.arcs))
        .collect();
    Ok(RouteResult { itineraries })
}

/// The arcs of the best path through the `--via` stops in order.
fn best_path(
    (lowered, hierarchy): (&Lowered, Option<&Hierarchy>),
    shipment: &Shipment,
    config: &RouteConfig,
    weight: &[f64],
) -> std::result::Result<Vec<ArcIdx>, Miss> {
    let mut search = match hierarchy {
        Some(h) => Search::Cch(h.metric(weight), CchQuery::new(lowered.n_vertices())),
        None => Search::Dijkstra(ShortestPath::new(lowered.n_vertices())),
    };
    // Dynamic programming over the stops: the best way to reach each vertex
    // of a stop, then continue from all of them, so a via node never forces
    // an arrival layer.
    let mut frontier: Vec<(VertexIdx, f64)> = lowered
        .source_vertices(shipment.from)
        .map(|v| (v, 0.0))
        .collect();
    let mut segments: Vec<Vec<(VertexIdx, Vec<ArcIdx>)>> = Vec::new();
    let stops: Vec<NodeId> = config
        .via
        .iter()
        .copied()
        .chain(std::iter::once(shipment.to))
        .collect();
    for (k, &stop) in stops.iter().enumerate() {
        let targets: Vec<VertexIdx> = lowered.target_vertices(stop).collect();
        let reached = search.paths(lowered, weight, &frontier, &targets);
        if reached.is_empty() {
            let from = if k > 0 { stops[k - 1] } else { shipment.from };
            return Err(Miss::Unreached(from, stop));
        }
        // A via node continues from where the shipment is, in any layer; a
        // split node's arrival (in) vertex leads on through its own arcs.
        frontier = reached.iter().map(|(t, d, _)| (*t, *d)).collect();
        segments.push(reached.into_iter().map(|(t, _, arcs)| (t, arcs)).collect());
    }
    Ok(walk_back(&segments, &frontier, &lowered.csr))
}

/// How [`best_path`] searches one stop: Dijkstra, or queries on a
/// customized hierarchy.
enum Search {
    Dijkstra(ShortestPath),
    Cch(std::sync::Arc<CchMetric<'static>>, CchQuery),
}

impl Search {
    /// Each reachable target with its distance from the frontier and the
    /// arcs of its path, in target order.
    fn paths(
        &mut self,
        lowered: &Lowered,
        weight: &[f64],
        frontier: &[(VertexIdx, f64)],
        targets: &[VertexIdx],
    ) -> Vec<(VertexIdx, f64, Vec<ArcIdx>)> {
        let mut reached = Vec::new();
        match self {
            Search::Dijkstra(sp) => {
                sp.run_to_all(&lowered.csr, weight, frontier, targets);
                for &t in targets {
                    if sp.reached(t) {
                        let arcs = dijkstra_path(sp, &lowered.csr, t);
                        reached.push((t, sp.dist(t), arcs));
                    }
                }
            }
            Search::Cch(metric, q) => {
                q.start(metric, frontier);
                for &t in targets {
                    if let Some(d) = q.to(metric, &[(t, 0.0)]) {
                        reached.push((t, d, q.path_arcs(metric)));
                    }
                }
            }
        }
        reached
    }
}

/// The vertex arc `a` leaves, by a binary search of the CSR offsets: a
/// route unwinds a path of a few thousand arcs at most, and a table of
/// every arc's tail (`Csr::tails`) was 4 bytes an arc of a route's memory.
fn tail(csr: &Csr, a: ArcIdx) -> VertexIdx {
    let a = u32::try_from(a.index()).expect("arc index fits u32");
    VertexIdx::from_index(csr.first_out().partition_point(|&f| f <= a) - 1)
}

/// The arcs of the Dijkstra path to the reached vertex `v`, in travel
/// order (`ShortestPath::path_arcs` without a table of tails).
fn dijkstra_path(sp: &ShortestPath, csr: &Csr, v: VertexIdx) -> Vec<ArcIdx> {
    let mut arcs = Vec::new();
    let mut cur = v;
    while sp.pred_arc(cur) != NO_ARC {
        let a = sp.pred_arc(cur);
        arcs.push(a);
        cur = tail(csr, a);
    }
    arcs.reverse();
    arcs
}

/// Picks the best final vertex, then the segment paths that led there.
fn walk_back(
    segments: &[Vec<(VertexIdx, Vec<ArcIdx>)>],
    frontier: &[(VertexIdx, f64)],
    csr: &Csr,
) -> Vec<ArcIdx> {
    let last = segments.last().expect("at least one stop");
    let (mut end, _) = last
        .iter()
        .map(|(v, _)| {
            (
                *v,
                frontier
                    .iter()
                    .find(|f| f.0 == *v)
                    .map_or(f64::INFINITY, |f| f.1),
            )
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .expect("reached is non-empty");
    let mut pieces: Vec<Vec<ArcIdx>> = Vec::new();
    for seg in segments.iter().rev() {
        let (_, arcs) = seg
            .iter()
            .find(|(v, _)| *v == end)
            .expect("end vertex comes from this segment");
        pieces.push(arcs.clone());
        // The segment started at the vertex its first arc leaves, or at end itself.
        end = arcs.first().map_or(end, |&a| tail(csr, a));
    }
    pieces.reverse();
    pieces.concat()
}

/// Builds an itinerary from a path of arcs: consecutive link arcs of one
/// layer form a leg; transfers and crossings are steps of their own.
pub fn itinerary(
    net: &Network,
    lowered: &Lowered,
    table: &ArcTable,
    shipment: &Shipment,
    commodity: &Commodity,
    minimize: &str,
    arcs: &[ArcIdx],
) -> Itinerary {
    let t = shipment.tonnes;
    let mut it = Itinerary {
        from: net.node(shipment.from).source_id.to_string(),
        to: net.node(shipment.to).source_id.to_string(),

        commodity: commodity.source_id.clone(),
        tonnes: t,
        minimize: minimize.to_string(),
        totals: Totals::default(),
        legs: Vec::new(),
        transfers: Vec::new(),
        borders: Vec::new(),
        steps: Vec::new(),
        snap_km: None,
    };
    let mut generalised = 0.0;
    let mut open_leg: Option<(LayerIdx, usize)> = None; // (layer, index into legs)
    for &a in arcs {
        let x = table.attrs_of(net, lowered, a);
        generalised += x.generalised(net, commodity) * t;
        match lowered.arc_origin[a.index()] {
            ArcOrigin::Link { link, forward } => {
                let l = net.link(link);
                let layer = lowered.vertex_layer[lowered.csr.head(a).index()];
                let (from, to) = if forward {
                    (l.from, l.to)
                } else {
                    (l.to, l.from)
                };
                let leg_idx = match open_leg {
                    Some((lay, i)) if lay == layer => i,
                    _ => {
                        it.legs.push(Leg {
                            mode: l.mode,
                            gauge: l.gauge_mm,
                            from: net.node(from).source_id.to_string(),
                            to: String::new(),
                            km: 0.0,
                            hours: 0.0,
                            cost: 0.0,
                            co2_kg: 0.0,
                            links: Vec::new(),
                            vessel: None,
                        });
                        it.steps.push(Step::Leg(it.legs.len() - 1));
                        open_leg = Some((layer, it.legs.len() - 1));
                        it.legs.len() - 1
                    }
                };
                let leg = &mut it.legs[leg_idx];
                leg.to = net.node(to).source_id.to_string();
                leg.km += x.km;
                leg.hours += x.hours;
                leg.cost += x.money * t;
                leg.co2_kg += x.co2_kg * t;
                leg.links.push(l.source_id.to_string());
            }
            ArcOrigin::Transfer { terminal, from, to } => {
                open_leg = None;
                let term = &net.terminals[terminal.index()];
                it.transfers.push(Transfer {
                    at: net.node(term.node).source_id.to_string(),
                    terminal: term.source_id.clone(),
                    from_layer: lowered.layer(from).to_string(),
                    to_layer: lowered.layer(to).to_string(),
                    hours: x.hours,
                    cost: x.money * t,
                    co2_kg: x.co2_kg * t,
                });
                it.steps.push(Step::Transfer(it.transfers.len() - 1));
            }
            ArcOrigin::Border { border, layer } => {
                open_leg = None;
                let b = &net.borders[border.index()];
                let mode = lowered.layer(layer).mode;
                let waiting = net.border_waiting_cost_per_t(b, mode);
                it.borders.push(BorderCrossing {
                    at: net.node(b.node).source_id.to_string(),
                    border: b.source_id.clone(),
                    countries: b.countries.clone(),
                    mode,
                    hours: x.hours,
                    fees: b.fee_per_t * t,
                    waiting_cost: waiting * t,
                });
                it.steps.push(Step::Border(it.borders.len() - 1));
            }
            // Helper arcs of other questions carry nothing to report.
            _ => {}
        }
    }
    it.totals = it.sum_of_parts();
    it.totals.generalised = generalised;
    it
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The weights of a plain route (nodes checked once, in node order)
    /// are the kept table's bit for bit, with nodes closed, avoided by id
    /// and by country.
    #[test]
    fn weights_only_are_the_tables_weights() {
        use crate::lower::{LowerConfig, lower};
        use corridor_model::Objective as O;
        let mut net = corridor_fixtures::networks::gauge_break();
        let lowered = lower(&net, &LowerConfig::default());
        let avoids: [&[&str]; 4] = [&[], &["brd"], &["PL"], &["r1", "UA"]];
        for close in [None, Some("west")] {
            if let Some(id) = close {
                let n = net.node_id(id).unwrap();
                net.nodes[n.index()].open = false;
            }
            for words in avoids {
                let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
                let avoid = Avoid::resolve(&net, &words).unwrap();
                for c in &net.commodities {
                    let table = ArcTable::new(&net, &lowered, c, &avoid);
                    for o in [O::Cost, O::Time, O::Distance, O::Co2, O::Generalised] {
                        let (_, only) = ArcTable::weights_only(&net, &lowered, c, &avoid, o);
                        let kept = table.weights(o, &net, c);
                        let bits = |w: &[f64]| w.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                        assert_eq!(bits(&only), bits(&kept), "{close:?} {words:?} {o:?}");
                        assert!(only.iter().any(|w| w.is_infinite()) || words.is_empty());
                    }
                }
            }
        }
    }

    #[test]
    fn tails_by_binary_search_are_the_csr_tails() {
        // Vertices without arcs (equal offsets) at the start, middle and end.
        let v = VertexIdx::from_index;
        let arcs = [(v(1), v(2)), (v(1), v(3)), (v(3), v(1)), (v(3), v(3))];
        let (csr, _) = Csr::from_arcs(6, &arcs);
        let tails = csr.tails();
        for a in 0..csr.n_arcs() {
            let a = ArcIdx::from_index(a);
            assert_eq!(tail(&csr, a), tails[a.index()], "arc {a:?}");
        }
    }
}
