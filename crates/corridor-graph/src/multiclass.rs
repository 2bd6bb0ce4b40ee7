//! Multi-class static user equilibrium on one shared topology: several
//! classes of flow, each with its own arc costs and its own forbidden arcs,
//! share congestible **elements** (groups of arcs with one capacity) and
//! slow each other down.
//!
//! This module sees a [`Csr`], `f64` slices and class indices only. What a
//! class, an element or a unit means (commodities, links, terminals, borders,
//! tonnes, money) is the caller's business; it does not read files or lower
//! networks, and it has no bush-based method (see [`crate::bush`] for the
//! single-class one).
//!
//! # Formulation
//!
//! Class `k` on arc `a` pays `c_ka(x) = F_ka + w_k · D_e(V_e)`, where `F_ka`
//! is a flow-independent cost (`INFINITY`: class `k` may not use the arc),
//! `w_k ≥ 0` the weight of delay in its cost (a value of time), `e = e(a)`
//! the arc's element, `D_e(V) = BPR_e(V) − BPR_e(0)` the element's delay over
//! its uncongested time and `V_e = Σ_k Σ_{a∈e} φ_ka x_ka` its load in
//! capacity units (`φ_ka > 0`: capacity units per unit of class `k` flow).
//!
//! Classes with `w_k = 0` have flow-independent costs: their all-or-nothing
//! load is their equilibrium, computed once and carried as a fixed
//! background load. For the other classes the Jacobian
//! `∂c_ka/∂x_lb = w_k φ_lb D'_e` is symmetric after rescaling each class's
//! cost by `1/w_k` (which leaves its equilibrium unchanged) and measuring its
//! flow in capacity units, exactly when the factors are **separable**:
//! `φ_ka = ψ_k χ_e` for class scales `ψ_k` and element scales `χ_e` (in
//! particular when every class has the same factor on an element). Then the
//! equilibrium minimises the convex objective
//!
//! `B(x) = Σ_k (ψ_k / w_k) Σ_a F_ka x_ka + Σ_e (1/χ_e) ∫_0^{V_e} D_e(v) dv`,
//!
//! Frank–Wolfe with an exact line search on `B` converges to it, and the
//! conjugate directions of Mitradjieva & Lindberg (2013) carry over with the
//! Hessian `diag(D'_e / χ_e)` on element loads. [`detect_symmetry`] checks
//! separability; when it fails the problem is asymmetric (no objective
//! exists) and each iteration becomes a step of *diagonalisation* (Sheffi
//! 1985, §8.3) in Gauss–Seidel order: class by class, one Frank–Wolfe step
//! with an exact line search on the class's own diagonalised objective (the
//! other classes' loads fixed at their latest values), and the MSA step
//! `1/(k+1)` for all when no class moves. Convergence is then not guaranteed
//! and is judged by the relative gap alone (every method behaves the same;
//! `objective` is `B` with `ψ = χ = 1`, a progress measure only).
//!
//! Relative gap, summed over classes as TNTP and AequilibraE define it:
//! `(Σ_k Σ_a x_ka c_ka(x) − Σ_k Σ_od d_kod SP_kod(c(x))) / Σ_k Σ_a x_ka c_ka(x)`.
//!
//! Complexity per iteration: one all-or-nothing load per class (origins in
//! parallel on the rayon pool, bit-identical for any thread count, see
//! [`crate::assignment::all_or_nothing`]) plus `O(K m)` work for loads,
//! costs and ~64 `O(E)` line-search passes.

use crate::assignment::{
    AssignConfig, Demand, IterationStat, MAX_CONJUGATE_WEIGHT, Method, all_or_nothing, bisect_step,
    relative_gap,
};
use crate::csr::{Csr, VertexIdx};
use crate::vdf::Bpr;
use std::time::Instant;

/// Marks an arc that belongs to no congestible element.
pub const NO_ELEMENT: u32 = u32::MAX;

/// One class of flow.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Class {
    /// Per arc (CSR order): the flow-independent cost of one unit of this
    /// class; `f64::INFINITY` where the class may not go.
    pub fixed: Vec<f64>,
    /// Weight of the element delay in this class's cost (e.g. its value of
    /// time); 0 makes its costs independent of flow.
    pub delay_weight: f64,
    /// Per arc: capacity units that one unit of this class's flow takes on
    /// the arc's element (ignored on arcs without an element).
    pub factor: Vec<f64>,
    pub demand: Demand,
}

