//! Whether a multi-class problem has an objective: the classes' factors
//! are separable, `φ_ka = ψ_k χ_e`, exactly when rescaling each class's
//! cost by `1 / w_k` and measuring its flow in capacity units makes the
//! Jacobian of the costs symmetric (see the module documentation of
//! `assignment`). Finds the scales `ψ, χ` or says there are none; it does
//! not solve anything.

use super::problem::{Class, Elements, NO_ELEMENT};

/// Whether the problem is symmetric, with the scales that make it so.
#[derive(Clone, Debug, PartialEq)]
pub struct Symmetry {
    /// True when the factors are separable, `φ_ka = ψ_k χ_e`.
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
pub(super) fn detect_symmetry(elements: &Elements, classes: &[Class]) -> Symmetry {
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

impl Symmetry {
    /// The scales of a problem known to be symmetric with unit scales
    /// (one class, delay weight and factors 1).
    pub(super) fn unit(n_classes: usize, n_elements: usize) -> Self {
        Self {
            symmetric: true,
            class_scale: vec![1.0; n_classes],
            element_scale: vec![1.0; n_elements],
        }
    }
}
