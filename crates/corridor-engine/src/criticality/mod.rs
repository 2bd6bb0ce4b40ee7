//! Criticality (N−1): the capacity question asked once per element with
//! that element closed, as a scenario's `close` edit closes it: the
//! maximum flow lost, the change in the cheapest cost per unit of the
//! maximum flow, and whether the origins still reach the destinations.
//!
//! # Exact and fast
//!
//! The network is lowered once ([`crate::capacity`]'s flow graph); a
//! closure is zero capacity on the arcs the element's openness decides
//! (`closures`), never a new lowering. The base is solved once. An
//! element none of whose arcs carries any of the base's cheapest maximum
//! flow cannot change it: closing the element keeps that flow feasible
//! under the capacities it was solved with, and no flow of the smaller
//! network beats it, so it is still a cheapest maximum flow there. When
//! the base needed no division of a capacity shared across layers that
//! is the true answer, maximum and cost; with a division (see
//! [`mod@crate::capacity`]) it is the answer under the base's division:
//! the maximum is still exact when the base's is, the cost the cheapest
//! for that division, as `capacity`'s own (docs/criticality.md has the
//! proof and where `capacity` on the closed
//! network could differ). Such elements are answered from the base;
//! every other one is solved again.
//!
//! # Warm re-solves
//!
//! A used element is re-solved by repairing the base: the relaxation's
//! cheapest maximum flow (every shared capacity on each of its arcs) is
//! solved once more as a [`WarmMinCostFlow`], which keeps exact optimal
//! potentials; closing the element removes the flow on its arcs and
//! successive shortest paths on reduced costs reroute or cancel just that
//! flow ([`corridor_graph::warm_flow`] proves the result is the exact
//! cheapest maximum flow of the closed relaxation). `capacity`'s later
//! steps depend on which cheapest flow its solve returns (whether it
//! exceeds a shared capacity, and the proportions of its division), so
//! with shared capacities a warm flow is taken only when it is the only
//! cheapest one (then `capacity`'s solve finds it too), and the
//! proportional division is followed with each re-solve a repair as well
//! (it only lowers capacities). Ties and LP divisions fall back to the
//! solve from scratch, exactly as `capacity` solves (docs/criticality.md).
//! `CriticalityConfig { warm: false }` solves every used element from
//! scratch: the brute force the tests hold the warm path to.
//!
//! Elements are closed side by side on a rayon pool, each with its own
//! capacities and search state; the answer does not depend on the
//! threads or on how the elements are split into [`Part`]s.

mod closures;
mod reach;

use crate::access::{Avoid, arc_obstacle};
use crate::capacity::{self, FlowGraph, Solved, Subject, round};
use crate::{Progress, Result};
use closures::{Candidate, Closures, KINDS, candidates};
use corridor_graph::min_cost_flow::MinCostFlow;
use corridor_graph::warm_flow::{WarmMinCostFlow, WarmScratch, WarmState};
use corridor_model::results::{CriticalElement, CriticalityBase, CriticalityReport};
use corridor_model::scenario::ElementKind;
use corridor_model::{CapacityQuery, Network, Part};
use rayon::prelude::*;
use reach::{Reach, Scratch};
use std::sync::atomic::{AtomicUsize, Ordering};

/// How to run a criticality question.
#[derive(Clone, Debug, PartialEq)]
pub struct CriticalityConfig {
    /// The kinds of element to close (examined links first, then
    /// terminals, borders and nodes, whatever the order here).
    pub kinds: Vec<ElementKind>,
    /// Answer elements carrying no flow from the base (see the module
    /// doc). `false` solves every element again: the brute force the
    /// tests hold the shortcut to.
    pub shortcut: bool,
    /// Re-solve by repairing the base flow (see the module doc). `false`
    /// solves every element from scratch: the brute force the tests hold
    /// the warm re-solves to.
    pub warm: bool,
    /// Threads closing elements side by side; `None` = rayon's pool.
    pub threads: Option<usize>,
    /// Only this part of the elements.
    pub part: Option<Part>,
    /// Counts the elements closed (the base solve is not a unit) and
    /// stops before the next one once cancelled.
    pub progress: Progress,
}