/// The shared congestion: which element each arc belongs to and each
/// element's BPR (its `fixed` must be 0; its free-flow time is the time the
/// delay grows from).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Elements {
    /// Per arc: element index or [`NO_ELEMENT`].
    pub arc_element: Vec<u32>,
    pub bpr: Bpr,
}

impl Elements {
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
    fn delay_integral(&self, e: usize, v: f64) -> f64 {
        if !self.bpr.depends_on_flow(e) {
            return 0.0;
        }
        (self.bpr.integral(e, v) - self.bpr.cost(e, 0.0) * v).max(0.0)
    }
}

/// Whether the problem is symmetric, with the scales that make it so.
#[derive(Clone, Debug, PartialEq)]
pub struct Symmetry {
    /// True when the factors are separable (see the module doc).
    pub symmetric: bool,
    /// Per class: `ψ_k` (1 for classes with `w_k = 0`, or when asymmetric).
    pub class_scale: Vec<f64>,
    /// Per element: `χ_e` (1 when asymmetric or unused).
    pub element_scale: Vec<f64>,
}

/// Relative tolerance when comparing factors.
const FACTOR_TOLERANCE: f64 = 1e-9;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= FACTOR_TOLERANCE * a.abs().max(b.abs())
}

/// Checks whether the factors of the classes whose costs depend on flow are
/// separable, `φ_ka = ψ_k χ_e` on every arc the class may use, by
/// propagating scales over the bipartite graph of classes and elements.
pub fn detect_symmetry(elements: &Elements, classes: &[Class]) -> Symmetry {
    let n_el = elements.n_elements();
    let k = classes.len();
    let asym = || Symmetry {
        symmetric: false,
        class_scale: vec![1.0; k],
        element_scale: vec![1.0; n_el],
    };
    // f[c][e]: the one factor class c has on element e (NaN: never used).
    let mut f = vec![vec![f64::NAN; n_el]; k];
    for (ci, c) in classes.iter().enumerate() {
        if c.delay_weight <= 0.0 {
            continue;
        }
        for (a, &e) in elements.arc_element.iter().enumerate() {
            if e == NO_ELEMENT || !c.fixed[a].is_finite() {
                continue;
            }
            let slot = &mut f[ci][e as usize];
            if slot.is_nan() {
                *slot = c.factor[a];
            } else if !close(*slot, c.factor[a]) {
                return asym();
            }
        }
    }
    let mut psi = vec![f64::NAN; k];
    let mut chi = vec![f64::NAN; n_el];
    for start in 0..k {
        if !psi[start].is_nan() || classes[start].delay_weight <= 0.0 {
            continue;
        }
        psi[start] = 1.0;
        let mut stack = vec![start];
        while let Some(ci) = stack.pop() {
            for e in 0..n_el {
                let x = f[ci][e];
                if x.is_nan() {
                    continue;
                }
                let want = x / psi[ci];
                if chi[e].is_nan() {
                    chi[e] = want;
                    for (cj, row) in f.iter().enumerate() {
                        let y = row[e];
                        if y.is_nan() {
                            continue;
                        }
                        let p = y / want;
                        if psi[cj].is_nan() {
                            psi[cj] = p;
                            stack.push(cj);
                        } else if !close(psi[cj], p) {
                            return asym();
                        }
                    }
                } else if !close(chi[e], want) {
                    return asym();
                }
            }
        }
    }
    Symmetry {
        symmetric: true,
        class_scale: psi
            .into_iter()
            .map(|p| if p.is_nan() { 1.0 } else { p })
            .collect(),
        element_scale: chi
            .into_iter()
            .map(|c| if c.is_nan() { 1.0 } else { c })
            .collect(),
    }
}

