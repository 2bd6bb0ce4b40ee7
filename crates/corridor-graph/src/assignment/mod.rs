//! Static user-equilibrium traffic assignment on a [`Csr`]: classes of flow,
//! each with its own demand and arc costs, share congestible **elements**
//! (groups of arcs with one BPR function and one capacity) and slow each
//! other down until no unit of flow can switch to a cheaper path. One
//! driver, [`assign`], serves one class and many: all-or-nothing, the
//! Frank–Wolfe family (plain, conjugate, bi-conjugate) and Algorithm B,
//! stopping on a relative gap or an iteration limit.
//!
//! This module sees vertices, arcs, `f64` slices and class indices only.
//! What a class, an element or a unit means (vehicles, commodities, links,
//! terminals, borders, money) is the caller's business. Origins and
//! destinations are vertices; a caller that must forbid paths *through* a
//! zone lowers the zone into an origin vertex with only out-arcs and a
//! destination vertex with only in-arcs, so nothing here needs a special
//! case.
//!
//! # Formulation
//!
//! Class `k` on arc `a` pays `c_ka(x) = F_ka + (w_k + ω_a) · D_e(V_e)`,
//! where `F_ka` is a flow-independent cost ([`Class::fixed`]; `INFINITY`:
//! class `k` may not use the arc), `w_k ≥ 0` the class's weight of delay
//! ([`Class::delay_weight`], e.g. the cargo's value of time), `ω_a ≥ 0` the
//! arc's, paid by every class on it ([`Elements::arc_delay_weight`], e.g.
//! the cost of an hour of the vehicle held in the queue; 0 by default),
//! `e = e(a)` the arc's element, `D_e(V) = BPR_e(V) − BPR_e(0)` the
//! element's delay over its uncongested time and
//! `V_e = Σ_k Σ_{a∈e} φ_ka x_ka` its load in capacity units (`φ_ka > 0`:
//! capacity units per unit of class `k` flow). One class on
//! [`Elements::per_arc`] built with [`Class::single`] is the classic road
//! assignment: `c_a(x) = BPR_a(x_a)`.
//!
//! Classes with `w_k + ω_a = 0` on every element arc they may use have
//! flow-independent costs: their all-or-nothing load is their equilibrium,
//! computed once and carried as a fixed background load. For the other
//! classes the Jacobian is `∂c_ka/∂x_lb = (w_k + ω_a) φ_lb D'_e` for arcs
//! `a, b` of one element `e`. Scaling each class's costs by a constant
//! `1/α_k > 0` leaves its equilibrium unchanged, and makes the Jacobian
//! symmetric, `(w_k + ω_a) φ_lb / α_k = (w_l + ω_b) φ_ka / α_l` for every
//! pair of (class, arc) on one element (a class with itself included),
//! exactly when the weights over the factors are **separable**:
//!
//! `(w_k + ω_a) / φ_ka = α_k β_e`
//!
//! on every arc of an element that a flow-dependent class may use, for
//! class scales `α_k > 0` and element scales `β_e ≥ 0` (`β_e = 0` when every
//! such arc of `e` has `w_k + ω_a = 0`; an element where some do and some
//! do not is asymmetric). Without `ω` that is `φ_ka = ψ_k χ_e` with
//! `α_k = w_k / ψ_k`, `β_e = 1/χ_e`, in particular whenever every class
//! has the same factor on an element; with `ω` a uniform `ω` on an element
//! keeps it symmetric when the classes have one value of time, and
//! different values of time need `ω_a / φ_ka` equal across the element's
//! arcs too (`symmetry.rs` finds the scales, as `ψ_k = ŵ_k / α_k` and
//! `χ_e = 1/β_e` with `ŵ_k = w_k`, or 1 for a class with `w_k = 0`).
//! Then `c_ka / α_k = F_ka / α_k + β_e φ_ka D_e(V_e)` is the gradient of the
//! convex objective
//!
//! `B(x) = Σ_k (1/α_k) Σ_a F_ka x_ka + Σ_e β_e ∫_0^{V_e} D_e(v) dv`
//!
//! `= Σ_k (ψ_k / ŵ_k) Σ_a F_ka x_ka + Σ_e (1/χ_e) ∫_0^{V_e} D_e(v) dv`
//!
//! (for one class on per-arc costs, Beckmann's `Σ_a ∫_0^{x_a} c_a`),
//! the equilibrium minimises it,
//! Frank–Wolfe with an exact line search on `B` converges to it, and the
//! conjugate directions of Mitradjieva & Lindberg (2013) carry over with the
//! Hessian `diag(β_e D'_e)` on element loads. When they are not
//! separable the problem is asymmetric (no objective exists) and each
//! iteration becomes a step of *diagonalisation* (Sheffi 1985, §8.3) in
//! Gauss–Seidel order: class by class, one Frank–Wolfe step with an exact
//! line search on the class's own diagonalised objective (its costs over
//! `ŵ_k`, the other classes' loads fixed at their latest values), and the MSA step `1/(k+1)`
//! for all when no class moves. Convergence is then not guaranteed and is
//! judged by the relative gap alone (every method behaves the same;
//! `objective` is `B` with `ψ = χ = 1`, a progress measure only). A class's
//! own weight and the arcs' `ω` are then free: rail wagons and trucks that
//! queue at one terminal, each priced at its own vehicle's hour, are such a
//! problem.
//!
//! Relative gap, summed over classes as TNTP and AequilibraE define it:
//! `(Σ_k Σ_a x_ka c_ka(x) − Σ_k Σ_od d_kod SP_kod(c(x))) / Σ_k Σ_a x_ka c_ka(x)`,
//! measured with true shortest paths at every iteration by every method.
//!
//! # Layout
//!
//! `problem.rs` (inputs and their checks), `solution.rs` (results),
//! `aon.rs` (all-or-nothing loads, the gap), `origin_tree.rs` (the
//! search from one origin to its destinations that every method runs),
//! `origin_distances.rs` (the same search for distances only, ties popped
//! in any order: the last gap pass), `rphast_gap.rs` (that pass with many
//! origins, by RPHAST sweeps of a CCH), `line_search.rs` (the one exact
//! line search), `frank_wolfe.rs` (the Frank–Wolfe family's driver,
//! directions and conjugate weights, written once over a `CostModel`),
//! `separable.rs` (one class on per-arc costs, recognised once: the hot
//! loops then run on per-arc BPR arrays), `shared.rs` (classes sharing
//! elements, diagonalisation), `symmetry.rs` (separability), `bush.rs`
//! (Algorithm B, for one class on per-arc costs).
//!
//! Complexity per iteration: one all-or-nothing load per class (a Dijkstra
//! per origin stopped at its last destination, origins in parallel on the
//! rayon pool, bit-identical for any thread count) plus `O(K m)` work for
//! loads, costs and ~64 passes of line search; Algorithm B: one such
//! search per origin plus a sweep over the bushes.