impl Default for CriticalityConfig {
    fn default() -> Self {
        Self {
            kinds: KINDS.to_vec(),
            shortcut: true,
            warm: true,
            threads: None,
            part: None,
            progress: Progress::default(),
        }
    }
}

/// The base solve and what every closure shares.
struct Base<'a> {
    net: &'a Network,
    fg: FlowGraph,
    solved: Solved,
    closures: Closures,
    reach: Reach,
    /// Unused elements are answered from the base.
    shortcut: bool,
    /// The relaxation's base flow, ready to repair (with `warm`).
    warm: Option<WarmMinCostFlow>,
    /// The base's proportional division, round by round, repaired warm:
    /// an element's round `k` is repaired from the base's (its capacities
    /// differ from the base's only where the closure moved flow).
    rounds: Vec<WarmState>,
    stats: Counters,
}

/// How a criticality question's elements were answered (for the bench).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CriticalityStats {
    /// Elements answered from the base (unused, with the shortcut).
    pub from_base: usize,
    /// Elements re-solved by repairing the base flow.
    pub warm: usize,
    /// Elements whose repaired flow exceeded a shared capacity, solved
    /// again from scratch (counted in `from_scratch` too).
    pub fallbacks: usize,
    /// Elements solved from scratch (fallbacks, or all with `warm: false`).
    pub from_scratch: usize,
    /// Shortest-path augmentations of all the repairs.
    pub augmentations: usize,
}

#[derive(Default)]
struct Counters {
    from_base: AtomicUsize,
    warm: AtomicUsize,
    fallbacks: AtomicUsize,
    from_scratch: AtomicUsize,
    augmentations: AtomicUsize,
}

impl Counters {
    fn add(c: &AtomicUsize, n: usize) {
        c.fetch_add(n, Ordering::Relaxed);
    }

    fn get(&self) -> CriticalityStats {
        let g = |c: &AtomicUsize| c.load(Ordering::Relaxed);
        CriticalityStats {
            from_base: g(&self.from_base),
            warm: g(&self.warm),
            fallbacks: g(&self.fallbacks),
            from_scratch: g(&self.from_scratch),
            augmentations: g(&self.augmentations),
        }
    }
}

/// Closes each open element of `config.kinds` in turn on `net` and ranks
/// them. `query` names places by node id (as [`crate::capacity_query`]
/// takes them) and is answered on `net` as it is (scenarios applied).
pub fn criticality(
    net: &Network,
    query: &CapacityQuery,
    config: &CriticalityConfig,
) -> Result<CriticalityReport> {
    criticality_with_stats(net, query, config).map(|(r, _)| r)
}

/// [`criticality()`], and how its elements were answered.
pub fn criticality_with_stats(
    net: &Network,
    query: &CapacityQuery,
    config: &CriticalityConfig,
) -> Result<(CriticalityReport, CriticalityStats)> {
    run(net, query, config, capacity::MAX_LP_ARCS)
}