/// Equilibrium (or best found) flows of every class.
#[derive(Clone, Debug, PartialEq)]
pub struct MultiClassAssignment {
    /// `flow[k][a]`: class `k`'s flow on arc `a` (CSR order).
    pub flow: Vec<Vec<f64>>,
    /// `cost[k][a]`: class `k`'s cost on arc `a` at `flow`.
    pub cost: Vec<Vec<f64>>,
    /// Per element: load in capacity units.
    pub load: Vec<f64>,
    pub history: Vec<IterationStat>,
    /// Summed over classes.
    pub relative_gap: f64,
    /// Per class: its own relative gap.
    pub class_gap: Vec<f64>,
    /// `B(x)` of the module doc (with `ψ = χ = 1` when asymmetric, where it
    /// is only a progress measure).
    pub objective: f64,
    pub converged: bool,
    pub symmetry: Symmetry,
    /// Per class: demand whose destination cannot be reached (not loaded).
    pub unreachable_demand: Vec<f64>,
}

/// Element loads of per-class arc flows.
fn loads(elements: &Elements, classes: &[Class], flow: &[Vec<f64>]) -> Vec<f64> {
    let mut v = vec![0.0; elements.n_elements()];
    for (c, x) in classes.iter().zip(flow) {
        for (a, &e) in elements.arc_element.iter().enumerate() {
            if e != NO_ELEMENT && x[a] != 0.0 {
                v[e as usize] += c.factor[a] * x[a];
            }
        }
    }
    v
}

/// Every class's arc costs at element loads `v`.
fn costs(elements: &Elements, classes: &[Class], v: &[f64], out: &mut [Vec<f64>]) {
    let delay: Vec<f64> = (0..v.len()).map(|e| elements.delay(e, v[e])).collect();
    for (c, o) in classes.iter().zip(out.iter_mut()) {
        for (a, &e) in elements.arc_element.iter().enumerate() {
            let f = c.fixed[a];
            o[a] = if e == NO_ELEMENT || !f.is_finite() || c.delay_weight == 0.0 {
                f
            } else {
                f + c.delay_weight * delay[e as usize]
            };
        }
    }
}

/// `Σ_a x_a c_a` over arcs that carry flow (unusable arcs carry none).
fn total_cost(x: &[f64], c: &[f64]) -> f64 {
    x.iter()
        .zip(c)
        .filter(|(x, _)| **x != 0.0)
        .map(|(x, c)| x * c)
        .sum()
}

fn objective(
    elements: &Elements,
    classes: &[Class],
    sym: &Symmetry,
    flow: &[Vec<f64>],
    v: &[f64],
) -> f64 {
    let mut b = 0.0;
    for (k, (c, x)) in classes.iter().zip(flow).enumerate() {
        if c.delay_weight > 0.0 {
            b += sym.class_scale[k] / c.delay_weight * total_cost(x, &c.fixed);
        }
    }
    for (e, &ve) in v.iter().enumerate() {
        b += elements.delay_integral(e, ve) / sym.element_scale[e];
    }
    b
}

/// The step in `[0, 1]` that zeroes `D(λ) = C + Σ_e g_e delay_e(V_e + λ ΔV_e)`
/// (the derivative of `B` along the direction when symmetric), by bisection.
fn line_search(elements: &Elements, c0: f64, g: &[f64], v: &[f64], dv: &[f64]) -> f64 {
    let live: Vec<usize> = (0..v.len())
        .filter(|&e| (g[e] != 0.0 || dv[e] != 0.0) && elements.bpr.depends_on_flow(e))
        .collect();
    let deriv = |lambda: f64| -> f64 {
        c0 + live
            .iter()
            .map(|&e| g[e] * elements.delay(e, v[e] + lambda * dv[e]))
            .sum::<f64>()
    };
    bisect_step(deriv)
}

/// `α` making `s − x` conjugate to `s1 − x` under `diag(h)` on loads.
fn conjugate_alpha(h: &[f64], v: &[f64], vy: &[f64], vs1: &[f64]) -> Option<f64> {
    let (mut num, mut den) = (0.0, 0.0);
    for e in 0..v.len() {
        if h[e] == 0.0 {
            continue;
        }
        let p = vs1[e] - v[e];
        num += p * h[e] * (vy[e] - v[e]);
        den += p * h[e] * (vy[e] - vs1[e]);
    }
    if den == 0.0 || !den.is_finite() || !num.is_finite() {
        return None;
    }
    Some((num / den).clamp(0.0, MAX_CONJUGATE_WEIGHT))
}

