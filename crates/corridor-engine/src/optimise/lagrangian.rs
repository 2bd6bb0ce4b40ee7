//! A Lagrangian lower bound on the system optimum by a long ascent (the
//! volume algorithm of Barahona and Anbil, 2000), for column generation's
//! `--gap` on many groups.
//!
//! Relaxing every capacity row with a price y_r ≥ 0 leaves one shortest
//! path per pair:
//!
//! L(y) = Σ_j D_j min(P, SP_j(cost + Aᵀy)) − Σ_r y_r capacity_r,
//!
//! a lower bound on the optimum for every y ≥ 0, whose maximum over y is
//! the LP optimum. Each evaluation is one exact cheapest path per pair
//! (the pricing's A\* and cost classes, `pricing.rs`), and the bound
//! reported is always L(y) of a y evaluated so: never an estimate.
//!
//! The master's duals are a poor y on large cases (degenerate, many rows
//! priced near the penalty) and ten subgradient steps a round from them
//! did not move the bound (docs/optimise.md). The volume algorithm runs
//! hundreds of steps from its own center ȳ (the best y so far), along
//! the subgradient of an average x̄ of the subproblem's solutions (the
//! rows' loads when every pair takes its cheapest path), which damps the
//! zig-zag of plain subgradient steps:
//!
//! - y = max(0, ȳ + s v), v = load(x̄) − capacity (0 where ȳ_r = 0 and
//!   v_r < 0), s = λ (T − L(ȳ)) / ‖v‖², T the master's objective (an
//!   upper bound on the optimum: Polyak's step; before a feasible master,
//!   the greedy routing's plan);
//! - x̄ ← α x + (1 − α) x̄, α minimising ‖α g(x) + (1 − α) g(x̄)‖ within
//!   [α_max / 10, α_max];
//! - L(y) > L(ȳ): ȳ = y; λ × 1.1 (at most 2) when the new subgradient
//!   agrees with v ("green"); otherwise ("red") after 20 steps in a row
//!   without gain λ × 0.66 — but λ × 0.5 after every red step until the
//!   first gain since the start or the last jump to better prices (with T
//!   far above the bound the first steps overshoot: on 100k links × 100
//!   groups the slower rule never gained in 221 steps); α_max halves when
//!   100 steps gained less than 1 %.

use super::pricing::{Pricing, relaxed};
use super::problem::Problem;
use corridor_model::Network;

/// L(y) and the capacity rows' loads when every pair sends its demand
/// along its cheapest path under `cost + Aᵀy` (nothing where that costs
/// the penalty or more, or no path exists): the value and a subgradient
/// (load − capacity) of the Lagrangian function at `y`.
pub(super) fn evaluate(
    p: &Problem,
    net: &Network,
    pricing: &mut Pricing,
    y: &[f64],
) -> (f64, Vec<f64>) {
    pricing.set_prices(p, net, Some(y));
    let sub = relaxed(p, net, pricing, y);
    (sub.reach - held(p, y), sub.load)
}

/// Σ_r y_r capacity_r over the rows with a positive price: what L(y)
/// subtracts from the pairs' cheapest paths.
pub(super) fn held(p: &Problem, y: &[f64]) -> f64 {
    (p.rows.iter().zip(y))
        .map(|(r, y)| if *y > 0.0 { y * r.capacity } else { 0.0 })
        .sum()
}

/// The volume algorithm's state, kept between column generation's rounds
/// (each call continues the ascent).
pub(super) struct Ascent {
    /// The center ȳ: the prices of the best bound so far.
    pub(super) y: Vec<f64>,
    /// L(ȳ), the best bound so far.
    pub(super) best: f64,
    /// The averaged loads x̄ per capacity row.
    xbar: Vec<f64>,
    lambda: f64,
    alpha_max: f64,
    /// Steps in a row without gain.
    reds: usize,
    /// Whether a step gained since the start or the last jump ([`Ascent::offer`]).
    gained: bool,
    /// The best bound 100 steps ago (for α_max).
    checkpoint: f64,
    /// Evaluations of L so far (one cheapest path per pair each).
    pub(super) steps: usize,
}

