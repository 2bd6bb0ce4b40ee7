//! Choosing the set of projects within a budget that adds most capacity:
//! branch and bound when adding projects can only raise the maximum
//! (the bound: every affordable remaining project at once), enumeration
//! of every affordable set when it may not, greedy beyond. Each works on
//! an [`Evaluator`] (the maximum flow of a set, memoised) and returns the
//! best set it saw; ties go to the cheaper set, then the smaller, then
//! the one listed first.

use super::{Eval, Evaluator};
use rayon::prelude::*;

/// A set of projects (indices, ascending) and its maximum flow.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Found {
    pub set: Vec<usize>,
    pub value: f64,
    pub cost: f64,
}

/// Whether `a` is a better choice than `b`.
fn better(a: &Found, b: &Found) -> bool {
    let tol = 1e-9 * (1.0 + a.value.abs().max(b.value.abs()));
    if (a.value - b.value).abs() > tol {
        return a.value > b.value;
    }
    let ctol = 1e-12 * (1.0 + a.cost.abs().max(b.cost.abs()));
    if (a.cost - b.cost).abs() > ctol {
        return a.cost < b.cost;
    }
    (a.set.len(), &a.set) < (b.set.len(), &b.set)
}

/// `a` with `j` inserted, kept ascending.
fn with(a: &[usize], j: usize) -> Vec<usize> {
    let mut s = a.to_vec();
    let at = s.partition_point(|&x| x < j);
    s.insert(at, j);
    s
}

/// What a search shares: the projects' costs and the budget.
pub(crate) struct Search<'a> {
    pub ev: &'a Evaluator<'a>,
    pub cost: &'a [f64],
    pub budget: f64,
}