/// Bi-conjugate weights `(ν, μ)` on loads, as in [`crate::assignment`].
fn biconjugate_weights(
    h: &[f64],
    v: &[f64],
    vy: &[f64],
    vs1: &[f64],
    vs2: &[f64],
) -> Option<(f64, f64)> {
    let (mut pp, mut pq, mut qq, mut ap, mut aq) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for i in 0..v.len() {
        if h[i] == 0.0 {
            continue;
        }
        let (a, p, q) = (vy[i] - v[i], vs1[i] - v[i], vs2[i] - v[i]);
        pp += p * h[i] * p;
        pq += p * h[i] * q;
        qq += q * h[i] * q;
        ap += a * h[i] * p;
        aq += a * h[i] * q;
    }
    let det = pp * qq - pq * pq;
    if det.is_nan() || det.abs() <= 1e-12 * (pp * qq).abs() || !det.is_finite() {
        return None;
    }
    let nu = ((-ap * qq + aq * pq) / det).max(0.0);
    let mu = ((-aq * pp + ap * pq) / det).max(0.0);
    if !(nu + mu).is_finite() {
        return None;
    }
    let total = nu + mu;
    let cap = MAX_CONJUGATE_WEIGHT / (1.0 - MAX_CONJUGATE_WEIGHT);
    if total > cap {
        Some((nu * cap / total, mu * cap / total))
    } else {
        Some((nu, mu))
    }
}

/// One iteration of Gauss–Seidel diagonalisation for the asymmetric case:
/// class by class, in index order, a Frank–Wolfe step towards its
/// all-or-nothing load `y` with an exact line search on its own diagonalised
/// objective (the other classes' loads held at their latest values, its
/// costs scaled by `1/w_k`). When no class moves, every active class takes
/// the MSA step `1/(k+1)` so the iteration cannot stall. (Conjugate
/// directions per class were tried and slowed it down: the diagonalised
/// Hessian is only an approximation here.)
fn gauss_seidel_step(
    elements: &Elements,
    classes: &[Class],
    active: &[bool],
    x: &mut [Vec<f64>],
    y: &[Vec<f64>],
    v: &[f64],
    k: usize,
) {
    let n_el = v.len();
    let mut load = v.to_vec();
    let mut moved = false;
    for (ci, c) in classes.iter().enumerate() {
        if !active[ci] {
            continue;
        }
        let dir: Vec<f64> = y[ci].iter().zip(&x[ci]).map(|(t, s)| t - s).collect();
        let mut c0 = 0.0;
        let mut g = vec![0.0; n_el];
        let mut dv = vec![0.0; n_el];
        for (a, &d) in dir.iter().enumerate() {
            if d == 0.0 {
                continue;
            }
            c0 += d * c.fixed[a] / c.delay_weight;
            let e = elements.arc_element[a];
            if e != NO_ELEMENT {
                g[e as usize] += d;
                dv[e as usize] += c.factor[a] * d;
            }
        }
        let lambda = line_search(elements, c0, &g, &load, &dv);
        if lambda > 0.0 {
            moved = true;
            for (xa, d) in x[ci].iter_mut().zip(&dir) {
                *xa += lambda * d;
            }
            for (l, d) in load.iter_mut().zip(&dv) {
                *l += lambda * d;
            }
        }
    }
    if !moved {
        let lambda = 1.0 / (k as f64 + 1.0);
        for (ci, xc) in x.iter_mut().enumerate() {
            if active[ci] {
                for (xa, t) in xc.iter_mut().zip(&y[ci]) {
                    *xa += lambda * (t - *xa);
                }
            }
        }
    }
}

/// Checks inputs; panics name the caller bug (the engine validates user
/// data before lowering).
fn check(g: &Csr, elements: &Elements, classes: &[Class]) {
    let m = g.n_arcs();
    let n = g.n_vertices();
    assert_eq!(elements.arc_element.len(), m, "one element entry per arc");
    if let Err((e, why)) = elements.bpr.check() {
        panic!("element {e}: {why}");
    }
    assert!(
        elements.bpr.fixed.iter().all(|&f| f == 0.0),
        "element BPRs carry no fixed cost"
    );
    let n_el = elements.n_elements() as u32;
    assert!(
        elements
            .arc_element
            .iter()
            .all(|&e| e == NO_ELEMENT || e < n_el),
        "element index out of range"
    );
    for (k, c) in classes.iter().enumerate() {
        assert_eq!(c.fixed.len(), m, "class {k}: one fixed cost per arc");
        assert_eq!(c.factor.len(), m, "class {k}: one factor per arc");
        assert!(
            c.delay_weight.is_finite() && c.delay_weight >= 0.0,
            "class {k}: delay weight must be a non-negative number"
        );
        assert!(
            c.fixed.iter().all(|&f| f >= 0.0),
            "class {k}: fixed costs must be non-negative (or infinite)"
        );
        assert!(
            c.factor.iter().all(|&f| f.is_finite() && f > 0.0),
            "class {k}: factors must be positive"
        );
        for (o, ds) in &c.demand.origins {
            assert!((*o as usize) < n, "class {k}: origin {o} out of range");
            for (d, _) in ds {
                assert!((*d as usize) < n, "class {k}: destination {d} out of range");
            }
        }
    }
}