/// [`criticality_with_stats`] with the LP division up to `max_lp_arcs`
/// arcs (tests lower it to reach the proportional division).
fn run(
    net: &Network,
    query: &CapacityQuery,
    config: &CriticalityConfig,
    max_lp_arcs: usize,
) -> Result<(CriticalityReport, CriticalityStats)> {
    let mut prepared = capacity::prepare(net, query)?;
    prepared.fg.max_lp_arcs = max_lp_arcs;
    let fg = prepared.fg;
    let solved = capacity::solve_shared(net, &fg, fg.capacity.clone())?;
    capacity::check_finite(&solved.result)?;
    let commodity = &net.commodities[prepared.commodity.index()];
    let open: Vec<bool> = fg
        .lowered
        .arc_origin
        .iter()
        .map(|&o| arc_obstacle(net, o, commodity, &Avoid::default()).is_none())
        .collect();
    let warm = if config.warm {
        Some(
            WarmMinCostFlow::new(fg.csr(), &fg.capacity, &fg.cost, fg.source, fg.sink)
                .map_err(|e| crate::Error::InvalidRequest(e.to_string()))?,
        )
    } else {
        None
    };
    let rounds = match &warm {
        Some(w) => division_rounds(&fg, w)?,
        None => Vec::new(),
    };
    let base = Base {
        rounds,
        net,
        closures: Closures::new(net, &fg.lowered),
        reach: Reach::new(net, &fg, open),
        shortcut: config.shortcut,
        warm,
        stats: Counters::default(),
        fg,
        solved,
    };
    let picked: Vec<Candidate> = candidates(net, &config.kinds)
        .into_iter()
        .enumerate()
        .filter(|(i, _)| config.part.is_none_or(|p| p.holds(*i)))
        .map(|(_, c)| c)
        .collect();
    let progress = &config.progress;
    progress.set_total(picked.len());
    let run = || -> Result<Vec<CriticalElement>> {
        picked
            .par_iter()
            .map_init(
                || {
                    let warm = base.warm.as_ref().map(WarmMinCostFlow::scratch);
                    (base.reach.scratch(), warm)
                },
                |(scratch, warm), &c| {
                    progress.check()?;
                    let closed = base.close(c, scratch, warm.as_mut());
                    progress.step();
                    closed
                },
            )
            .collect()
    };
    let mut elements = crate::threads::on_threads(config.threads, run)??;
    elements.sort_by(CriticalElement::rank);
    Ok((base.report(query, config, elements), base.stats.get()))
}

