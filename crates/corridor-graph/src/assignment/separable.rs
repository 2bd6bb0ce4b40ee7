//! The common special case, recognised once: one class that pays on every
//! arc a BPR function of that arc's own flow (each element on at most one
//! arc, factor 1, delay weight 1, no arc weight `ω`, no banned arc), as in
//! a road network.
//! Its costs are then per-arc BPR arrays, and the Frank–Wolfe family and
//! Algorithm B run on those arrays directly: no lookup of an arc's element,
//! no factor, no class loop in the hot loops.
//!
//! It does not solve anything itself; it implements
//! [`CostModel`] for the Frank–Wolfe driver.

use super::frank_wolfe::CostModel;
use super::line_search::along_arcs;
use super::problem::{Class, Demand, Elements, NO_ELEMENT};
use crate::vdf::Bpr;
use std::borrow::Cow;

/// The per-arc BPR costs of a problem that is one class on per-arc
/// costs, or `None` when it is not. Arc `a` of element `e` costs
/// `fixed[a] + D_e(x_a)`, which is `bpr.cost(e, x_a)` with the BPR's
/// `fixed` moved by `fixed[a] − bpr.cost(e, 0)`; that move is exactly 0 for
/// [`Class::single`] on [`Elements::per_arc`], whose BPR arrays are then
/// used as they are (no copy, and costs equal to the last bit). Arcs
/// without an element, or whose element's cost does not grow with flow,
/// cost their constant `fixed[a]`.
pub(super) fn per_arc_costs<'a>(elements: &'a Elements, classes: &[Class]) -> Option<Cow<'a, Bpr>> {
    let [class] = classes else {
        return None;
    };
    if class.delay_weight != 1.0
        || elements.has_arc_weights()
        || class.fixed.iter().any(|f| !f.is_finite())
    {
        return None;
    }
    let bpr = &elements.bpr;
    let mut seen = vec![false; elements.n_elements()];
    for (a, &e) in elements.arc_element.iter().enumerate() {
        if e == NO_ELEMENT {
            continue;
        }
        if class.factor[a] != 1.0 || std::mem::replace(&mut seen[e as usize], true) {
            return None;
        }
    }
    let as_is = elements.arc_element.len() == bpr.n_arcs()
        && elements
            .arc_element
            .iter()
            .enumerate()
            .all(|(a, &e)| e as usize == a && class.fixed[a] == bpr.cost(a, 0.0));
    if as_is {
        return Some(Cow::Borrowed(bpr));
    }
    let mut own = Bpr::default();
    for (a, &e) in elements.arc_element.iter().enumerate() {
        let e = e as usize;
        if elements.arc_element[a] == NO_ELEMENT || !bpr.depends_on_flow(e) {
            own.free_flow.push(0.0);
            own.alpha.push(0.0);
            own.beta.push(0.0);
            own.capacity.push(0.0);
            own.fixed.push(class.fixed[a]);
        } else {
            own.free_flow.push(bpr.free_flow[e]);
            own.alpha.push(bpr.alpha[e]);
            own.beta.push(bpr.beta[e]);
            own.capacity.push(bpr.capacity[e]);
            own.fixed
                .push(bpr.fixed[e] + (class.fixed[a] - bpr.cost(e, 0.0)));
        }
    }
    Some(Cow::Owned(own))
}

/// Element loads of the one class's arc flows `x` (factor 1).
pub(super) fn element_loads(elements: &Elements, x: &[f64]) -> Vec<f64> {
    let mut load = vec![0.0; elements.n_elements()];
    for (a, &e) in elements.arc_element.iter().enumerate() {
        if e != NO_ELEMENT {
            load[e as usize] = x[a];
        }
    }
    load
}

/// One class on per-arc BPR costs: the Beckmann objective, its Hessian
/// `diag(c'(x))` on arc flows, the line search along arcs.
pub(super) struct PerArc<'a> {
    pub vdf: &'a Bpr,
    pub demand: &'a Demand,
}

impl CostModel for PerArc<'_> {
    type Along = ();

    fn n_classes(&self) -> usize {
        1
    }

    fn demand(&self, _class: usize) -> &Demand {
        self.demand
    }

    fn active(&self, _class: usize) -> bool {
        true
    }

    fn symmetric(&self) -> bool {
        true
    }

    fn set_flows(&mut self, x: &[f64], cost: &mut [f64]) {
        self.vdf.costs(x, cost);
    }

    fn objective(&self, x: &[f64]) -> f64 {
        self.vdf.beckmann(x)
    }

    fn project<'x>(&self, x: &'x [f64]) -> Cow<'x, [f64]> {
        Cow::Borrowed(x)
    }

    #[inline]
    fn curvature(&self, v: &[f64], a: usize) -> f64 {
        self.vdf.derivative(a, v[a])
    }

    fn along(&self, _dir: &[f64]) {}

    fn slope(&self, _along: &(), dir: &[f64], cost: &[f64]) -> f64 {
        (0..dir.len()).map(|a| dir[a] * cost[a]).sum()
    }

    fn step(&self, _along: &(), x: &[f64], dir: &[f64]) -> f64 {
        along_arcs(self.vdf, x, dir)
    }

    fn diagonalise(&self, _x: &mut [f64], _y: &[f64], _k: usize) {
        unreachable!("per-arc costs always have an objective");
    }
}
