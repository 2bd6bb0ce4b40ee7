//! Whether a multi-class problem has an objective: the weights of delay
//! over the factors are separable, `(w_k + ω_a) / φ_ka = α_k β_e`, exactly
//! when rescaling each class's costs by a constant `1 / α_k` makes the
//! Jacobian of the costs symmetric (see the module documentation of
//! `assignment`). It is written as `φ̃_ka = ψ_k χ_e` with the effective
//! factor `φ̃_ka = φ_ka ŵ_k / (w_k + ω_a)` (`ŵ_k`: the class's reference
//! weight, `w_k` or 1), so `α_k = ŵ_k / ψ_k` and `β_e = 1 / χ_e`; without
//! `ω` that is `φ_ka = ψ_k χ_e` itself. Finds the scales `ψ, χ` or says
//! there are none; it does not solve anything.

use super::problem::{Class, Elements, NO_ELEMENT};

/// Whether the problem is symmetric, with the scales that make it so.
#[derive(Clone, Debug, PartialEq)]
pub struct Symmetry {
    /// True when the effective factors are separable, `φ̃_ka = ψ_k χ_e`.
    pub symmetric: bool,
    /// Per class: `ψ_k` (1 for classes whose costs do not depend on flow,
    /// or when asymmetric).
    pub class_scale: Vec<f64>,
    /// Per element: `χ_e` (1 when asymmetric or unused; `∞` when every
    /// class whose costs depend on flow weighs its delay by 0, so it is no
    /// part of the objective).
    pub element_scale: Vec<f64>,
}

/// Relative tolerance when comparing factors.
const FACTOR_TOLERANCE: f64 = 1e-9;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= FACTOR_TOLERANCE * a.abs().max(b.abs())
}

/// Checks whether the effective factors of the classes whose costs depend
/// on flow are separable, `φ̃_ka = ψ_k χ_e` on every arc of an element the
/// class may use, by propagating scales over the bipartite graph of classes
/// and elements. An arc with `w_k + ω_a = 0` has no effective factor: its
/// element is symmetric only if no class's arc on it weighs delay (then
/// `β_e = 0`, `χ_e = ∞`), since its cost ignores a load that the others'
/// costs see.
pub(super) fn detect_symmetry(elements: &Elements, classes: &[Class]) -> Symmetry {
    let n_el = elements.n_elements();
    let k = classes.len();
    let asym = || Symmetry {
        symmetric: false,
        class_scale: vec![1.0; k],
        element_scale: vec![1.0; n_el],
    };
    // f[c][e]: the one effective factor class c has on element e (NaN:
    // never used with a positive weight).
    let mut f = vec![vec![f64::NAN; n_el]; k];
    // Elements that some flow-dependent class uses with weight 0.
    let mut unweighed = vec![false; n_el];
    let active: Vec<bool> = classes
        .iter()
        .map(|c| c.depends_on_flow(elements))
        .collect();
    for (ci, c) in classes.iter().enumerate() {
        if !active[ci] {
            continue;
        }
        let reference = c.reference_weight();
        for (a, &e) in elements.arc_element.iter().enumerate() {
            if e == NO_ELEMENT || !c.fixed[a].is_finite() {
                continue;
            }
            let w = elements.class_weight(c, a);
            if w == 0.0 {
                unweighed[e as usize] = true;
                continue;
            }
            // `reference / w` is exactly 1 without `ω`, so `φ̃ = φ` then.
            let phi = c.factor[a] * (reference / w);
            let slot = &mut f[ci][e as usize];
            if slot.is_nan() {
                *slot = phi;
            } else if !close(*slot, phi) {
                return asym();
            }
        }
    }
    if (0..n_el).any(|e| unweighed[e] && f.iter().any(|row| !row[e].is_nan())) {
        return asym();
    }
    let mut psi = vec![f64::NAN; k];
    let mut chi = vec![f64::NAN; n_el];
    for start in 0..k {
        if !psi[start].is_nan() || !active[start] {
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
            .zip(unweighed)
            .map(|(c, zero)| match (c.is_nan(), zero) {
                (false, _) => c,
                (true, true) => f64::INFINITY,
                (true, false) => 1.0,
            })
            .collect(),
    }
}

impl Symmetry {
    /// The scales of a problem known to be symmetric with unit scales
    /// (one class, delay weight and factors 1, no `ω`).
    pub(super) fn unit(n_classes: usize, n_elements: usize) -> Self {
        Self {
            symmetric: true,
            class_scale: vec![1.0; n_classes],
            element_scale: vec![1.0; n_elements],
        }
    }
}