impl Base<'_> {
    fn value(&self) -> f64 {
        self.solved.result.max_flow.value
    }

    /// The cheapest maximum flow with `arcs` closed and whether it is
    /// exact: repaired from the base when that provably gives `capacity`'s
    /// answer ([`Base::resolve_warm`]), else solved as `capacity` solves.
    fn resolve(&self, arcs: &[u32], warm: Option<&mut WarmScratch>) -> Result<(MinCostFlow, bool)> {
        if let (Some(w), Some(sc)) = (&self.warm, warm) {
            if let Some(done) = self.resolve_warm(w, arcs, sc)? {
                Counters::add(&self.stats.warm, 1);
                return Ok(done);
            }
            Counters::add(&self.stats.fallbacks, 1);
        }
        let mut caps = self.fg.capacity.clone();
        for &a in arcs {
            caps[a as usize] = 0.0;
        }
        let solved = capacity::solve_shared(self.net, &self.fg, caps)?;
        capacity::check_finite(&solved.result)?;
        Counters::add(&self.stats.from_scratch, 1);
        Ok((solved.result, solved.upper_bound.is_none()))
    }

    /// `capacity`'s steps on the closed network with every solve a repair
    /// of the base flow: the relaxation; if its flow exceeds a shared
    /// capacity, the proportional division (large networks) with each
    /// re-solve repaired too. Each step's flow decides the next, so each
    /// must be the flow `capacity`'s own solve finds: certified when it is
    /// the only cheapest one ([`WarmMinCostFlow::is_unique`]; not needed
    /// without shared capacities, where any cheapest flow is the answer).
    /// `None` when that fails or the division is the LP (which has no warm
    /// start): the caller solves from scratch.
    fn resolve_warm(
        &self,
        w: &WarmMinCostFlow,
        arcs: &[u32],
        sc: &mut WarmScratch,
    ) -> Result<Option<(MinCostFlow, bool)>> {
        let graph = |e: corridor_graph::Error| crate::Error::InvalidRequest(e.to_string());
        let relaxed = w.without(arcs, sc).map_err(graph)?;
        let mut augmentations = sc.augmentations;
        let done = |r: MinCostFlow, exact: bool, augmentations: usize| {
            Counters::add(&self.stats.augmentations, augmentations);
            capacity::check_finite(&r)?;
            Ok(Some((r, exact)))
        };
        if !self.fg.has_shared() {
            return done(relaxed, true, augmentations);
        }
        if !w.is_unique(sc) {
            return Ok(None);
        }
        if !capacity::exceeds_shared(&self.fg, &relaxed) {
            return done(relaxed, true, augmentations);
        }
        if self.fg.csr().n_arcs() <= self.fg.max_lp_arcs {
            return Ok(None);
        }
        let mut caps = self.fg.capacity.clone();
        for &a in arcs {
            caps[a as usize] = 0.0;
        }
        let flow = relaxed.max_flow.flow.clone();
        let mut round = 0;
        let divided = capacity::proportional_split_by(&self.fg, &mut caps, flow, |c| {
            let from = self.rounds.get(round).or(self.rounds.last());
            round += 1;
            let r = match from {
                Some(state) => w.repair_from(state, c, sc),
                None => w.lower_further(c, sc),
            }
            .ok()?;
            augmentations += sc.augmentations;
            w.is_unique(sc).then_some(r)
        });
        match divided {
            Some(r) => {
                // As `capacity`: exact when the division reaches the
                // relaxation's value.
                let exact = r.max_flow.value >= relaxed.max_flow.value * (1.0 - 1e-9);
                done(r, exact, augmentations)
            }
            None => Ok(None),
        }
    }

    /// Closes one element and says what it does.
    fn close(
        &self,
        c: Candidate,
        scratch: &mut Scratch,
        warm: Option<&mut WarmScratch>,
    ) -> Result<CriticalElement> {
        let arcs = self.closures.arcs(c);
        let base_flow = &self.solved.result.max_flow.flow;
        let used = arcs.iter().any(|&a| base_flow[a as usize] > 0.0);
        let resolved;
        let (value, cost, exact, flow) = if self.shortcut && !used {
            Counters::add(&self.stats.from_base, 1);
            let r = &self.solved.result;
            let exact = self.solved.upper_bound.is_none();
            (r.max_flow.value, r.cost, exact, base_flow.as_slice())
        } else {
            resolved = self.resolve(arcs, warm)?;
            let (r, exact) = &resolved;
            (r.max_flow.value, r.cost, *exact, r.max_flow.flow.as_slice())
        };
        let after = self.reach.after_closing(arcs, flow, scratch);
        let base_value = self.value();
        let mut lost = base_value - value;
        if lost.abs() <= 1e-9 * (1.0 + base_value.abs()) {
            lost = 0.0;
        }
        let lost = round(lost);
        let per_unit = |cost: f64, value: f64| {
            if value > 0.0 {
                round(cost / value)
            } else {
                0.0
            }
        };
        let cost_per_unit = per_unit(cost, value);
        let base_per_unit = per_unit(self.solved.result.cost, base_value);
        let subject = subject(c);
        Ok(CriticalElement {
            kind: subject.kind().to_string(),
            id: subject.id(self.net),
            name: subject.name(self.net),
            used,
            max_flow: round(value),
            lost,
            lost_share: if base_value > 0.0 {
                round(lost / round(base_value))
            } else {
                0.0
            },
            cost_per_unit,
            cost_change: (value > 0.0 && base_value > 0.0)
                .then(|| round(cost_per_unit - base_per_unit) + 0.0),
            connected: after.connected,
            cut_off: after.cut_off,
            exact,
        })
    }

    fn report(
        &self,
        query: &CapacityQuery,
        config: &CriticalityConfig,
        elements: Vec<CriticalElement>,
    ) -> CriticalityReport {
        let net = self.net;
        let value = self.value();
        let mut notes = self.solved.notes.clone();
        if self.solved.divided && self.shortcut {
            notes.push(
                "elements that carry no flow keep the base's division of the shared capacities (the cost is the cheapest for it); the others were solved again with their own"
                    .into(),
            );
        }
        if value <= 0.0 {
            notes.push(
                "nothing flows in the base: closing an element cannot lower the maximum".into(),
            );
        }
        let kinds = KINDS
            .iter()
            .filter(|k| config.kinds.contains(k))
            .map(|k| k.as_str().to_string())
            .collect();
        CriticalityReport {
            from: query.from.iter().map(|e| e.place.clone()).collect(),
            to: query.to.iter().map(|e| e.place.clone()).collect(),
            commodity: commodity_id(net, query),
            minimize: query.minimize.as_str().to_string(),
            scenarios: Vec::new(),
            unit: net.flow_unit.as_str().to_string(),
            kinds,
            base: CriticalityBase {
                max_flow: round(value),
                cost_per_unit: if value > 0.0 {
                    round(self.solved.result.cost / value)
                } else {
                    0.0
                },
                connected: self.reach.base_connected(),
                exact: self.solved.upper_bound.is_none(),
            },
            shortcut: self.shortcut,
            elements,
            notes,
            part: config.part,
        }
    }
}

