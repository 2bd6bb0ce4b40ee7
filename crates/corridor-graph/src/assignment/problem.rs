//! What an assignment is asked: the classes of flow (each with its demand,
//! its flow-independent arc costs and its weight of delay), the congestible
//! elements they share (with a weight of delay per arc that every class
//! pays on top of its own), and the knobs of the solver ([`SolverConfig`]).
//! Inputs only, and their validation; solving is the business of the
//! sibling modules, results are in `solution.rs`.

use crate::Error;
use crate::csr::{Csr, VertexIdx};
use crate::vdf::Bpr;

/// Origin–destination demand on vertices.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Demand {
    /// One entry per origin: its vertex and `(destination vertex, flow)`.
    /// Entries with zero or negative flow, or with destination == origin,
    /// are ignored.
    pub origins: Vec<(VertexIdx, Vec<(VertexIdx, f64)>)>,
}

impl Demand {
    /// Total positive demand between distinct vertices.
    pub fn total(&self) -> f64 {
        self.origins
            .iter()
            .flat_map(|(o, ds)| ds.iter().filter(move |(d, _)| d != o))
            .map(|&(_, f)| f.max(0.0))
            .sum()
    }
}

/// Which algorithm moves the flows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// One all-or-nothing load at free-flow costs.
    AllOrNothing,
    /// Frank–Wolfe with exact line search.
    FrankWolfe,
    /// Conjugate Frank–Wolfe (Mitradjieva & Lindberg 2013).
    ConjugateFrankWolfe,
    /// Bi-conjugate Frank–Wolfe (Mitradjieva & Lindberg 2013).
    BiconjugateFrankWolfe,
    /// Algorithm B, bush-based (Dial 2006). Single-class problems whose
    /// costs are per-arc functions only (see [`super::assign`]).
    AlgorithmB,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::AllOrNothing => "aon",
            Method::FrankWolfe => "fw",
            Method::ConjugateFrankWolfe => "cfw",
            Method::BiconjugateFrankWolfe => "bfw",
            Method::AlgorithmB => "algb",
        }
    }
}

/// Which method, and when to stop: the solver's own knobs only. Callers
/// that lower a network keep their own config (threads, which costs
/// apply) under their own name and hand this one down.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SolverConfig {
    pub method: Method,
    /// Stop once the relative gap is at or below this.
    pub gap: f64,
    /// Stop after this many iterations (all-or-nothing loads or bush
    /// sweeps, each ending with a measured gap).
    pub max_iter: usize,
}

impl Default for SolverConfig {
    fn default() -> Self {
        Self {
            method: Method::BiconjugateFrankWolfe,
            gap: 1e-5,
            max_iter: 1000,
        }
    }
}

/// Marks an arc that belongs to no congestible element.
pub const NO_ELEMENT: u32 = u32::MAX;

/// The shared congestion: which element each arc belongs to, each
/// element's BPR and each arc's own weight of delay. An element's delay is
/// `D_e(V) = BPR_e(V) − BPR_e(0)`, its time over the uncongested time, so
/// its BPR `fixed` cancels out: what a class pays besides delay is in
/// [`Class::fixed`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Elements {
    /// Per arc: element index or [`NO_ELEMENT`].
    pub arc_element: Vec<u32>,
    pub bpr: Bpr,
    /// Per arc: `ω_a ≥ 0`, a weight of delay that every class pays on the
    /// arc on top of its own [`Class::delay_weight`] (e.g. the cost of an
    /// hour of the vehicle that waits in the queue, where the class's own
    /// weight is the cargo's). Empty: 0 on every arc.
    pub arc_delay_weight: Vec<f64>,
}

impl Elements {
    /// Arc `a` is element `a` with `bpr`'s parameters: the usual road
    /// network, where every arc congests on its own. With
    /// [`Class::single`] it is the single-class problem.
    pub fn per_arc(bpr: Bpr) -> Self {
        Self {
            arc_element: (0..bpr.n_arcs() as u32).collect(),
            bpr,
            arc_delay_weight: Vec::new(),
        }
    }

    /// `ω_a`, the weight of delay every class pays on arc `a` besides its
    /// own.
    #[inline]
    pub fn arc_weight(&self, a: usize) -> f64 {
        self.arc_delay_weight.get(a).copied().unwrap_or(0.0)
    }

    /// Whether some arc has a weight of delay of its own.
    pub fn has_arc_weights(&self) -> bool {
        self.arc_delay_weight.iter().any(|&w| w != 0.0)
    }

    /// `w_k + ω_a`: what one unit of `class` pays per unit of delay on arc
    /// `a` (exactly `w_k` where `ω_a = 0`).
    #[inline]
    pub fn class_weight(&self, class: &Class, a: usize) -> f64 {
        class.delay_weight + self.arc_weight(a)
    }

    pub fn n_elements(&self) -> usize {
        self.bpr.n_arcs()
    }

    /// Delay of element `e` at load `v` over its uncongested time.
    #[inline]
    pub fn delay(&self, e: usize, v: f64) -> f64 {
        if !self.bpr.depends_on_flow(e) {
            return 0.0;
        }
        (self.bpr.cost(e, v) - self.bpr.cost(e, 0.0)).max(0.0)
    }

    /// `∫_0^v delay`.
    pub(super) fn delay_integral(&self, e: usize, v: f64) -> f64 {
        if !self.bpr.depends_on_flow(e) {
            return 0.0;
        }
        (self.bpr.integral(e, v) - self.bpr.cost(e, 0.0) * v).max(0.0)
    }
}