impl Ascent {
    /// An ascent centred at `y`, whose value and loads are `(value, load)`
    /// (from [`evaluate`]).
    pub(super) fn new(y: Vec<f64>, (value, load): (f64, Vec<f64>)) -> Self {
        Ascent {
            y,
            best: value,
            xbar: load,
            lambda: 0.1,
            alpha_max: 0.1,
            reds: 0,
            gained: false,
            checkpoint: value,
            steps: 1,
        }
    }

    /// Moves the center to `y` if its bound `value` beats the best (the
    /// master's duals sometimes do); whether it did.
    pub(super) fn offer(&mut self, y: &[f64], (value, load): (f64, Vec<f64>)) -> bool {
        if value <= self.best {
            return false;
        }
        self.y.copy_from_slice(y);
        self.best = value;
        self.xbar = load;
        self.checkpoint = value;
        self.gained = false;
        true
    }

    /// Up to `steps` steps of the volume algorithm towards `target` (an
    /// upper bound on the optimum: the master's objective); the best bound
    /// after them.
    pub(super) fn ascend(
        &mut self,
        p: &Problem,
        net: &Network,
        pricing: &mut Pricing,
        target: f64,
        steps: usize,
    ) -> f64 {
        let cap: Vec<f64> = p.rows.iter().map(|r| r.capacity).collect();
        for _ in 0..steps {
            let gap = target - self.best;
            if gap <= 1e-12 * (1.0 + target.abs()) {
                break;
            }
            let v: Vec<f64> = (self.xbar.iter().zip(&cap).zip(&self.y))
                .map(|((x, c), y)| {
                    let g = x - c;
                    if *y <= 0.0 && g < 0.0 { 0.0 } else { g }
                })
                .collect();
            let norm2: f64 = v.iter().map(|g| g * g).sum();
            if norm2 <= 0.0 || !norm2.is_finite() {
                break;
            }
            let s = self.lambda * gap / norm2;
            let y: Vec<f64> = (self.y.iter().zip(&v))
                .map(|(y, g)| (y + s * g).max(0.0))
                .collect();
            let (value, load) = evaluate(p, net, pricing, &y);
            self.steps += 1;
            // α minimising ‖α g(x) + (1 − α) g(x̄)‖, within [α_max/10, α_max].
            let (mut num, mut den) = (0.0, 0.0);
            for ((l, x), c) in load.iter().zip(&self.xbar).zip(&cap) {
                let (gx, gb) = (l - c, x - c);
                num += gb * (gb - gx);
                den += (gb - gx) * (gb - gx);
            }
            let alpha = if den > 0.0 { num / den } else { self.alpha_max };
            let alpha = alpha.clamp(self.alpha_max / 10.0, self.alpha_max);
            if value > self.best {
                let agree: f64 = (v.iter().zip(&load).zip(&cap))
                    .map(|((g, l), c)| g * (l - c))
                    .sum();
                if agree >= 0.0 {
                    self.lambda = (self.lambda * 1.1).min(2.0);
                }
                self.y = y;
                self.best = value;
                self.reds = 0;
                self.gained = true;
            } else {
                self.reds += 1;
                if !self.gained {
                    // No step has gained since the start (or the last
                    // jump): the step is far too long (100k × 100 never
                    // gained in 221 steps of the slow rule), so halve it.
                    self.lambda *= 0.5;
                    self.reds = 0;
                } else if self.reds >= 20 {
                    self.lambda *= 0.66;
                    self.reds = 0;
                }
            }
            for (x, l) in self.xbar.iter_mut().zip(&load) {
                *x = alpha * l + (1.0 - alpha) * *x;
            }
            if self.steps.is_multiple_of(100) {
                if self.best - self.checkpoint < 0.01 * self.checkpoint.abs() {
                    self.alpha_max = (self.alpha_max / 2.0).max(1e-4);
                }
                self.checkpoint = self.best;
            }
        }
        self.best
    }
}