mod aon;
mod bush;
mod frank_wolfe;
mod line_search;
mod origin_distances;
mod origin_tree;
mod problem;
mod rphast_gap;
#[cfg(test)]
mod rphast_tests;
mod separable;
mod shared;
mod solution;
mod symmetry;
#[cfg(test)]
mod tests;

pub use problem::{Class, Demand, Elements, Method, NO_ELEMENT, SolverConfig};
pub use solution::{Assignment, IterationStat};
pub use symmetry::Symmetry;

use crate::Error;
use crate::csr::Csr;
use std::time::Instant;

/// Solves the assignment with `config.method`, on the current rayon pool;
/// `on_iteration` sees each iteration's statistics as they happen
/// (progress bars).
///
/// When there is exactly one class with delay weight 1 and factor 1, each
/// element on at most one arc, no arc weight `ω` and no banned arc (as
/// [`Class::single`] on [`Elements::per_arc`] builds it), the problem is
/// solved on per-arc BPR arrays; only then is [`Method::AlgorithmB`]
/// available.
///
/// # Errors
/// [`Error::InvalidInput`] when the arrays do not fit the graph, hold
/// unusable numbers (see [`crate::vdf::Bpr::check`]) or name a vertex out
/// of range, or when Algorithm B is asked for a problem it cannot solve.
///
/// # Example
/// ```
/// use corridor_graph::{Csr, VertexIdx as V};
/// use corridor_graph::assignment::{assign, SolverConfig, Class, Demand, Elements, Method};
/// use corridor_graph::vdf::Bpr;
/// // Two parallel arcs 0 -> 1 with the same BPR cost share 10 units equally.
/// let (g, _) = Csr::from_arcs(2, &[(V(0), V(1)), (V(0), V(1))]);
/// let bpr = Bpr { free_flow: vec![1.0; 2], alpha: vec![1.0; 2], beta: vec![1.0; 2],
///                 capacity: vec![10.0; 2], fixed: vec![0.0; 2] };
/// let elements = Elements::per_arc(bpr);
/// let class = Class::single(&elements, Demand { origins: vec![(V(0), vec![(V(1), 10.0)])] });
/// let cfg = SolverConfig { method: Method::FrankWolfe, gap: 1e-9, max_iter: 100 };
/// let r = assign(&g, &elements, &[class], &cfg, &mut |_| {}).unwrap();
/// assert!((r.flow[0][0] - 5.0).abs() < 1e-6);
///
/// // Two classes of 5 on those arcs, the second weighing delay three times.
/// let class = |w| Class { fixed: vec![1.0; 2], delay_weight: w, factor: vec![1.0; 2],
///     demand: Demand { origins: vec![(V(0), vec![(V(1), 5.0)])] } };
/// let r = assign(&g, &elements, &[class(1.0), class(3.0)], &cfg, &mut |_| {}).unwrap();
/// assert!(r.symmetry.symmetric);
/// assert!((r.load[0] - 5.0).abs() < 1e-4);
/// ```
pub fn assign(
    g: &Csr,
    elements: &Elements,
    classes: &[Class],
    config: &SolverConfig,
    on_iteration: &mut (dyn FnMut(&IterationStat) + Send),
) -> Result<Assignment, Error> {
    problem::check(g, elements, classes)?;
    let start = Instant::now();
    let tails = g.tails();
    let m = g.n_arcs();
    if let Some(vdf) = separable::per_arc_costs(elements, classes) {
        let demand = &classes[0].demand;
        let run = if config.method == Method::AlgorithmB {
            bush::algorithm_b(g, &tails, &vdf, demand, config, start, on_iteration)
        } else {
            let mut model = separable::PerArc { vdf: &vdf, demand };
            frank_wolfe::frank_wolfe(g, &tails, &mut model, config, start, on_iteration)
        };
        let load = separable::element_loads(elements, &run.flow);
        let symmetry = Symmetry::unit(1, elements.n_elements());
        return Ok(run.into_assignment(m, load, symmetry));
    }
    if config.method == Method::AlgorithmB {
        return Err(Error::InvalidInput(
            "Algorithm B needs one class with delay weight 1 that pays per-arc costs \
             (each element on at most one arc, factor 1, no arc delay weight, no banned arc)"
                .into(),
        ));
    }
    let mut model = shared::SharedElements::new(elements, classes);
    let run = frank_wolfe::frank_wolfe(g, &tails, &mut model, config, start, on_iteration);
    let load = model.loads(&run.flow);
    Ok(run.into_assignment(m, load, model.into_symmetry()))
}