/// One class of flow. On arc `a` of element `e` it pays
/// `fixed[a] + (delay_weight + ω_a) · D_e(V_e)` (`ω_a`:
/// [`Elements::arc_delay_weight`]), where the element's load `V_e` counts
/// every class's flow on its arcs times that class's `factor`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Class {
    /// Per arc (CSR order): the flow-independent cost of one unit of this
    /// class; `f64::INFINITY` where the class may not go.
    pub fixed: Vec<f64>,
    /// Weight of the element delay in this class's cost (e.g. its value of
    /// time), besides the arc's own `ω_a`; 0 with `ω = 0` on every arc it
    /// may use makes its costs independent of flow.
    pub delay_weight: f64,
    /// Per arc: capacity units that one unit of this class's flow takes on
    /// the arc's element (ignored on arcs without an element).
    pub factor: Vec<f64>,
    pub demand: Demand,
}

impl Class {
    /// The one class of a single-class problem: pays on each arc its
    /// element's whole BPR cost `bpr.cost(e, V_e)`, free-flow time and BPR
    /// `fixed` included (nothing on arcs without an element), with delay
    /// weight 1 and factor 1. On [`Elements::per_arc`] that is the classic
    /// road assignment, and [`super::assign`] then runs on the per-arc BPR
    /// arrays themselves.
    pub fn single(elements: &Elements, demand: Demand) -> Self {
        let fixed = elements
            .arc_element
            .iter()
            .map(|&e| {
                if e == NO_ELEMENT {
                    0.0
                } else {
                    elements.bpr.cost(e as usize, 0.0)
                }
            })
            .collect();
        Self {
            fixed,
            delay_weight: 1.0,
            factor: vec![1.0; elements.arc_element.len()],
            demand,
        }
    }

    /// Whether this class's costs depend on flow: some arc it may use
    /// belongs to an element and has `w_k + ω_a > 0`. A class whose costs
    /// do not is loaded all-or-nothing once (its equilibrium).
    pub(super) fn depends_on_flow(&self, elements: &Elements) -> bool {
        self.delay_weight > 0.0
            || elements.arc_element.iter().enumerate().any(|(a, &e)| {
                e != NO_ELEMENT && elements.arc_weight(a) > 0.0 && self.fixed[a].is_finite()
            })
    }

    /// `ŵ_k`, the scale of this class's costs in the objective and in its
    /// own diagonalised objective (costs divided by it): its own weight of
    /// delay, or 1 when that is 0 (a class that pays only the arcs'
    /// `ω_a`). Any positive number would do; `w_k` keeps the objective of
    /// problems without `ω` what it was.
    pub(super) fn reference_weight(&self) -> f64 {
        if self.delay_weight > 0.0 {
            self.delay_weight
        } else {
            1.0
        }
    }
}

fn invalid(message: String) -> Error {
    Error::InvalidInput(message)
}

/// Checks that the arrays fit the graph and hold usable numbers; the error
/// names the first element, class, arc or vertex that does not.
pub(super) fn check(g: &Csr, elements: &Elements, classes: &[Class]) -> Result<(), Error> {
    let m = g.n_arcs();
    let n = g.n_vertices();
    if elements.arc_element.len() != m {
        return Err(invalid(format!(
            "{} element entries for {m} arcs",
            elements.arc_element.len()
        )));
    }
    if let Err((e, why)) = elements.bpr.check() {
        return Err(invalid(format!("element {e}: {why}")));
    }
    if !elements.arc_delay_weight.is_empty() && elements.arc_delay_weight.len() != m {
        return Err(invalid(format!(
            "{} arc delay weights for {m} arcs",
            elements.arc_delay_weight.len()
        )));
    }
    if let Some(a) = elements
        .arc_delay_weight
        .iter()
        .position(|&w| !(w.is_finite() && w >= 0.0))
    {
        return Err(invalid(format!(
            "arc {a}: delay weight {} is not a non-negative number",
            elements.arc_delay_weight[a]
        )));
    }
    let n_el = elements.n_elements();
    if let Some(a) = (0..m).find(|&a| {
        let e = elements.arc_element[a];
        e != NO_ELEMENT && e as usize >= n_el
    }) {
        return Err(invalid(format!(
            "arc {a}: element {} out of range ({n_el} elements)",
            elements.arc_element[a]
        )));
    }
    for (k, c) in classes.iter().enumerate() {
        if c.fixed.len() != m || c.factor.len() != m {
            return Err(invalid(format!(
                "class {k}: {} fixed costs and {} factors for {m} arcs",
                c.fixed.len(),
                c.factor.len()
            )));
        }
        if !(c.delay_weight.is_finite() && c.delay_weight >= 0.0) {
            return Err(invalid(format!(
                "class {k}: delay weight {} is not a non-negative number",
                c.delay_weight
            )));
        }
        if let Some(a) = c.fixed.iter().position(|&f| f.is_nan() || f < 0.0) {
            return Err(invalid(format!(
                "class {k}, arc {a}: fixed cost {} is not non-negative (or infinite)",
                c.fixed[a]
            )));
        }
        if let Some(a) = c.factor.iter().position(|&f| !(f.is_finite() && f > 0.0)) {
            return Err(invalid(format!(
                "class {k}, arc {a}: factor {} is not a positive number",
                c.factor[a]
            )));
        }
        for (o, ds) in &c.demand.origins {
            if let Some(v) = std::iter::once(*o)
                .chain(ds.iter().map(|&(d, _)| d))
                .find(|&v| v.index() >= n)
            {
                return Err(invalid(format!(
                    "class {k}: demand vertex {v} out of range ({n} vertices)"
                )));
            }
        }
    }
    Ok(())
}