impl Search<'_> {
    fn fits(&self, spent: f64) -> bool {
        spent <= self.budget * (1.0 + 1e-12) + 1e-12
    }

    fn total(&self, set: &[usize]) -> f64 {
        set.iter().map(|&j| self.cost[j]).sum()
    }

    /// Evaluates `sets` side by side and keeps the best feasible one.
    fn consider_all(&self, sets: Vec<Vec<usize>>, best: &mut Found) -> Vec<Option<f64>> {
        let values: Vec<Option<f64>> = sets
            .par_iter()
            .map(|s| match self.ev.eval(s) {
                Eval::Value { max_flow, .. } => Some(max_flow),
                Eval::Failed(_) => None,
            })
            .collect();
        for (s, v) in sets.into_iter().zip(&values) {
            if let Some(value) = *v {
                let f = Found {
                    cost: self.total(&s),
                    set: s,
                    value,
                };
                if better(&f, best) {
                    *best = f;
                }
            }
        }
        values
    }

    fn empty(&self) -> Found {
        let value = match self.ev.eval(&[]) {
            Eval::Value { max_flow, .. } => max_flow,
            Eval::Failed(_) => f64::NEG_INFINITY,
        };
        Found {
            set: Vec::new(),
            value,
            cost: 0.0,
        }
    }

    /// Exact when adding projects never lowers the maximum: a depth-first
    /// walk over sets (each once: children add projects later in `order`)
    /// that prunes a subtree when even every affordable remaining project
    /// at once reaches neither more than the best nor its value more
    /// cheaply.
    pub fn branch_and_bound(&self, order: &[usize]) -> Found {
        let mut best = self.empty();
        self.descend(&[], 0.0, order, &mut best);
        best
    }

    fn descend(&self, set: &[usize], spent: f64, rest: &[usize], best: &mut Found) {
        if self.ev.cancelled() {
            return;
        }
        let cands: Vec<(usize, usize)> = rest
            .iter()
            .enumerate()
            .filter(|&(_, &j)| self.fits(spent + self.cost[j]))
            .map(|(p, &j)| (p, j))
            .collect();
        if cands.is_empty() {
            return;
        }
        let mut all = set.to_vec();
        all.extend(cands.iter().map(|c| c.1));
        all.sort_unstable();
        if let Eval::Value {
            max_flow: bound, ..
        } = self.ev.eval(&all)
        {
            let spent_all = spent + cands.iter().map(|c| self.cost[c.1]).sum::<f64>();
            if self.fits(spent_all) {
                self.consider_all(vec![all.clone()], best);
            }
            let tol = 1e-9 * (1.0 + bound.abs().max(best.value.abs()));
            let cheapest = cands
                .iter()
                .map(|c| self.cost[c.1])
                .fold(f64::INFINITY, f64::min);
            if bound < best.value - tol
                || (bound <= best.value + tol && spent + cheapest >= best.cost)
            {
                return;
            }
        }
        let children: Vec<Vec<usize>> = cands.iter().map(|&(_, j)| with(set, j)).collect();
        self.consider_all(children.clone(), best);
        for (&(p, j), child) in cands.iter().zip(&children) {
            self.descend(child, spent + self.cost[j], &rest[p + 1..], best);
        }
    }

    /// Every affordable set, when there are at most `limit` of them;
    /// `None` when there are more.
    pub fn affordable_sets(&self, limit: usize) -> Option<Vec<Vec<usize>>> {
        let mut out = vec![Vec::new()];
        let mut stack: Vec<(Vec<usize>, f64, usize)> = vec![(Vec::new(), 0.0, 0)];
        while let Some((set, spent, next)) = stack.pop() {
            for j in next..self.cost.len() {
                if self.fits(spent + self.cost[j]) {
                    let s = with(&set, j);
                    out.push(s.clone());
                    if out.len() > limit {
                        return None;
                    }
                    stack.push((s, spent + self.cost[j], j + 1));
                }
            }
        }
        out.sort_unstable_by(|a, b| (a.len(), a).cmp(&(b.len(), b)));
        Some(out)
    }

    /// The best of `sets` (every affordable one: exact whatever the
    /// projects do).
    pub fn enumeration(&self, sets: Vec<Vec<usize>>) -> Found {
        let mut best = self.empty();
        self.consider_all(sets, &mut best);
        best
    }

    /// Adds, while the budget allows, the project that adds most per unit
    /// of cost to what is chosen (free projects first); then keeps the
    /// better of that set and the best single project.
    pub fn greedy(&self) -> Found {
        let mut best = self.empty();
        let mut chosen = best.clone();
        loop {
            let cands: Vec<usize> = (0..self.cost.len())
                .filter(|j| !chosen.set.contains(j) && self.fits(chosen.cost + self.cost[*j]))
                .collect();
            let sets: Vec<Vec<usize>> = cands.iter().map(|&j| with(&chosen.set, j)).collect();
            let values = self.consider_all(sets.clone(), &mut best);
            let tol = 1e-9 * (1.0 + chosen.value.abs());
            let rate = |j: usize, v: f64| {
                let gain = v - chosen.value;
                if self.cost[j] > 0.0 {
                    gain / self.cost[j]
                } else {
                    f64::INFINITY
                }
            };
            let pick = cands
                .iter()
                .zip(sets)
                .zip(&values)
                .filter_map(|((&j, s), v)| v.filter(|v| *v > chosen.value + tol).map(|v| (j, s, v)))
                .fold(None::<(usize, Vec<usize>, f64)>, |acc, x| match acc {
                    Some(a) if rate(a.0, a.2) >= rate(x.0, x.2) => Some(a),
                    _ => Some(x),
                });
            let Some((j, set, value)) = pick else { break };
            chosen = Found {
                cost: chosen.cost + self.cost[j],
                set,
                value,
            };
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_go_to_the_cheaper_then_smaller_then_first_listed() {
        let f = |set: &[usize], value, cost| Found {
            set: set.to_vec(),
            value,
            cost,
        };
        assert!(better(&f(&[0], 10.0, 5.0), &f(&[1], 9.0, 1.0)));
        assert!(better(&f(&[1], 10.0, 4.0), &f(&[0], 10.0, 5.0)));
        assert!(better(&f(&[2], 10.0, 5.0), &f(&[0, 1], 10.0, 5.0)));
        assert!(better(&f(&[0, 2], 10.0, 5.0), &f(&[1, 2], 10.0, 5.0)));
        assert_eq!(with(&[1, 4], 2), vec![1, 2, 4]);
    }
}
