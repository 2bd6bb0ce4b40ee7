//! Volume–delay functions: how an arc's cost grows with its flow.
//!
//! Owns the BPR (Bureau of Public Roads) function in struct-of-arrays form,
//! its derivative and its integral (the Beckmann objective), plus a fixed
//! per-arc cost added on top (tolls and distance already weighted by the
//! caller). It does not know what the flow or the cost mean in the user's
//! units; `corridor-engine` fills the arrays.
//!
//! `cost(x) = t0 · (1 + alpha · (x / capacity)^beta) + fixed`
//!
//! Reference: Bureau of Public Roads, *Traffic Assignment Manual* (1964).

/// BPR parameters for every arc, indexed by arc.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Bpr {
    /// Free-flow time `t0`.
    pub free_flow: Vec<f64>,
    pub alpha: Vec<f64>,
    pub beta: Vec<f64>,
    pub capacity: Vec<f64>,
    /// Flow-independent cost added to the time (weighted toll + distance).
    pub fixed: Vec<f64>,
}

/// The exponent evaluated as cheaply as its value allows: most networks use
/// beta = 4 (so the derivative's exponent is 3), and `powi` is several
/// times faster than `powf`. `x * (x * x)` is what `powi(x, 3)` computes
/// (the runtime's square-and-multiply), to the bit. The integer test
/// converts instead of calling `trunc`, which is a libm call on baseline
/// x86-64 (Algorithm B on Anaheim spent 1.5 M instructions in `trunc` and
/// `__powidf2` under the derivative).
#[inline]
fn pow(x: f64, beta: f64) -> f64 {
    if beta == 4.0 {
        let x2 = x * x;
        x2 * x2
    } else if beta == 3.0 {
        x * (x * x)
    } else if (0.0..=16.0).contains(&beta) && beta == f64::from(beta as i32) {
        x.powi(beta as i32)
    } else {
        x.powf(beta)
    }
}

impl Bpr {
    pub fn n_arcs(&self) -> usize {
        self.free_flow.len()
    }

    /// Checks the arrays are consistent and usable: equal lengths, finite
    /// non-negative values, positive capacity where the cost depends on
    /// flow. Returns the first bad arc and why.
    pub fn check(&self) -> Result<(), (usize, &'static str)> {
        let n = self.free_flow.len();
        if [
            self.alpha.len(),
            self.beta.len(),
            self.capacity.len(),
            self.fixed.len(),
        ]
        .iter()
        .any(|&l| l != n)
        {
            return Err((0, "parameter arrays differ in length"));
        }
        for a in 0..n {
            let ok = |v: f64| v.is_finite() && v >= 0.0;
            if !ok(self.free_flow[a]) {
                return Err((a, "free-flow time is not a non-negative number"));
            }
            if !ok(self.alpha[a]) {
                return Err((a, "alpha (b) is not a non-negative number"));
            }
            if !ok(self.beta[a]) {
                return Err((a, "beta (power) is not a non-negative number"));
            }
            if !ok(self.fixed[a]) {
                return Err((a, "fixed cost is not a non-negative number"));
            }
            if self.depends_on_flow(a) && !(self.capacity[a] > 0.0 && self.capacity[a].is_finite())
            {
                return Err((a, "capacity must be positive on a congestible arc"));
            }
        }
        Ok(())
    }

    /// True when the arc's cost changes with flow.
    #[inline]
    pub fn depends_on_flow(&self, a: usize) -> bool {
        self.alpha[a] > 0.0 && self.beta[a] > 0.0 && self.free_flow[a] > 0.0
    }

    /// Cost of arc `a` at flow `x` (time plus fixed cost).
    #[inline]
    pub fn cost(&self, a: usize, x: f64) -> f64 {
        let t0 = self.free_flow[a];
        let alpha = self.alpha[a];
        let congestion = if alpha == 0.0 || t0 == 0.0 {
            0.0
        } else {
            // beta = 0 is a constant (1 + alpha) multiplier, as TNTP means it.
            alpha * pow(x.max(0.0) / self.capacity[a], self.beta[a])
        };
        t0 * (1.0 + congestion) + self.fixed[a]
    }

    /// d cost / d flow at `x`.
    #[inline]
    pub fn derivative(&self, a: usize, x: f64) -> f64 {
        if !self.depends_on_flow(a) {
            return 0.0;
        }
        let (c, beta) = (self.capacity[a], self.beta[a]);
        let x = x.max(0.0);
        if beta < 1.0 && x == 0.0 {
            return f64::MAX;
        }
        self.free_flow[a] * self.alpha[a] * beta * pow(x / c, beta - 1.0) / c
    }