/// Solves the multi-class assignment with `cfg.method` (all-or-nothing,
/// Frank–Wolfe, conjugate or bi-conjugate FW; Algorithm B is single-class
/// only and is a caller bug here). Runs on the current rayon pool.
///
/// # Example
/// ```
/// use corridor_graph::{Csr, assignment::{AssignConfig, Demand, Method}, vdf::Bpr};
/// use corridor_graph::multiclass::{Class, Elements, assign_multiclass};
/// // Two parallel arcs 0 -> 1, each its own element; two classes of 5 share them.
/// let (g, _) = Csr::from_arcs(2, &[(0, 1), (0, 1)]);
/// let elements = Elements { arc_element: vec![0, 1], bpr: Bpr { free_flow: vec![1.0; 2],
///     alpha: vec![1.0; 2], beta: vec![1.0; 2], capacity: vec![10.0; 2], fixed: vec![0.0; 2] } };
/// let class = |w| Class { fixed: vec![1.0; 2], delay_weight: w, factor: vec![1.0; 2],
///     demand: Demand { origins: vec![(0, vec![(1, 5.0)])] } };
/// let cfg = AssignConfig { method: Method::FrankWolfe, gap: 1e-9, max_iter: 200 };
/// let r = assign_multiclass(&g, &elements, &[class(1.0), class(3.0)], &cfg, &mut |_| {});
/// assert!(r.symmetry.symmetric);
/// assert!((r.load[0] - 5.0).abs() < 1e-4);
/// ```
pub fn assign_multiclass(
    g: &Csr,
    elements: &Elements,
    classes: &[Class],
    cfg: &AssignConfig,
    on_iteration: &mut dyn FnMut(&IterationStat),
) -> MultiClassAssignment {
    assert!(
        cfg.method != Method::AlgorithmB,
        "Algorithm B is single-class; the caller must refuse it"
    );
    check(g, elements, classes);
    let start = Instant::now();
    let tails: Vec<VertexIdx> = g.tails();
    let m = g.n_arcs();
    let k_n = classes.len();
    let sym = detect_symmetry(elements, classes);
    let active: Vec<bool> = classes.iter().map(|c| c.delay_weight > 0.0).collect();

    let mut cost: Vec<Vec<f64>> = vec![vec![0.0; m]; k_n];
    costs(
        elements,
        classes,
        &vec![0.0; elements.n_elements()],
        &mut cost,
    );
    let mut x: Vec<Vec<f64>> = Vec::with_capacity(k_n);
    let mut unreachable = Vec::with_capacity(k_n);
    for (k, c) in classes.iter().enumerate() {
        let aon = all_or_nothing(g, &tails, &cost[k], &c.demand);
        unreachable.push(aon.unreachable_demand);
        x.push(aon.flow);
    }
    let max_iter = match cfg.method {
        Method::AllOrNothing => 1,
        _ => cfg.max_iter.max(1),
    };
    let conjugate = sym.symmetric
        && matches!(
            cfg.method,
            Method::ConjugateFrankWolfe | Method::BiconjugateFrankWolfe
        );
    let mut history = Vec::new();
    let mut s1: Option<Vec<Vec<f64>>> = None;
    let mut s2: Option<Vec<Vec<f64>>> = None;
    let mut converged = false;
    let (mut gap, mut class_gap, mut obj);
    let mut k = 0;
    loop {
        k += 1;
        // Measure: costs at x, all-or-nothing targets, gap and objective.
        let v = loads(elements, classes, &x);
        costs(elements, classes, &v, &mut cost);
        let mut y = Vec::with_capacity(k_n);
        let (mut tc_all, mut sp_all) = (0.0, 0.0);
        class_gap = Vec::with_capacity(k_n);
        for (ci, c) in classes.iter().enumerate() {
            let aon = all_or_nothing(g, &tails, &cost[ci], &c.demand);
            let tc = total_cost(&x[ci], &cost[ci]);
            class_gap.push(relative_gap(tc, aon.sptt));
            tc_all += tc;
            sp_all += aon.sptt;
            y.push(aon.flow);
        }
        gap = relative_gap(tc_all, sp_all);
        obj = objective(elements, classes, &sym, &x, &v);
        let stat = IterationStat {
            iteration: k,
            relative_gap: gap,
            objective: obj,
            seconds: start.elapsed().as_secs_f64(),
        };
        on_iteration(&stat);
        history.push(stat);
        if gap <= cfg.gap {
            converged = true;
            break;
        }
        if k >= max_iter {
            break;
        }
        // Passive classes stay on their (flow-independent) shortest paths.
        for ci in 0..k_n {
            if !active[ci] {
                y[ci] = x[ci].clone();
            }
        }
        if !sym.symmetric {
            gauss_seidel_step(elements, classes, &active, &mut x, &y, &v, k);
            continue;
        }
        let vy = loads(elements, classes, &y);
        let hess: Vec<f64> = if conjugate {
            (0..v.len())
                .map(|e| elements.bpr.derivative(e, v[e]) / sym.element_scale[e])
                .collect()
        } else {
            Vec::new()
        };
        let combine = |w: &[(f64, &Vec<Vec<f64>>)]| -> Vec<Vec<f64>> {
            (0..k_n)
                .map(|ci| {
                    (0..m)
                        .map(|a| w.iter().map(|(c, s)| c * s[ci][a]).sum())
                        .collect()
                })
                .collect()
        };
        let mut target: Vec<Vec<f64>> = match (conjugate, cfg.method, &s1, &s2) {
            (true, Method::BiconjugateFrankWolfe, Some(p1), Some(p2)) => {
                let (v1, v2) = (loads(elements, classes, p1), loads(elements, classes, p2));
                // Both weights clamped to 0 would make this plain
                // Frank–Wolfe, which zigzags; the conjugate direction on the
                // last point alone is the better fall-back then.
                let bw =
                    biconjugate_weights(&hess, &v, &vy, &v1, &v2).filter(|&(nu, mu)| nu + mu > 0.0);
                match bw {
                    Some((nu, mu)) => {
                        let b0 = 1.0 / (1.0 + nu + mu);
                        combine(&[(b0, &y), (b0 * nu, p1), (b0 * mu, p2)])
                    }
                    None => match conjugate_alpha(&hess, &v, &vy, &v1) {
                        Some(al) => combine(&[(al, p1), (1.0 - al, &y)]),
                        None => y.clone(),
                    },
                }
            }
            (true, _, Some(p1), _) => {
                let v1 = loads(elements, classes, p1);
                match conjugate_alpha(&hess, &v, &vy, &v1) {
                    Some(al) => combine(&[(al, p1), (1.0 - al, &y)]),
                    None => y.clone(),
                }
            }
            _ => y.clone(),
        };
        let step = |target: &Vec<Vec<f64>>| -> (f64, Vec<Vec<f64>>, Vec<f64>, Vec<f64>) {
            let dir: Vec<Vec<f64>> = (0..k_n)
                .map(|ci| (0..m).map(|a| target[ci][a] - x[ci][a]).collect())
                .collect();
            let mut c0 = 0.0;
            let mut gvec = vec![0.0; v.len()];
            for (ci, c) in classes.iter().enumerate() {
                if !active[ci] {
                    continue;
                }
                let rho = sym.class_scale[ci] / c.delay_weight;
                for (a, &d) in dir[ci].iter().enumerate() {
                    if d == 0.0 {
                        continue;
                    }
                    c0 += rho * d * c.fixed[a];
                    let e = elements.arc_element[a];
                    if e != NO_ELEMENT {
                        gvec[e as usize] += sym.class_scale[ci] * d;
                    }
                }
            }
            let dv = loads(elements, classes, &dir);
            (c0, dir, gvec, dv)
        };
        let (mut c0, mut dir, mut gvec, mut dv) = step(&target);
        // A conjugate direction need not descend far from the optimum.
        let slope = c0
            + (0..v.len())
                .map(|e| gvec[e] * elements.delay(e, v[e]))
                .sum::<f64>();
        if slope >= 0.0 && target != y {
            target = y.clone();
            (c0, dir, gvec, dv) = step(&target);
        }
        let lambda = line_search(elements, c0, &gvec, &v, &dv);
        for ci in 0..k_n {
            for a in 0..m {
                x[ci][a] += lambda * dir[ci][a];
            }
        }
        if lambda >= 1.0 {
            s1 = None;
            s2 = None;
        } else if conjugate {
            s2 = s1.take();
            s1 = Some(target);
        }
    }
    let load = loads(elements, classes, &x);
    costs(elements, classes, &load, &mut cost);
    MultiClassAssignment {
        flow: x,
        cost,
        load,
        history,
        relative_gap: gap,
        class_gap,
        objective: obj,
        converged,
        symmetry: sym,
        unreachable_demand: unreachable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assignment::assign;
    use proptest::prelude::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// A seeded random graph (a ring plus random arcs), one element per arc
    /// for most arcs, random BPRs, and `n_classes` classes with random
    /// fixed costs, bans, weights and demand.
    fn random_case(
        seed: u64,
        n: usize,
        extra: usize,
        n_classes: usize,
        same_factor: bool,
    ) -> (Csr, Elements, Vec<Class>) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (g, _) = crate::test_support::ring_with_chords(&mut rng, n, extra);
        let m = g.n_arcs();
        // Some arcs share an element, some have none.
        let n_el = (m / 2).max(1);
        let arc_element: Vec<u32> = (0..m)
            .map(|_| {
                if rng.random_bool(0.15) {
                    NO_ELEMENT
                } else {
                    rng.random_range(0..n_el as u32)
                }
            })
            .collect();
        let bpr = crate::test_support::random_bpr(&mut rng, n_el);
        let elements = Elements { arc_element, bpr };
        let classes = (0..n_classes)
            .map(|ci| {
                let fixed = (0..m)
                    .map(|a| {
                        // The ring stays usable so demand can always move.
                        if a >= n && rng.random_bool(0.1) {
                            f64::INFINITY
                        } else {
                            rng.random_range(0.0..3.0)
                        }
                    })
                    .collect::<Vec<_>>();
                let factor = if same_factor {
                    vec![1.0 + ci as f64 * 0.0; m]
                } else {
                    (0..m).map(|_| rng.random_range(0.5..2.0)).collect()
                };
                let origins = crate::test_support::random_demand(&mut rng, n, 0.4, 0.3, 15.0);
                Class {
                    fixed,
                    delay_weight: rng.random_range(0.2..3.0),
                    factor,
                    demand: Demand { origins },
                }
            })
            .collect();
        (g, elements, classes)
    }

    fn cfg(method: Method, gap: f64, max_iter: usize) -> AssignConfig {
        AssignConfig {
            method,
            gap,
            max_iter,
        }
    }

    #[test]
    fn separable_factors_are_symmetric_and_others_are_not() {
        let (_, el, mut classes) = random_case(3, 8, 10, 2, true);
        // Scale class 1 uniformly: still separable (ψ = 2).
        classes[1].factor.iter_mut().for_each(|f| *f = 2.0);
        let s = detect_symmetry(&el, &classes);
        assert!(s.symmetric);
        assert!((s.class_scale[1] / s.class_scale[0] - 2.0).abs() < 1e-12);
        // One arc of class 1 differs: no longer separable.
        let a = (0..el.arc_element.len())
            .find(|&a| el.arc_element[a] != NO_ELEMENT && classes[1].fixed[a].is_finite())
            .unwrap();
        classes[1].factor[a] = 3.0;
        assert!(!detect_symmetry(&el, &classes).symmetric);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        /// One class with delay weight 1 and factor 1 is the single-class
        /// problem: the same equilibrium as `assignment::assign` on per-arc
        /// BPRs (objective and flows on congestible arcs).
        #[test]
        fn one_class_equals_the_single_class_assignment(seed in 0u64..1_000_000, n in 3usize..14, extra in 0usize..30) {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let (g, _, classes) = random_case(seed, n, extra, 1, true);
            let m = g.n_arcs();
            // One element per arc, the fixed cost = the free-flow time.
            let bpr = crate::test_support::random_bpr(&mut rng, m);
            let el = Elements { arc_element: (0..m as u32).collect(), bpr: bpr.clone() };
            let class = Class { fixed: bpr.free_flow.clone(), delay_weight: 1.0, factor: vec![1.0; m], demand: classes[0].demand.clone() };
            let mc = assign_multiclass(&g, &el, std::slice::from_ref(&class), &cfg(Method::BiconjugateFrankWolfe, 1e-10, 3000), &mut |_| {});
            let sc = assign(&g, &bpr, &class.demand, &cfg(Method::BiconjugateFrankWolfe, 1e-10, 3000), &mut |_| {});
            prop_assert!(mc.symmetry.symmetric);
            prop_assert!(mc.relative_gap <= 1e-9, "multi-class stalled at {}", mc.relative_gap);
            // The single-class BFW can stall above the target (it has no
            // fall-back to the conjugate direction); it may then only be worse.
            let tol = 1e-6 * sc.objective.abs().max(1.0);
            prop_assert!(mc.objective <= sc.objective + tol, "{} vs {}", mc.objective, sc.objective);
            if sc.relative_gap <= 1e-9 {
                prop_assert!((mc.objective - sc.objective).abs() <= tol, "{} vs {}", mc.objective, sc.objective);
                let scale = class.demand.total().max(1.0);
                for a in 0..m {
                    prop_assert!((mc.flow[0][a] - sc.flow[a]).abs() <= 1e-3 * scale, "arc {a}");
                }
            }
        }

        /// Every class conserves its demand, no class uses an arc it may
        /// not, the loads are the factor-weighted sums, and with separable
        /// factors the objective never increases.
        #[test]
        fn classes_conserve_flow_avoid_bans_and_descend(seed in 0u64..1_000_000, n in 3usize..14, extra in 0usize..30, nc in 1usize..4, same in any::<bool>()) {
            let (g, el, classes) = random_case(seed, n, extra, nc, same);
            let tails = g.tails();
            for method in [Method::FrankWolfe, Method::BiconjugateFrankWolfe] {
                let mut objs = Vec::new();
                let r = assign_multiclass(&g, &el, &classes, &cfg(method, 1e-8, 80), &mut |s| objs.push(s.objective));
                for (k, c) in classes.iter().enumerate() {
                    let mut balance = vec![0.0; n];
                    for a in 0..g.n_arcs() {
                        let x = r.flow[k][a];
                        prop_assert!(x >= -1e-9, "negative flow");
                        if !c.fixed[a].is_finite() {
                            prop_assert_eq!(x, 0.0, "class {} on a banned arc", k);
                        }
                        balance[tails[a] as usize] -= x;
                        balance[g.head(a) as usize] += x;
                    }
                    for (o, ds) in &c.demand.origins {
                        for &(d, f) in ds {
                            if d != *o && f > 0.0 {
                                balance[*o as usize] += f;
                                balance[d as usize] -= f;
                            }
                        }
                    }
                    // Unreachable demand is not loaded: allow its amount.
                    for b in balance {
                        prop_assert!(b.abs() <= 1e-7 * (1.0 + c.demand.total()) + r.unreachable_demand[k] + 1e-9, "class {k}: imbalance {b}");
                    }
                }
                let want = loads(&el, &classes, &r.flow);
                prop_assert_eq!(&want, &r.load);
                if r.symmetry.symmetric {
                    for w in objs.windows(2) {
                        prop_assert!(w[1] <= w[0] + 1e-9 * w[0].abs().max(1.0), "{method:?}: {} -> {}", w[0], w[1]);
                    }
                }
                prop_assert!(r.relative_gap <= r.history[0].relative_gap + 1e-12);
            }
        }
    }

    #[test]
    fn results_do_not_depend_on_the_thread_count() {
        let (g, el, classes) = random_case(11, 20, 50, 3, false);
        let run = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| {
                    assign_multiclass(
                        &g,
                        &el,
                        &classes,
                        &cfg(Method::FrankWolfe, 1e-9, 50),
                        &mut |_| {},
                    )
                    .flow
                })
        };
        assert_eq!(run(1), run(3));
    }
}
