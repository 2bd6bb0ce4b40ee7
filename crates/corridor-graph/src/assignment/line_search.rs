//! The exact line search every method of the `assignment` module uses: the
//! step along a search direction that minimises a convex objective, found
//! by bisection on the objective's derivative along the direction, which
//! is non-decreasing because every cost is non-decreasing in flow.
//!
//! The derivative always has the form `D(λ) = c0 + Σ_i g_i f_i(v_i + λ dv_i)`:
//! per arc (`f` = the arc's cost, `g = dv` = the direction) for per-arc
//! costs and Algorithm B's extrapolation, per element (`f` = the element's
//! delay, `g` and `dv` the direction's weight and load on it) for shared
//! elements. It does not choose directions.

use crate::vdf::Bpr;

/// The step `λ` in `[0, 1]` where `D(λ) = c0 + Σ_i g_i f_i(v_i + λ dv_i)`
/// crosses zero. Items with `g_i = dv_i = 0` add nothing; items whose
/// `f_i` does not vary with its argument (`varies(i)` false) add the
/// constant `g_i f_i(v_i)`, summed once instead of at every bisection step.
pub(super) fn exact_step(
    c0: f64,
    g: &[f64],
    v: &[f64],
    dv: &[f64],
    varies: impl Fn(usize) -> bool,
    f: impl Fn(usize, f64) -> f64,
) -> f64 {
    let mut constant = c0;
    let mut live: Vec<u32> = Vec::new();
    for i in 0..v.len() {
        if g[i] == 0.0 && dv[i] == 0.0 {
            continue;
        }
        if varies(i) {
            live.push(i as u32);
        } else {
            constant += g[i] * f(i, v[i]);
        }
    }
    let deriv = |lambda: f64| -> f64 {
        constant
            + live
                .iter()
                .map(|&i| {
                    let i = i as usize;
                    g[i] * f(i, v[i] + lambda * dv[i])
                })
                .sum::<f64>()
    };
    bisect_step(deriv)
}

/// The step in `[0, 1]` minimising the Beckmann objective of per-arc BPR
/// costs along `x + λ d`: its derivative is `Σ_a d_a c_a(x_a + λ d_a)`.
pub(super) fn along_arcs(vdf: &Bpr, x: &[f64], d: &[f64]) -> f64 {
    exact_step(
        0.0,
        d,
        x,
        d,
        |a| vdf.depends_on_flow(a),
        |a, v| vdf.cost(a, v),
    )
}

/// The step in `[0, 1]` where a non-decreasing derivative along a search
/// direction crosses zero (the exact line search of a convex objective),
/// by bisection to machine precision; 1 or 0 when it does not cross.
fn bisect_step(deriv: impl Fn(f64) -> f64) -> f64 {
    if deriv(1.0) <= 0.0 {
        return 1.0;
    }
    if deriv(0.0) >= 0.0 {
        return 0.0;
    }
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    for _ in 0..64 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if deriv(mid) < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}