    /// [`Bpr::cost`] and [`Bpr::derivative`] at once, the same values to
    /// the bit: the hot loop of Algorithm B updates both after every shift
    /// and the two share their loads and powers.
    #[inline]
    pub fn cost_and_derivative(&self, a: usize, x: f64) -> (f64, f64) {
        (self.cost(a, x), self.derivative(a, x))
    }

    /// Integral of the cost from 0 to `x`: arc `a`'s term of the Beckmann
    /// objective.
    #[inline]
    pub fn integral(&self, a: usize, x: f64) -> f64 {
        let t0 = self.free_flow[a];
        let alpha = self.alpha[a];
        let beta = self.beta[a];
        let base = (t0 + self.fixed[a]) * x;
        if alpha == 0.0 || t0 == 0.0 {
            return base;
        }
        if beta == 0.0 {
            return base + t0 * alpha * x;
        }
        let c = self.capacity[a];
        base + t0 * alpha * c / (beta + 1.0) * pow(x.max(0.0) / c, beta + 1.0)
    }

    /// Costs of all arcs at `flow`, written into `out`.
    pub fn costs(&self, flow: &[f64], out: &mut [f64]) {
        for (a, (o, &x)) in out.iter_mut().zip(flow).enumerate() {
            *o = self.cost(a, x);
        }
    }

    /// The Beckmann objective `sum_a integral_0^{x_a} cost_a`.
    pub fn beckmann(&self, flow: &[f64]) -> f64 {
        flow.iter()
            .enumerate()
            .map(|(a, &x)| self.integral(a, x))
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn one(t0: f64, alpha: f64, beta: f64, cap: f64, fixed: f64) -> Bpr {
        Bpr {
            free_flow: vec![t0],
            alpha: vec![alpha],
            beta: vec![beta],
            capacity: vec![cap],
            fixed: vec![fixed],
        }
    }

    #[test]
    fn constant_cost_arcs_stay_constant() {
        let b = one(2.0, 0.0, 0.0, 1.0, 0.5);
        assert_eq!(b.cost(0, 0.0), 2.5);
        assert_eq!(b.cost(0, 1e6), 2.5);
        assert_eq!(b.derivative(0, 10.0), 0.0);
        assert_eq!(b.integral(0, 4.0), 10.0);
        let zero_power = one(2.0, 0.15, 0.0, 100.0, 0.0);
        assert!((zero_power.cost(0, 50.0) - 2.3).abs() < 1e-12);
        assert!((zero_power.integral(0, 10.0) - 23.0).abs() < 1e-12);
    }

    proptest! {
        /// The fast paths of `pow` give what `powi` gives, to the bit
        /// (Algorithm B's results must not change with them), and the
        /// fused cost and derivative are the two separate ones.
        #[test]
        fn fast_powers_are_powi_to_the_bit(x in 0.0f64..50.0, beta in 0u32..8) {
            let b = f64::from(beta);
            prop_assert_eq!(pow(x, b).to_bits(), x.powi(beta as i32).to_bits());
            let bpr = one(1.5, 0.15, b, 7.0, 0.25);
            let (c, d) = bpr.cost_and_derivative(0, x);
            prop_assert_eq!(c.to_bits(), bpr.cost(0, x).to_bits());
            prop_assert_eq!(d.to_bits(), bpr.derivative(0, x).to_bits());
        }

        /// The derivative and the integral agree with finite differences of
        /// the cost, which is the only definition the three share.
        #[test]
        fn derivative_and_integral_match_the_cost(
            t0 in 0.01f64..10.0, alpha in 0.0f64..2.0, beta in prop::sample::select(vec![1.0, 2.0, 2.5, 4.0, 5.3]),
            cap in 1.0f64..1000.0, fixed in 0.0f64..3.0, x in 1.0f64..2000.0,
        ) {
            let b = one(t0, alpha, beta, cap, fixed);
            let h = 1e-4 * x;
            let fd = (b.cost(0, x + h) - b.cost(0, x - h)) / (2.0 * h);
            prop_assert!((fd - b.derivative(0, x)).abs() <= 1e-5 * (1.0 + fd.abs()));
            // Simpson's rule on [0, x] with many panels.
            let n = 2000;
            let dx = x / n as f64;
            let mut s = b.cost(0, 0.0) + b.cost(0, x);
            for i in 1..n {
                s += b.cost(0, i as f64 * dx) * if i % 2 == 1 { 4.0 } else { 2.0 };
            }
            s *= dx / 3.0;
            prop_assert!((s - b.integral(0, x)).abs() <= 1e-7 * (1.0 + s.abs()));
        }
    }
}