/// The base's proportional division done warm, each round's repaired
/// flow kept (none when the base needs no proportional division).
fn division_rounds(fg: &FlowGraph, w: &WarmMinCostFlow) -> Result<Vec<WarmState>> {
    if !fg.has_shared() || fg.csr().n_arcs() <= fg.max_lp_arcs {
        return Ok(Vec::new());
    }
    let mut sc = w.scratch();
    let relaxed = w
        .without(&[], &mut sc)
        .map_err(|e| crate::Error::InvalidRequest(e.to_string()))?;
    let mut rounds = Vec::new();
    if capacity::exceeds_shared(fg, &relaxed) {
        let mut caps = fg.capacity.clone();
        capacity::proportional_split_by(fg, &mut caps, relaxed.max_flow.flow, |c| {
            let r = w.lower_further(c, &mut sc).ok()?;
            rounds.push(w.snapshot(&sc));
            Some(r)
        });
    }
    Ok(rounds)
}

fn commodity_id(net: &Network, query: &CapacityQuery) -> String {
    match &query.commodity {
        Some(c) => c.clone(),
        None => net.commodities[0].source_id.clone(),
    }
}

/// How a closed element is named in reports (the words capacity's
/// bottlenecks use).
fn subject(c: Candidate) -> Subject {
    use corridor_model::{BorderId, LinkId, NodeId, TerminalId};
    match c.kind {
        ElementKind::Link => Subject::Link(LinkId::from_index(c.index)),
        ElementKind::Terminal => Subject::Terminal(TerminalId::from_index(c.index)),
        ElementKind::Border => Subject::Border(BorderId::from_index(c.index)),
        ElementKind::Node => Subject::Node(NodeId::from_index(c.index)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use corridor_fixtures::{GenerateConfig, multimodal};
    use corridor_graph::min_cost_flow::min_cost_max_flow;
    use corridor_model::Endpoint;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// A random network with capacities everywhere and a question on it.
    fn case(seed: u64) -> Option<(Network, CapacityQuery)> {
        let mut net = multimodal(&GenerateConfig::small(seed));
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        for l in &mut net.links {
            l.capacity_t_per_day = Some(rng.random_range(10.0..1000.0));
        }
        for t in &mut net.terminals {
            t.capacity_t_per_day = Some(rng.random_range(5.0..800.0));
        }
        for n in &mut net.nodes {
            if rng.random_bool(0.3) {
                n.capacity_t_per_day = Some(rng.random_range(5.0..800.0));
            }
        }
        let n = net.nodes.len();
        let (a, b) = (rng.random_range(0..n), rng.random_range(0..n));
        if a == b || !net.nodes[a].open || !net.nodes[b].open {
            return None;
        }
        let q = CapacityQuery {
            from: vec![Endpoint::new(net.nodes[a].source_id.clone())],
            to: vec![Endpoint::new(net.nodes[b].source_id.clone())],
            commodity: Some("grain".into()),
            ..CapacityQuery::default()
        };
        Some((net, q))
    }

    /// The warm path through the proportional division (forced by an LP
    /// limit of zero arcs) against solving from scratch: the same reports
    /// up to rounding, and the warm path taken often.
    #[test]
    fn warm_proportional_divisions_equal_solving_from_scratch() {
        let (mut divided, mut warm) = (0, 0);
        for seed in 0..200 {
            let Some((net, q)) = case(seed) else { continue };
            let every = |warm| CriticalityConfig {
                shortcut: false,
                warm,
                ..CriticalityConfig::default()
            };
            let Ok((a, stats)) = run(&net, &q, &every(true), 0) else {
                continue;
            };
            let (b, _) = run(&net, &q, &every(false), 0).unwrap();
            if a.base.max_flow <= 0.0 || a.notes.is_empty() {
                continue; // no division in the base
            }
            divided += 1;
            warm += stats.warm;
            assert_eq!((&a.base, &a.notes), (&b.base, &b.notes), "seed {seed}");
            let close = |x: f64, y: f64| (x - y).abs() <= 1e-7 * (1.0 + x.abs().max(y.abs()));
            for (x, y) in a.elements.iter().zip(&b.elements) {
                let what = format!("seed {seed}: {} {}", y.kind, y.id);
                assert_eq!(
                    (&x.kind, &x.id, x.exact),
                    (&y.kind, &y.id, y.exact),
                    "{what}"
                );
                assert!(close(x.max_flow, y.max_flow), "{what}: {x:?} vs {y:?}");
                assert!(
                    close(x.cost_per_unit, y.cost_per_unit),
                    "{what}: {x:?} vs {y:?}"
                );
            }
            if divided == 12 {
                break;
            }
        }
        assert!(
            divided >= 5 && warm > 50,
            "{divided} divided bases, {warm} warm"
        );
    }

    /// The shortcut's claim under a division: with the capacities the
    /// base was solved with (its division) and an unused element's arcs
    /// at zero, the cheapest maximum flow has the base's value and cost.
    #[test]
    fn an_unused_element_keeps_the_base_answer_under_the_base_division() {
        let mut divided = 0;
        for seed in 0..400 {
            let Some((net, q)) = case(seed) else { continue };
            let p = capacity::prepare(&net, &q).unwrap();
            let base = capacity::solve_shared(&net, &p.fg, p.fg.capacity.clone()).unwrap();
            if !base.divided || base.result.max_flow.value <= 0.0 {
                continue;
            }
            divided += 1;
            let closures = Closures::new(&net, &p.fg.lowered);
            let flow = &base.result.max_flow.flow;
            for c in candidates(&net, &KINDS) {
                let arcs = closures.arcs(c);
                if arcs.iter().any(|&a| flow[a as usize] > 0.0) {
                    continue;
                }
                let mut caps = base.caps.clone();
                for &a in arcs {
                    caps[a as usize] = 0.0;
                }
                let fg = &p.fg;
                let r = min_cost_max_flow(fg.csr(), &caps, &fg.cost, fg.source, fg.sink).unwrap();
                let (v, k) = (base.result.max_flow.value, base.result.cost);
                assert!(
                    (r.max_flow.value - v).abs() <= 1e-9 * v,
                    "seed {seed} {c:?}"
                );
                assert!(
                    (r.cost - k).abs() <= 1e-9 * k.abs().max(1.0),
                    "seed {seed} {c:?}"
                );
            }
            if divided == 10 {
                break;
            }
        }
        assert!(divided >= 5, "only {divided} bases with a division");
    }
}
